import { describe, expect, it } from 'vitest';
import {
  restore, snapshot, type AnswerEvent, type Endpoint, type Resolver, type ResolverSnapshot, type SnapshotAnswer, type SnapshotFailure,
} from '../../src/index.js';
import { encodeMessage, type DnsRecord, type Message } from '../../src/codec.js';
import { A, decode, finals, makeResolver, reply } from '../helpers/core-harness.js';

const SOA: DnsRecord = {
  name: 'example.test', type: 'SOA', class: 1, ttl: 600,
  data: { mname: 'ns.example.test', rname: 'h.example.test', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 60 },
};

function ask(r: Resolver, t: number, name: string, o: Parameters<typeof reply>[1] = {}): void {
  r.query(t, name);
  const tx = r.poll().transmits[0]!;
  r.handleDatagrams(t + 10, [{ data: reply(tx, o), peer: tx.peer }]);
  r.poll();
}

function failAll(r: Resolver, t: number, name: string): void {
  r.query(t, name);
  for (let i = 0; i < 2; i++) {
    const tx = r.poll().transmits[0]!;
    r.handleDatagrams(t, [{ data: reply(tx, { rcode: 2, answers: [] }), peer: tx.peer }]);
  }
  r.poll();
}

function warm(): { r: Resolver; snap: ResolverSnapshot } {
  const r = makeResolver();
  ask(r, 0, 'www.test', { answers: [{ name: 'www.test', type: 'A', class: 1, ttl: 300, data: '192.0.2.80' }] });
  ask(r, 0, 'nope.example.test', { rcode: 3, answers: [], authorities: [SOA] });
  failAll(r, 0, 'broken.test');
  return { r, snap: snapshot(r, 1000) };
}

/** The answer from the cache, or undefined when the query went to the network (then cancelled). */
function hit(r: Resolver, t: number, name: string): AnswerEvent | undefined {
  r.query(t, name);
  const out = r.poll();
  if (out.transmits.length > 0) {
    r.cancelAll(t);
    r.poll();
    return undefined;
  }
  return finals(out)[0] as AnswerEvent;
}

