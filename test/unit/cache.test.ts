import { describe, expect, it } from 'vitest';
import type { AnswerEvent, ErrorEvent, Resolver, ResolverEvent, Transmit } from '../../src/index.js';
import type { DnsRecord } from '../../src/codec.js';
import { A, finals, makeResolver, reply } from '../helpers/core-harness.js';

const SOA = (name: string, ttl: number, minimum: number): DnsRecord => ({
  name, type: 'SOA', class: 1, ttl,
  data: { mname: `ns.${name === '.' ? 'root' : name}`, rname: 'h.root', serial: 1, refresh: 7200, retry: 3600, expire: 1209600, minimum },
});
const a = (name: string, ttl: number, data = '192.0.2.80'): DnsRecord => ({ name, type: 'A', class: 1, ttl, data });

function only(r: Resolver): Transmit {
  const out = r.poll();
  expect(out.transmits).toHaveLength(1);
  return out.transmits[0]!;
}
function final(r: Resolver): Exclude<ResolverEvent, { kind: 'trace' }> {
  const f = finals(r.poll());
  expect(f).toHaveLength(1);
  return f[0]!;
}
function answer(r: Resolver): AnswerEvent {
  const e = final(r);
  if (e.kind !== 'answer') throw new Error(`expected an answer, got ${e.code}`);
  return e;
}
/** Ask once over the network and answer with `o`. */
function ask(r: Resolver, t: number, name: string, o: Parameters<typeof reply>[1] = {}, type = 'A'): AnswerEvent {
  r.query(t, name, type);
  const tx = only(r);
  r.handleDatagrams(t, [{ data: reply(tx, o), peer: tx.peer }]);
  return answer(r);
}

describe('positive cache', () => {
  it('answers a repeat within the call, counting TTLs down to the millisecond, and asks again at expiry', () => {
    const r = makeResolver();
    const first = ask(r, 1000, 'www.example.test', { answers: [a('www.example.test', 300), a('www.example.test', 60, '192.0.2.81')] });
    expect(first).toMatchObject({ source: 'network', sent: 1 });
    const h = r.query(1000 + 59_999, 'WWW.Example.TEST');
    expect(r.pollDeadline()).toBe(60_999);
    const out = r.poll();
    expect(out.transmits).toEqual([]);
    const hit = out.events[0] as AnswerEvent;
    expect(hit).toMatchObject({ kind: 'answer', handle: h, source: 'cache', sent: 0, elapsed: 0, server: A });
    expect(hit.question.name).toBe('WWW.Example.TEST');
    expect(hit.message.questions[0]!.name).toBe('WWW.Example.TEST');
    expect(hit.message.id).toBe(0);
    expect(hit.message.flags.aa).toBe(false);
    expect(hit.message.answers.map((x) => x.ttl)).toEqual([1, 1]);
    expect(hit.records).toBe(hit.message.answers);
    expect(r.stats).toMatchObject({ cacheHits: 1, cacheMisses: 1, queriesStarted: 2, answered: 2 });
    expect(r.cancel(61_000, h)).toBe(false);
    r.query(61_000, 'www.example.test');
    expect(r.poll().transmits).toHaveLength(1);
    expect(r.cached.entries).toBe(0);
  });

  it('never caches TTL 0, clamps to minTtl and maxTtl, and keys DO and CD apart', () => {
    const r = makeResolver({ minTtl: 10, maxTtl: 100 });
    ask(r, 0, 'zero.test', { answers: [a('zero.test', 0)] });
    r.query(0, 'zero.test');
    expect(r.poll().transmits).toHaveLength(1);
    r.cancelAll(0);
    r.poll();
    ask(r, 0, 'short.test', { answers: [a('short.test', 2)] });
    r.query(9_999, 'short.test');
    expect(answer(r).message.answers[0]!.ttl).toBe(1);
    ask(r, 0, 'long.test', { answers: [a('long.test', 5000)] });
    r.query(0, 'long.test');
    expect(answer(r).message.answers[0]!.ttl).toBe(100);
    r.query(0, 'long.test', 'A', { dnssecOk: true });
    expect(r.poll().transmits).toHaveLength(1);
    r.query(0, 'long.test', 'A', { checkingDisabled: true });
    expect(r.poll().transmits).toHaveLength(1);
  });

  it('is off with cache: false, and clearCache forgets', () => {
    const off = makeResolver({ cache: false });
    ask(off, 0, 'x.test');
    off.query(1, 'x.test');
    expect(off.poll().transmits).toHaveLength(1);
    expect(off.stats.cacheMisses).toBe(0);
    const neither = makeResolver({ cache: false, coalesce: false });
    ask(neither, 0, 'x.test');
    neither.query(1, 'x.test');
    neither.query(1, 'x.test');
    expect(neither.poll().transmits).toHaveLength(2);
    const r = makeResolver();
    ask(r, 0, 'x.test');
    expect(r.cached.entries).toBe(1);
    expect(r.cached.bytes).toBeGreaterThan(20);
    r.clearCache();
    expect(r.cached).toEqual({ entries: 0, bytes: 0 });
  });
});

