/** The bridge's wire cache on its own: keys, ID and case, TTLs counted down on an injected clock, expiry, bounds. */
import { describe, expect, it } from 'vitest';
import { encodeMessage, type Message, type MessageInput } from '../../../../src/codec.js';
import { decode } from '../../../helpers/decode.js';
import { answerFor, responseMaxAge } from '../../../../src/drivers/node/doh-answer.js';
import { WireCache, type WireCacheSettings } from '../../../../src/drivers/node/wire-cache.js';

const SETTINGS: WireCacheSettings = { maxEntries: 100, maxBytes: 1 << 20, maxTtl: 86_400, negativeMaxTtl: 3600 };

function cacheAt(settings: Partial<WireCacheSettings> = {}): { cache: WireCache; clock: { t: number } } {
  const clock = { t: 10_000 };
  return { cache: new WireCache({ ...SETTINGS, ...settings }, () => clock.t), clock };
}

function query(name: string, extra: Partial<MessageInput> = {}): Uint8Array {
  return encodeMessage({ id: 7, flags: { rd: true }, questions: [{ name, type: 1, class: 1 }], ...extra });
}


/** An upstream answer to `q`: two A records (TTL 600 and 45), AA set, and an additional record (TTL 300). */
function upstream(q: Uint8Array, ttls: [number, number] = [600, 45]): Message {
  const name = decode(q).questions[0]?.name as string;
  return decode(encodeMessage({
    id: 1, flags: { qr: true, aa: true, rd: true, ra: true }, questions: [{ name, type: 1, class: 1 }],
    answers: [{ name, type: 'A', class: 1, ttl: ttls[0], data: '192.0.2.1' }, { name, type: 'A', class: 1, ttl: ttls[1], data: '192.0.2.2' }],
    additionals: [{ name: `x.${name}`, type: 'A', class: 1, ttl: 300, data: '192.0.2.9' }],
  }));
}

/** Store the bridge's answer to `q` as the bridge does. */
function store(cache: WireCache, q: Uint8Array, m = upstream(q), negative = false): Uint8Array {
  const wire = answerFor(decode(q), m);
  cache.store(q, wire, responseMaxAge(m) as number, negative);
  return wire;
}

const ttlsOf = (wire: Uint8Array): number[] => {
  const m = decode(wire);
  return [...m.answers, ...m.authorities, ...m.additionals].map((r) => r.ttl);
};

