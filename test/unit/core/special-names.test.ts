/** special-names.ts: localhost (RFC 6761 §6.3) and .onion (RFC 7686 §2), answered without a datagram. */
import { describe, expect, it } from 'vitest';
import { localAnswer, localMessage, specialName } from '../../../src/core/special-names.js';

describe('specialName', () => {
  it('knows localhost and .onion and the names below them, in any case, with or without a trailing dot', () => {
    expect(['localhost', 'LOCALHOST.', 'a.b.localhost'].map(specialName)).toEqual(['localhost', 'localhost', 'localhost']);
    expect(['onion', 'x.ONION.'].map(specialName)).toEqual(['onion', 'onion']);
    expect(['localhost.example', 'notlocalhost', 'onion.example', '.'].map(specialName)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('localMessage and localAnswer', () => {
  it('answers localhost A and AAAA with loopback, its other types with NODATA, .onion with NXDOMAIN', () => {
    expect(localMessage('localhost', 'localhost', 1, 1).answers).toEqual([{ name: 'localhost', type: 'A', class: 1, ttl: 0, data: '127.0.0.1' }]);
    expect(localMessage('localhost', 'x.localhost', 28, 1).answers).toEqual([{ name: 'x.localhost', type: 'AAAA', class: 1, ttl: 0, data: '::1' }]);
    expect(localMessage('localhost', 'localhost', 15, 1)).toMatchObject({ rcode: 0, answers: [] });
    expect(localMessage('localhost', 'localhost', 1, 3)).toMatchObject({ rcode: 0, answers: [] });
    expect(localMessage('onion', 'x.onion', 1, 1)).toMatchObject({ rcode: 3, answers: [], flags: { qr: true, aa: true } });
  });

  it('is a final answer event from the resolver itself', () => {
    const question = { name: 'localhost', type: 1, class: 1, typeName: 'A' };
    expect(localAnswer('localhost', 7, question)).toMatchObject({
      kind: 'answer', handle: 7, question, server: { transport: 'udp', address: '127.0.0.1', port: 0 }, elapsed: 0, sent: 0, source: 'local',
      records: [{ data: '127.0.0.1' }],
    });
  });
});
