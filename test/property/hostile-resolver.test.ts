/**
 * Hostile input through the resolver, seeded by real captured messages:
 * every truncation of every vector, bit flips, count and rdlength lies and
 * pointer chains, each delivered as the reply to a matching query. Nothing
 * may throw, and whatever becomes an answer must be clean: it re-encodes
 * through the validated encoder and decodes back to the same message.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Resolver } from '../../src/index.js';
import { decodeMessage, encodeMessage, type Message } from '../../src/codec.js';
import { testRandom } from '../helpers/core-harness.js';
import { VECTORS, hex } from '../vectors/load.js';

const SERVER = { transport: 'udp', address: '192.0.2.53', port: 53 } as const;
const usable = VECTORS.filter((v) => {
  const r = decodeMessage(hex(v.response));
  return r.ok && r.message.questions.length === 1 && r.message.opcode === 0;
});

/** Deliver `bytes` (with the live query's ID patched in) as the reply to a query for the vector's question. */
function deliver(v: (typeof usable)[number], mutate: (b: Uint8Array) => Uint8Array): Message | undefined {
  const q = (decodeMessage(hex(v.response)) as { ok: true; message: Message }).message.questions[0]!;
  const r = new Resolver({ servers: ['192.0.2.53'], random: testRandom(3), ednsPayload: 4096 });
  r.query(0, q.name, q.type);
  const sent = r.poll().transmits[0]!;
  const bytes = mutate(hex(v.response));
  if (bytes.length >= 2) {
    bytes[0] = sent.data[0]!;
    bytes[1] = sent.data[1]!;
  }
  r.handleDatagrams(1, [{ data: bytes, peer: SERVER }]);
  const ev = r.poll().events.find((e) => e.kind === 'answer');
  expect(r.stats.datagramsReceived).toBe(1);
  return ev?.kind === 'answer' ? ev.message : undefined;
}

function expectClean(m: Message | undefined): void {
  if (m === undefined) return;
  const again = decodeMessage(encodeMessage(m));
  expect(again.ok).toBe(true);
  if (again.ok) expect(again.message).toEqual(m);
}

describe('hostile replies to a real query', () => {
  it('every truncation of every vector is refused, and nothing throws', () => {
    let checked = 0;
    for (const v of usable) {
      const len = hex(v.response).length;
      for (let cut = 0; cut < len; cut++) {
        expect(deliver(v, (b) => b.slice(0, cut))).toBeUndefined();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5000);
  }, 300_000); // ~10,000 resolvers: 50 s on a loaded 2-core machine, past the default limit

  it('bit flips: nothing throws, and whatever is answered is clean', () => {
    fc.assert(
      fc.property(fc.nat(usable.length - 1), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (i, flips) => {
        const v = usable[i]!;
        expectClean(
          deliver(v, (b) => {
            for (const f of flips) {
              const bit = 16 + (f % ((b.length - 2) * 8)); // never the ID
              b[bit >> 3] = b[bit >> 3]! ^ (1 << (bit & 7));
            }
            return b;
          }),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('count lies and rdlength lies are refused', () => {
    fc.assert(
      fc.property(fc.nat(usable.length - 1), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 0xffff }), (i, which, delta) => {
        const v = usable[i]!;
        const m = deliver(v, (b) => {
          const off = 4 + 2 * which;
          const count = ((b[off]! << 8) | b[off + 1]!) + delta;
          if (count > 0xffff) return b.slice(0, 5);
          b[off] = count >> 8;
          b[off + 1] = count & 0xff;
          return b;
        });
        expect(m).toBeUndefined();
      }),
      { numRuns: 500 },
    );
    for (const v of usable) {
      const m = decodeMessage(hex(v.response));
      if (!m.ok || m.message.answers.length === 0) continue;
      // The first answer's rdlength sits after header, question and the answer's owner (a 2-byte pointer in these captures).
      const b = hex(v.response);
      let p = 12;
      while (b[p] !== 0) p += 1 + b[p]!;
      p += 5;
      if ((b[p]! & 0xc0) !== 0xc0) continue;
      const rdl = p + 10;
      for (const lie of [1, 7, 300, 0xffff]) {
        const bad = b.slice();
        const v2 = Math.min(0xffff, ((bad[rdl]! << 8) | bad[rdl + 1]!) + lie);
        bad[rdl] = v2 >> 8;
        bad[rdl + 1] = v2 & 0xff;
        expect(deliver(v, () => bad)).toBeUndefined();
      }
    }
  });

  it('pointer loops and long chains are refused fast', () => {
    const v = usable.find((x) => x.id === 'bind/a')!;
    const loop = deliver(v, (b) => {
      const out = b.slice();
      out[12 + 13 + 4] = 0xc0; // answer owner: a pointer to itself
      out[12 + 13 + 5] = 12 + 13 + 4;
      return out;
    });
    expect(loop).toBeUndefined();
    // A 64 KiB TCP-sized message whose answer owner ends a chain of 20,000 backward pointers.
    const chain = new Uint8Array(65_000);
    chain.set(hex(v.response).slice(0, 12 + 17));
    chain[7] = 1;
    let p = 29;
    chain[p++] = 0;
    for (let k = 0; k < 20_000; k++, p += 2) {
      chain[p] = 0xc0 | ((p - 2) >> 8);
      chain[p + 1] = (p - 2) & 0xff;
    }
    expect(deliver(v, () => chain.slice(0, p + 10))).toBeUndefined();
  });
});