describe('negative cache (RFC 2308)', () => {
  it('keeps NXDOMAIN per name for min(SOA TTL, MINIMUM), for every type', () => {
    const r = makeResolver();
    const nx = ask(r, 0, 'nope.example.test', { rcode: 3, answers: [], authorities: [SOA('example.test', 600, 120)] });
    expect(nx.message.rcode).toBe(3);
    r.query(119_999, 'nope.example.test', 'AAAA');
    const hit = answer(r);
    expect(hit).toMatchObject({ source: 'cache', records: [] });
    expect(hit.message.rcode).toBe(3);
    expect(hit.message.questions[0]!.type).toBe(28);
    expect(hit.message.authorities.map((x) => [x.type, x.ttl])).toEqual([['SOA', 1]]);
    r.query(120_000, 'nope.example.test', 'AAAA');
    expect(r.poll().transmits).toHaveLength(1);
  });

  it('keeps NODATA per name and type, bounded by negativeMaxTtl; no SOA or an unrelated SOA, no cache', () => {
    const r = makeResolver({ negativeMaxTtl: 30 });
    ask(r, 0, 'www.example.test', { answers: [], authorities: [SOA('example.test', 9000, 9000)] }, 'MX');
    r.query(29_999, 'www.example.test', 'MX');
    expect(answer(r).message.authorities[0]!.ttl).toBe(1);
    r.query(0, 'www.example.test', 'TXT');
    expect(r.poll().transmits).toHaveLength(1);
    ask(r, 0, 'a.example.test', { answers: [] }, 'MX');
    r.query(1, 'a.example.test', 'MX');
    expect(r.poll().transmits).toHaveLength(1);
    ask(r, 0, 'b.example.test', { answers: [], authorities: [SOA('other.test', 600, 600)] }, 'MX');
    r.query(1, 'b.example.test', 'MX');
    expect(r.poll().transmits).toHaveLength(1);
    ask(r, 0, 'c.example.test', { answers: [], authorities: [SOA('example.test', 0, 600)] }, 'MX');
    r.query(1, 'c.example.test', 'MX');
    expect(r.poll().transmits).toHaveLength(1);
    r.cancelAll(1);
    r.poll();
  });

  it('takes the SOA only from the zone of the name: at or above it, label-wise', () => {
    const cached = (name: string, zone: string): boolean => {
      const r = makeResolver();
      ask(r, 0, name, { answers: [], authorities: [SOA(zone, 600, 600)] }, 'MX');
      return r.cached.entries === 1;
    };
    expect(cached('example.test', 'example.test')).toBe(true);
    expect(cached('x.example.test', '.')).toBe(true);
    expect(cached('x.example.test', 'EXAMPLE.test')).toBe(true);
    expect(cached('x.example.test', 'ample.test')).toBe(false);
    expect(cached('test', 'example.test')).toBe(false);
    expect(cached('a\\.b.example.test', 'b.example.test')).toBe(false);
    expect(cached('a\\.b.example.test', 'a\\.b.example.test')).toBe(true);
    expect(cached('a\\\\.b.example.test', 'b.example.test')).toBe(true);
  });

  it('caches NXDOMAIN at the end of a CNAME chain under the question only', () => {
    const r = makeResolver();
    const cname: DnsRecord = { name: 'alias.example.test', type: 'CNAME', class: 1, ttl: 300, data: 'gone.example.test' };
    ask(r, 0, 'alias.example.test', { rcode: 3, answers: [cname], authorities: [SOA('example.test', 600, 60)] });
    r.query(1, 'alias.example.test');
    expect(answer(r)).toMatchObject({ source: 'cache', records: [{ type: 'CNAME', ttl: 60 }] });
    r.query(1, 'alias.example.test', 'TXT');
    expect(r.poll().transmits).toHaveLength(1);
  });
});

