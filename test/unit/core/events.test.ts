/** events.ts: counters start at zero; final events of errors, cache hits and stale data. */
import { describe, expect, it } from 'vitest';
import { Cache, keysOf } from '../../../src/core/cache.js';
import { errorEvent, hitEvent, newStats, staleEvent } from '../../../src/core/events.js';
import { settingsFrom } from '../../../src/core/settings.js';
import { assembleChain } from '../../../src/core/cname.js';
import { isDnsError } from '../../../src/index.js';
import { type Message } from '../../../src/codec.js';
import { testRandom } from '../../helpers/core-harness.js';

const question = { name: 'www.example', type: 1, class: 1, typeName: 'A' };
const server = { transport: 'udp', address: '192.0.2.1', port: 53 } as const;

function cacheWith(o: object = {}) {
  const stats = newStats();
  const s = settingsFrom({ servers: ['192.0.2.1'], random: testRandom(), ...o }, {});
  return { stats, cache: new Cache(s.cacheSettings, stats) };
}

function store(cache: Cache, t: number): void {
  const m: Message = {
    id: 1, opcode: 0, rcode: 0, flags: { qr: true, aa: true, tc: false, rd: true, ra: true, ad: false, cd: false },
    questions: [question], answers: [{ name: 'www.example', type: 'A', class: 1, ttl: 60, data: '192.0.2.80' }],
    authorities: [], additionals: [], edns: undefined,
  };
  const chain = assembleChain(m.answers, 'www.example', 1, 'A', 1, 8);
  if (!chain.ok) throw new Error('test: chain');
  cache.storeAnswer(t, question, 0, m, chain, server, new Uint8Array(40));
}

describe('events', () => {
  it('counts from zero, with every drop reason', () => {
    const stats = newStats();
    expect(stats.queriesStarted).toBe(0);
    expect(Object.values(stats.dropped)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(newStats()).not.toBe(stats);
  });

  it('errorEvent: a DnsError named after the query, and a source only when shared', () => {
    const e = errorEvent(3, question, 'ESERVFAIL', 'rcode 2', 12, 2);
    expect(e).toMatchObject({ kind: 'error', handle: 3, code: 'ESERVFAIL', elapsed: 12, sent: 2 });
    expect('source' in e).toBe(false);
    expect(isDnsError(e.error) && e.error.message).toBe('queryA ESERVFAIL www.example: rcode 2');
    expect(errorEvent(3, question, 'ESERVFAIL', 'x', 0, 0, 'cache').source).toBe('cache');
  });

  it('hitEvent: a live answer with its TTL counted down, a remembered failure as an error', () => {
    const { stats, cache } = cacheWith();
    store(cache, 0);
    const k = keysOf('www.example', 1, 1, 0);
    const hit = hitEvent(stats, cache, 30_500, k, cache.lookup(30_500, k)!, 9, question);
    expect(hit).toMatchObject({ kind: 'answer', source: 'cache', sent: 0, records: [{ ttl: 30 }] });
    cache.storeFailure(0, question, 0, 'ESERVFAIL');
    const failure = cache.entries().find((e) => e.kind === 'failure')!;
    expect(hitEvent(stats, cache, 1, k, failure, 10, question)).toMatchObject({ kind: 'error', code: 'ESERVFAIL', source: 'cache' });
    expect([stats.queriesStarted, stats.cacheHits, stats.answered, stats.failed]).toEqual([2, 2, 1, 1]);
  });

  it('staleEvent: expired data within maxStale when serve-stale is on, at staleTtl', () => {
    const off = cacheWith();
    store(off.cache, 0);
    const k = keysOf('www.example', 1, 1, 0);
    expect(staleEvent(off.stats, off.cache, 61_000, k, 1, question, 5)).toBeUndefined();
    const on = cacheWith({ serveStale: true, staleTtl: 7 });
    store(on.cache, 0);
    expect(staleEvent(on.stats, on.cache, 61_000, k, 1, question, 5)).toMatchObject({ source: 'stale', elapsed: 5, records: [{ ttl: 7 }] });
    expect([on.stats.staleAnswers, on.stats.answered]).toEqual([1, 1]);
  });
});