describe('wire cache', () => {
  it('counts every TTL down by the whole seconds elapsed, max-age with it, and never serves at or past the lifetime', () => {
    const { cache, clock } = cacheAt();
    const q = query('www.example.test');
    store(cache, q);
    const at = (ms: number): { ttls: number[]; cc: string } | undefined => {
      clock.t = 10_000 + ms;
      const hit = cache.lookup(q);
      return hit && { ttls: ttlsOf(hit.wire), cc: hit.cacheControl };
    };
    expect(at(0)).toEqual({ ttls: [600, 45, 300], cc: 'max-age=45' });
    expect(at(999)).toEqual({ ttls: [600, 45, 300], cc: 'max-age=45' });
    expect(at(1000)).toEqual({ ttls: [599, 44, 299], cc: 'max-age=44' });
    expect(at(30_500)).toEqual({ ttls: [570, 15, 270], cc: 'max-age=15' });
    expect(at(44_999)).toEqual({ ttls: [556, 1, 256], cc: 'max-age=1' });
    expect(at(45_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('patches in the client ID and its question case, keeps AA and every other flag', () => {
    const { cache } = cacheAt();
    store(cache, query('www.example.test', { id: 7 }));
    const hit = cache.lookup(query('WwW.ExAmPlE.tEsT', { id: 0xbeef }));
    const m = decode(hit?.wire as Uint8Array);
    expect(m.id).toBe(0xbeef);
    expect(m.questions[0]?.name).toBe('WwW.ExAmPlE.tEsT');
    expect(m.flags).toMatchObject({ qr: true, aa: true, rd: true, ra: true, tc: false });
    expect(m.answers.map((r) => r.data)).toEqual(['192.0.2.1', '192.0.2.2']);
  });

  it('keeps answers apart by DO bit, OPT, padding, CD and RD, and by type', () => {
    const { cache } = cacheAt();
    const variants = [
      query('a.test'),
      query('a.test', { edns: { payload: 1232 } }),
      query('a.test', { edns: { payload: 1232, do: true } }),
      query('a.test', { edns: { payload: 1232, options: [{ code: 12, data: new Uint8Array(40) }] } }),
      query('a.test', { flags: { rd: true, cd: true } }),
      query('a.test', { flags: { rd: false } }),
      encodeMessage({ id: 7, flags: { rd: true }, questions: [{ name: 'a.test', type: 28, class: 1 }] }),
    ];
    store(cache, variants[0] as Uint8Array);
    for (const v of variants.slice(1)) expect(cache.lookup(v)).toBeUndefined();
    const wires = variants.map((v) => store(cache, v, upstream(variants[0] as Uint8Array)));
    expect(cache.size).toBe(variants.length);
    for (const [i, v] of variants.entries()) {
      const hit = cache.lookup(v)?.wire as Uint8Array;
      expect(Buffer.from(hit).equals(Buffer.from(wires[i] as Uint8Array)), `variant ${i}`).toBe(true);
    }
    const padded = decode(cache.lookup(variants[3] as Uint8Array)?.wire as Uint8Array);
    expect((cache.lookup(variants[3] as Uint8Array)?.wire as Uint8Array).length % 468).toBe(0);
    expect(padded.edns?.options.some((o) => o.code === 12)).toBe(true);
    expect(decode(cache.lookup(variants[2] as Uint8Array)?.wire as Uint8Array).edns?.do).toBe(true);
    expect(decode(cache.lookup(variants[1] as Uint8Array)?.wire as Uint8Array).edns?.do).toBe(false);
  });

  it('holds at most maxEntries and maxBytes, the oldest out first', () => {
    const { cache } = cacheAt({ maxEntries: 2 });
    for (const n of ['a.test', 'b.test', 'c.test']) store(cache, query(n));
    expect(cache.size).toBe(2);
    expect(cache.lookup(query('a.test'))).toBeUndefined();
    expect(cache.lookup(query('c.test'))).toBeDefined();
    // An entry counts its answer's bytes and its key's (3 + the name's 8 bytes + type and class).
    const one = store(cacheAt().cache, query('a.test')).length + 15;
    const small = cacheAt({ maxBytes: one * 2 + 10 }).cache;
    for (const n of ['a.test', 'b.test', 'c.test']) store(small, query(n));
    expect(small.size).toBe(2);
    expect(small.lookup(query('a.test'))).toBeUndefined();
    expect(cacheAt({ maxBytes: one - 1 }).cache.lookup(query('a.test'))).toBeUndefined();
    const tiny = cacheAt({ maxBytes: one - 1 }).cache;
    store(tiny, query('a.test'));
    expect(tiny.size).toBe(0);
    expect(cacheAt({ maxEntries: 0 }).cache.lookup(query('a.test'))).toBeUndefined();
    const none = cacheAt({ maxEntries: 0 }).cache;
    store(none, query('a.test'));
    expect(none.size).toBe(0);
  });

  it('caps TTLs and the lifetime at maxTtl (positive) and negativeMaxTtl (negative)', () => {
    const { cache, clock } = cacheAt({ maxTtl: 100, negativeMaxTtl: 10 });
    const q = query('cap.test');
    store(cache, q, upstream(q, [600, 400]));
    expect(ttlsOf(cache.lookup(q)?.wire as Uint8Array)).toEqual([100, 100, 100]);
    expect(cache.lookup(q)?.cacheControl).toBe('max-age=100');
    const nx = query('nx.test');
    const soa = { name: 'test', type: 'SOA' as const, class: 1, ttl: 3600, data: { mname: 'ns.test', rname: 'h.test', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 120 } };
    const m = decode(encodeMessage({ id: 1, rcode: 3, flags: { qr: true, aa: true }, questions: [{ name: 'nx.test', type: 1, class: 1 }], authorities: [soa] }));
    expect(responseMaxAge(m)).toBe(120);
    store(cache, nx, m, true);
    expect(cache.lookup(nx)?.cacheControl).toBe('max-age=10');
    clock.t += 10_000;
    expect(cache.lookup(nx)).toBeUndefined();
  });

  it('keeps nothing with a TTL of 0, and gives no key to queries that are not plain', () => {
    const { cache } = cacheAt();
    const q = query('zero.test');
    store(cache, q, upstream(q, [600, 0]));
    expect(cache.size).toBe(0);
    const notPlain = [
      encodeMessage({ id: 7, opcode: 2, questions: [{ name: 'a.test', type: 1, class: 1 }] }),
      encodeMessage({ id: 7, questions: [{ name: 'a.test', type: 1, class: 1 }, { name: 'b.test', type: 1, class: 1 }] }),
      encodeMessage({ id: 7, flags: { qr: true }, questions: [{ name: 'a.test', type: 1, class: 1 }] }),
      new Uint8Array([...query('a.test'), 0]), // a trailing byte
      query('a.test').subarray(0, 20), // cut in the name
      // A compressed question name: a pointer back into the header.
      new Uint8Array([0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c, 0, 1, 0, 1]),
    ];
    for (const n of notPlain) {
      const m = upstream(query('a.test'));
      cache.store(n, answerFor(decode(query('a.test')), m), 45, false);
      expect(cache.lookup(n)).toBeUndefined();
    }
    expect(cache.size).toBe(0);
  });

  it('clear() forgets everything', () => {
    const { cache } = cacheAt();
    store(cache, query('a.test'));
    cache.clear();
    expect(cache.lookup(query('a.test'))).toBeUndefined();
  });
});