describe('server failures (RFC 9520)', () => {
  function failAll(r: Resolver, t: number, name: string): ErrorEvent {
    r.query(t, name);
    for (let i = 0; i < 2; i++) {
      const tx = only(r);
      r.handleDatagrams(t, [{ data: reply(tx, { rcode: 2, answers: [] }), peer: tx.peer }]);
    }
    const e = final(r);
    if (e.kind !== 'error') throw new Error('expected an error');
    return e;
  }

  it('remembers SERVFAIL for failureTtl seconds, then asks again', () => {
    const r = makeResolver({ failureTtl: 2 });
    expect(failAll(r, 0, 'broken.test').code).toBe('ESERVFAIL');
    const h = r.query(1999, 'broken.test');
    const e = final(r);
    expect(e).toMatchObject({ kind: 'error', handle: h, code: 'ESERVFAIL', source: 'cache', sent: 0, elapsed: 0 });
    expect(r.stats.failed).toBe(2);
    r.query(2000, 'broken.test');
    expect(r.poll().transmits).toHaveLength(1);
  });

  it('remembers nothing with failureTtl 0, nor other failures', () => {
    const r = makeResolver({ failureTtl: 0 });
    failAll(r, 0, 'broken.test');
    r.query(1, 'broken.test');
    expect(r.poll().transmits).toHaveLength(1);
    const r2 = makeResolver();
    r2.query(0, 'refused.test');
    for (let i = 0; i < 2; i++) {
      const tx = only(r2);
      r2.handleDatagrams(0, [{ data: reply(tx, { rcode: 5, answers: [] }), peer: tx.peer }]);
    }
    expect(final(r2)).toMatchObject({ code: 'EREFUSED' });
    r2.query(1, 'refused.test');
    expect(r2.poll().transmits).toHaveLength(1);
  });
});