describe('snapshot and restore', () => {
  it('round-trips through JSON: cache, negative answers, failures and server state, on one timeline', () => {
    const { r, snap } = warm();
    expect(snap).toMatchObject({ version: 1, taken: 1000 });
    expect(snap.cache.map((e) => e.kind)).toEqual(['data', 'data', 'failure']);
    const json = JSON.parse(JSON.stringify(snap)) as ResolverSnapshot;
    expect(json).toEqual(snap);
    const fresh = makeResolver();
    restore(fresh, 4000, json);
    expect(fresh.cached).toEqual(r.cached);
    const e = hit(fresh, 4000, 'www.test');
    expect(e).toMatchObject({ source: 'cache', server: A });
    expect(e!.message.answers[0]!.ttl).toBe(297);
    fresh.query(4000, 'nope.example.test', 'MX');
    expect(finals(fresh.poll())[0]).toMatchObject({ source: 'cache' });
    fresh.query(4_999, 'broken.test');
    expect(finals(fresh.poll())[0]).toMatchObject({ kind: 'error', code: 'ESERVFAIL', source: 'cache' });
    const srv = json.servers[0]!;
    expect(srv.server).toBe('udp 192.0.2.1 53');
    expect(snapshot(fresh, 5000).servers[0]).toMatchObject({ srtt: srv.srtt, rttvar: srv.rttvar, noEdns: false });
  });

  it('ages entries by elapsed on a new timeline, and leaves out what expired', () => {
    const { snap } = warm();
    const r = makeResolver();
    restore(r, 5, snap, { elapsed: 200_000 });
    expect(hit(r, 5, 'www.test')!.message.answers[0]!.ttl).toBe(100);
    expect(hit(r, 5, 'nope.example.test')).toBeUndefined();
    const late = makeResolver();
    restore(late, 5, snap);
    expect(hit(late, 5, 'www.test')!.message.answers[0]!.ttl).toBe(300);
    const stale = makeResolver({ serveStale: true });
    restore(stale, 0, snap, { elapsed: 400_000 });
    expect(stale.cached.entries).toBe(2);
  });

  it('never lets a restored entry outlive what a fresh answer would get, and skips unknown servers', () => {
    const { snap } = warm();
    const forged = { ...snap, cache: snap.cache.map((e) => ({ ...e, expires: 1e12 })), servers: [{ server: 'udp 198.51.100.1 53', srtt: 1, rttvar: 1, noEdns: true }] };
    const r = makeResolver({ maxTtl: 10 });
    restore(r, 1000, forged);
    expect(hit(r, 1000, 'www.test')!.message.answers[0]!.ttl).toBe(10);
    expect(snapshot(r, 1000).servers.map((s) => s.srtt)).toEqual([null, null]);
    restore(r, 1000, { ...snap, cache: [], servers: [{ server: 'udp 192.0.2.2 53', srtt: null, rttvar: 0, noEdns: true }] });
    expect(snapshot(r, 1000).servers[1]).toEqual({ server: 'udp 192.0.2.2 53', srtt: null, rttvar: 0, noEdns: true });
  });

  it('throws EBADSNAPSHOT for anything malformed and changes nothing', () => {
    const { snap } = warm();
    const entry = snap.cache[0]!;
    const fail = snap.cache[2]!;
    const bads: unknown[] = [
      null, 'x', { ...snap, version: 2 }, { ...snap, taken: 'now' }, { ...snap, cache: {} },
      { ...snap, cache: [null] }, { ...snap, cache: [{ ...entry, kind: 'other' }] },
      { ...snap, cache: [{ ...entry, bits: 4 }] }, { ...snap, cache: [{ ...entry, bits: 0.5 }] }, { ...snap, cache: [5] }, { ...snap, servers: [5] },
      { ...snap, cache: [{ ...entry, server: { transport: 'tcp', address: 1, port: 53 } }] },
      { ...snap, cache: [{ ...entry, server: { transport: 'udp', address: 'a', port: '53' } }] },
      { ...snap, servers: [{ server: 'x', noEdns: 1, srtt: null, rttvar: 0 }] }, { ...snap, cache: [{ ...entry, server: null }] },
      { ...snap, cache: [{ ...entry, server: { transport: 'doh', url: 1 } }] },
      { ...snap, cache: [{ ...entry, wire: '***' }] }, { ...snap, cache: [{ ...entry, wire: 'AAAA' }] },
      { ...snap, cache: [{ ...fail, code: 'ENOPE' }] }, { ...snap, cache: [{ ...fail, name: 'a..b' }] },
      { ...snap, cache: [{ ...fail, type: -1 }] }, { ...snap, servers: [null] },
      { ...snap, servers: [{ server: 'x', noEdns: false, srtt: 'fast', rttvar: 0 }] },
    ];
    const r = makeResolver();
    ask(r, 0, 'keep.test');
    for (const bad of bads) {
      expect(() => restore(r, 1, bad as ResolverSnapshot), JSON.stringify(bad)).toThrowError(expect.objectContaining({ code: 'EBADSNAPSHOT' }) as Error);
    }
    expect(() => restore(r, 1, snap, { elapsed: Number.NaN })).toThrowError(expect.objectContaining({ code: 'EBADSNAPSHOT' }) as Error);
    expect(r.cached.entries).toBe(1);
    expect(hit(r, 1, 'keep.test')).toMatchObject({ source: 'cache' });
  });

  it('refuses a saved response that is not a cacheable answer', () => {
    const r = makeResolver();
    const wireOf = (o: Parameters<typeof reply>[1], name = 'x.test'): string => {
      r.query(0, name);
      const tx = r.poll().transmits[0]!;
      r.cancelAll(0);
      r.poll();
      return btoa(String.fromCharCode(...reply(tx, o)));
    };
    const base = { kind: 'data', expires: 1e6, bits: 0, server: A };
    const cases = [
      wireOf({ rcode: 2, answers: [] }), wireOf({ answers: [], authorities: [] }), wireOf({ questions: false }),
      wireOf({ answers: [{ name: 'l.test', type: 'CNAME', class: 1, ttl: 5, data: 'l.test' }] }, 'l.test'),
      wireOf({ qr: false }),
    ];
    for (const wire of cases) {
      const snap = { version: 1, taken: 0, cache: [{ ...base, wire }], servers: [] };
      expect(() => restore(r, 0, snap as unknown as ResolverSnapshot)).toThrowError(expect.objectContaining({ code: 'EBADSNAPSHOT' }) as Error);
    }
  });

  it('restores only what the resolver itself could have cached (issue 18): anything else is EBADSNAPSHOT, nothing changed', () => {
    const { snap } = warm();
    const entry = snap.cache[0] as SnapshotAnswer;
    const fail = snap.cache[2] as SnapshotFailure;
    const m = decode(Uint8Array.from(atob(entry.wire), (c) => c.charCodeAt(0)));
    const wire = (patch: Partial<Message>): string => btoa(String.fromCharCode(...encodeMessage({ ...m, ...patch })));
    const q = m.questions[0]!;
    const bads: [string, unknown][] = [
      ['QR clear', { ...entry, wire: wire({ flags: { ...m.flags, qr: false } }) }],
      ['opcode NOTIFY', { ...entry, wire: wire({ opcode: 4 }) }],
      ['opcode UPDATE', { ...entry, wire: wire({ opcode: 5 }) }],
      ['question of type 0', { ...entry, wire: wire({ questions: [{ ...q, type: 0 }] }) }],
      ['question of type AXFR', { ...entry, wire: wire({ questions: [{ ...q, type: 252 }] }) }],
      ['question of type OPT', { ...entry, wire: wire({ questions: [{ ...q, type: 41 }] }) }],
      ['question of class 0', { ...entry, wire: wire({ questions: [{ ...q, class: 0 }] }) }],
      ['question of class NONE', { ...entry, wire: wire({ questions: [{ ...q, class: 254 }] }) }],
      ['TC over UDP', { ...entry, wire: wire({ flags: { ...m.flags, tc: true } }) }],
      ['failure of type 0', { ...fail, type: 0 }],
      ['failure of type AXFR', { ...fail, type: 252 }],
      ['failure of type IXFR', { ...fail, type: 251 }],
      ['failure of class 0', { ...fail, class: 0 }],
      ['failure of class NONE', { ...fail, class: 254 }],
    ];
    const r = makeResolver();
    ask(r, 0, 'keep.test');
    for (const [why, bad] of bads) {
      expect(() => restore(r, 1, { ...snap, cache: [bad] } as ResolverSnapshot), why).toThrowError(expect.objectContaining({ code: 'EBADSNAPSHOT' }) as Error);
    }
    expect(r.cached.entries).toBe(1);
    expect(hit(r, 1, 'keep.test')).toMatchObject({ source: 'cache' });
    // The same answers the resolver can make are restored: TC over TCP, ANY, class CH.
    const tcp: Endpoint = { transport: 'tcp', address: '192.0.2.1', port: 53 };
    restore(r, 1, { ...snap, cache: [{ ...entry, wire: wire({ flags: { ...m.flags, tc: true } }), server: tcp }] });
    expect(r.cached.entries).toBe(1);
    restore(r, 1, { ...snap, cache: [{ ...fail, type: 255, class: 3 }] });
    expect(r.cached.entries).toBe(1);
  });

  it('treats a TTL with its top bit set as 0 (RFC 2181 §8): answered with TTL 0, not cached', () => {
    const r = makeResolver();
    r.query(0, 'top.test');
    const tx = r.poll().transmits[0]!;
    r.handleDatagrams(5, [{ data: reply(tx, { answers: [{ name: 'top.test', type: 'A', class: 1, ttl: 2 ** 31, data: '192.0.2.9' }] }), peer: tx.peer }]);
    const [e] = finals(r.poll());
    expect(e).toMatchObject({ kind: 'answer', records: [{ ttl: 0, data: '192.0.2.9' }] });
    expect(r.cached.entries).toBe(0);
  });
});
