/**
 * The promise API's hot path (issue 13): `addressesOf` gives what `ofType`
 * and the A/AAAA shapers give, and `sendable` keeps verdicts of names
 * without changing any.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DnsRecord } from '../../../src/core/codec/types.js';
import { addressesOf, ofType, shapers } from '../../../src/api/shapes.js';
import { sendable } from '../../../src/api/sendable.js';
import { aresSends } from '../../../src/api/node-text.js';

const recordArb: fc.Arbitrary<DnsRecord> = fc.oneof(
  fc.record({ name: fc.constant('a.test'), type: fc.constant('A' as const), class: fc.constant(1), ttl: fc.nat(1000), data: fc.ipV4() }),
  fc.record({ name: fc.constant('a.test'), type: fc.constant('AAAA' as const), class: fc.constant(1), ttl: fc.nat(1000), data: fc.constantFrom('::1', '::ffff:1.2.3.4', '2001:db8::1', '::1.2.3.4') }),
  fc.record({ name: fc.constant('a.test'), type: fc.constant('CNAME' as const), class: fc.constant(1), ttl: fc.nat(1000), data: fc.constant('b.test') }),
  fc.record({ name: fc.constant('a.test'), type: fc.constant('RRSIG' as const), class: fc.constant(1), ttl: fc.nat(1000), data: fc.constant(new Uint8Array(3)) }),
) as fc.Arbitrary<DnsRecord>;

describe('addressesOf', () => {
  it('equals the shapers of ofType, with and without TTLs, for any on-chain records', () => {
    fc.assert(fc.property(fc.array(recordArb, { maxLength: 8 }), fc.constantFrom('A' as const, 'AAAA' as const), fc.boolean(), (records, type, ttl) => {
      const { records: typed, cnameTtl } = ofType(records, type);
      expect(addressesOf(records, type, ttl)).toEqual(shapers[type](typed as never, ttl, cnameTtl));
    }), { numRuns: 500 });
  });
});

describe('sendable', () => {
  it('gives the same verdict the first time and from memory, for good, bad and international names', () => {
    for (const name of ['ok.test', 'bad name.test', 'bücher.example', 'xn--bcher-kva.example', 'a\\032b.test', '\u00ad.test', 'ok.test']) {
      const first = sendable(name);
      expect(sendable(name)).toBe(first);
    }
    expect(sendable('ok.test')).toBe(true);
    expect(sendable('bad name.test')).toBe(false);
    expect(sendable('bücher.example')).toBe(aresSends('xn--bcher-kva.example'));
  });

  it('stays right past its bound (it starts over, it does not grow)', () => {
    for (let i = 0; i < 3000; i++) expect(sendable(i % 2 === 0 ? `h${i}.test` : `h ${i}.test`)).toBe(i % 2 === 0);
  });
});
