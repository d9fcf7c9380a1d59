/** codec/rcode.ts: rcodes by name, as dig names them, and the error a failure rcode ends a query with. */
import { describe, expect, it } from 'vitest';
import { BADCOOKIE, BADVERS, FORMERR, NOERROR, NOTIMP, NXDOMAIN, REFUSED, SERVFAIL, rcodeError } from '../../../src/core/codec/rcode.js';
import { rcodeName } from '../../../src/codec.js';

describe('rcodes', () => {
  it('have their RFC values', () => {
    expect([NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED, BADVERS, BADCOOKIE]).toEqual([0, 1, 2, 3, 4, 5, 16, 23]);
  });

  it('are named as dig names them', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(rcodeName)).toEqual(['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'NOTZONE']);
    expect([16, 11, 15, 23, 17, 4095].map(rcodeName)).toEqual(['BADVERS', 'RESERVED11', 'RESERVED15', 'BADCOOKIE', 'RCODE17', 'RCODE4095']);
  });

  it('map to Node\'s error codes, EBADRESP for the rest', () => {
    expect([1, 2, 4, 5, 0, 3, 9, 23].map(rcodeError)).toEqual(['EFORMERR', 'ESERVFAIL', 'ENOTIMP', 'EREFUSED', 'EBADRESP', 'EBADRESP', 'EBADRESP', 'EBADRESP']);
  });
});