describe('serve-stale (RFC 8767)', () => {
  it('is off by default: expired data is dropped', () => {
    const r = makeResolver({ deadline: 1000 });
    ask(r, 0, 'www.test', { answers: [a('www.test', 1)] });
    r.query(1000, 'www.test');
    r.poll();
    r.handleTimeout(2000);
    expect(final(r)).toMatchObject({ kind: 'error', code: 'ETIMEOUT' });
    expect(r.cached.entries).toBe(0);
  });

  it('answers from expired data with a 30 s TTL when every server fails, then from the failure memory at once', () => {
    const r = makeResolver({ serveStale: true, deadline: 1000, maxStale: 3600 });
    ask(r, 0, 'www.test', { answers: [a('www.test', 1)] });
    const h = r.query(5000, 'www.test');
    expect(r.poll().transmits).toHaveLength(1);
    r.handleTimeout(6000);
    const st = answer(r);
    expect(st).toMatchObject({ handle: h, source: 'stale', elapsed: 1000, server: A });
    expect(st.message.answers[0]!.ttl).toBe(30);
    const h2 = r.query(6500, 'www.test');
    expect(answer(r)).toMatchObject({ handle: h2, source: 'stale', elapsed: 0 });
    expect(r.stats).toMatchObject({ staleAnswers: 2, cacheHits: 1 });
    r.query(11_000, 'www.test');
    expect(r.poll().transmits).toHaveLength(1);
  });

  it('serves nothing past maxStale, and a remembered failure without data is an error', () => {
    const r = makeResolver({ serveStale: true, deadline: 1000, maxStale: 10, staleTtl: 5 });
    ask(r, 0, 'www.test', { answers: [a('www.test', 1)] });
    r.query(10_999, 'www.test');
    r.poll();
    r.handleTimeout(11_999);
    expect(final(r)).toMatchObject({ kind: 'error', code: 'ETIMEOUT' });
    r.query(12_000, 'www.test');
    expect(r.poll().transmits).toHaveLength(1);
    r.cancelAll(12_000);
    r.poll();
    r.query(20_000, 'other.test');
    const tx = only(r);
    r.handleDatagrams(20_000, [{ data: reply(tx, { rcode: 2, answers: [] }), peer: tx.peer }]);
    const tx2 = only(r);
    r.handleDatagrams(20_000, [{ data: reply(tx2, { rcode: 2, answers: [] }), peer: tx2.peer }]);
    expect(final(r)).toMatchObject({ code: 'ESERVFAIL' });
    r.query(20_001, 'other.test');
    expect(final(r)).toMatchObject({ code: 'ESERVFAIL', source: 'cache' });
  });
});

describe('bounds', () => {
  it('evicts the least recently used entry by count', () => {
    const r = makeResolver({ cacheMaxEntries: 2 });
    ask(r, 0, 'a.test');
    ask(r, 0, 'b.test');
    r.query(1, 'a.test');
    answer(r);
    ask(r, 2, 'c.test');
    expect(r.stats.cacheEvictions).toBe(1);
    r.query(3, 'a.test');
    expect(answer(r).source).toBe('cache');
    r.query(3, 'b.test');
    expect(r.poll().transmits).toHaveLength(1);
  });

  it('evicts by bytes, and does not keep an entry larger than the whole bound', () => {
    const probe = makeResolver();
    ask(probe, 0, 'a.test');
    const size = probe.cached.bytes;
    const r = makeResolver({ cacheMaxBytes: size * 2 });
    ask(r, 0, 'a.test');
    ask(r, 0, 'b.test');
    ask(r, 0, 'c.test');
    expect(r.cached).toEqual({ entries: 2, bytes: size * 2 });
    const tiny = makeResolver({ cacheMaxBytes: size - 1 });
    ask(tiny, 0, 'a.test');
    expect(tiny.cached.entries).toBe(0);
    const none = makeResolver({ cacheMaxEntries: 0 });
    ask(none, 0, 'a.test');
    expect(none.cached.entries).toBe(0);
  });

  it('rejects bad cache options', () => {
    for (const bad of [{ cacheMaxEntries: -1 }, { minTtl: 10, maxTtl: 5 }, { failureTtl: 301 }, { serveStale: 'yes' }, { maxCnameChain: 0 }, { staleTtl: 0 }]) {
      expect(() => makeResolver(bad as never)).toThrowError(expect.objectContaining({ code: 'EBADOPTION' }) as Error);
    }
  });
});

describe('a hit needs no server', () => {
  it('answers from the cache even with maxInFlight queries in flight', () => {
    const r = makeResolver({ maxInFlight: 1 });
    ask(r, 0, 'a.test');
    r.query(0, 'b.test');
    r.poll();
    r.query(1, 'a.test');
    expect(answer(r).source).toBe('cache');
  });
});
