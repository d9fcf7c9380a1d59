/**
 * The cache, serve-stale, coalescing and snapshots in the simulator, on
 * virtual time: TTL expiry to the millisecond, negative caching, stale
 * windows, coalescing under loss, and a warm start in a world where the
 * server is gone.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/simulation.js';
import { SimResolver } from '../../src/drivers/sim/resolver.js';
import { InvariantChecker } from '../../src/sim/invariants.js';
import { Zone } from '../../src/sim/zone.js';
import type { AnswerEvent, ErrorEvent, ResolverSnapshot } from '../../src/index.js';

const ZONE = new Zone('example.com', [
  { name: 'example.com', type: 'SOA', ttl: 3600, data: { mname: 'ns.example.com', rname: 'h.example.com', serial: 1, refresh: 7200, retry: 3600, expire: 1209600, minimum: 20 } },
  { name: 'www.example.com', type: 'A', ttl: 2, data: '192.0.2.80' },
  { name: 'alias.example.com', type: 'CNAME', ttl: 60, data: 'www.example.com' },
  { name: '*.wild.example.com', type: 'A', ttl: 300, data: '192.0.2.81' },
]);

type Final = AnswerEvent | ErrorEvent;

function world(resolver: Record<string, unknown> = {}, network = { latency: 10 }): { sim: Simulation; finals: Map<number, Final>; asked: () => number } {
  const sim = new Simulation({ seed: 7, servers: [{ address: '192.0.2.1', zones: [ZONE] }], network, resolver });
  const finals = new Map<number, Final>();
  sim.onOutput((_t, out) => {
    for (const e of out.events) if (e.kind !== 'trace') finals.set(e.handle, e);
  });
  return { sim, finals, asked: () => sim.world.servers[0]!.stats.queries };
}

describe('cache on virtual time', () => {
  it('expires a positive answer to the millisecond: TTL 2 s from the moment it arrived', () => {
    const { sim, finals, asked } = world();
    const h1 = sim.query('www.example.com');
    sim.run();
    expect(finals.get(h1)).toMatchObject({ kind: 'answer', source: 'network', elapsed: 20 });
    expect(asked()).toBe(1);
    sim.at(2019, () => void sim.query('www.example.com'));
    sim.run();
    expect(asked()).toBe(1);
    const hit = [...finals.values()].at(-1) as AnswerEvent;
    expect(hit).toMatchObject({ source: 'cache', sent: 0 });
    expect(hit.message.answers[0]!.ttl).toBe(1);
    sim.at(2020, () => void sim.query('www.example.com'));
    sim.run();
    expect(asked()).toBe(2);
    expect(sim.resolver.stats).toMatchObject({ cacheHits: 1, cacheMisses: 2, datagramsSent: 2 });
  });

  it('keeps NXDOMAIN for the SOA minimum (20 s), for every type of the name, and a CNAME chain for its weakest link', () => {
    const { sim, finals, asked } = world();
    sim.query('nope.example.com');
    sim.query('alias.example.com');
    sim.run();
    sim.at(1_000, () => void sim.query('alias.example.com'));
    sim.at(19_000, () => void sim.query('nope.example.com', 'AAAA'));
    sim.run();
    expect(asked()).toBe(2);
    const [alias, nx] = [...finals.values()].slice(-2) as AnswerEvent[];
    expect(nx).toMatchObject({ source: 'cache' });
    expect(nx!.message.rcode).toBe(3);
    expect(alias).toMatchObject({ source: 'cache' });
    expect(alias!.records.map((r) => r.type)).toEqual(['CNAME', 'A']);
    sim.at(20_019, () => void sim.query('nope.example.com', 'AAAA'));
    sim.run();
    expect(asked()).toBe(2);
    sim.at(20_020, () => void sim.query('nope.example.com', 'AAAA'));
    sim.run();
    expect(asked()).toBe(3);
  });
});

describe('serve-stale on virtual time (RFC 8767)', () => {
  it('answers stale with TTL 30 while the server is down, within maxStale, then fails', () => {
    const { sim, finals } = world({ serveStale: true, maxStale: 60, deadline: 1000 });
    sim.world.network.outage('192.0.2.1', { from: 1000, until: 1e9 });
    sim.query('www.example.com');
    sim.run();
    sim.at(10_000, () => void sim.query('www.example.com'));
    sim.run();
    const stale = [...finals.values()].at(-1) as AnswerEvent;
    expect(stale).toMatchObject({ source: 'stale', elapsed: 1000 });
    expect(stale.message.answers[0]!.ttl).toBe(30);
    sim.at(12_000, () => void sim.query('www.example.com'));
    sim.run();
    expect([...finals.values()].at(-1)).toMatchObject({ source: 'stale', elapsed: 0, sent: 0 });
    sim.at(62_020, () => void sim.query('www.example.com'));
    sim.run();
    expect([...finals.values()].at(-1)).toMatchObject({ kind: 'error', code: 'ETIMEOUT' });
  });

  it('is off by default: the same outage is a timeout', () => {
    const { sim, finals } = world({ deadline: 1000 });
    sim.world.network.outage('192.0.2.1', { from: 1000, until: 1e9 });
    sim.query('www.example.com');
    sim.run();
    sim.at(10_000, () => void sim.query('www.example.com'));
    sim.run();
    expect([...finals.values()].at(-1)).toMatchObject({ kind: 'error', code: 'ETIMEOUT' });
  });
});

describe('coalescing under loss', () => {
  it('50 concurrent asks for one name: the datagrams of one query, 50 answers, every invariant kept', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const sim = new Simulation({ seed, servers: [{ address: '192.0.2.1', zones: [ZONE] }, { address: '192.0.2.2', zones: [ZONE] }], network: { latency: 20, loss: 0.3 } });
      const chk = new InvariantChecker(sim);
      for (let i = 0; i < 50; i++) sim.at(i, () => void chk.query(i % 2 === 0 ? 'x.wild.example.com' : 'X.WILD.example.com', 'A', 5000));
      sim.run();
      expect(chk.finish()).toEqual([]);
      const answers = chk.finals().filter((e) => e.kind === 'answer');
      expect(answers.length).toBe(50);
      expect(answers.filter((e) => e.source === 'coalesced').length).toBeGreaterThan(0);
      expect(sim.resolver.stats.coalesced + sim.resolver.stats.cacheHits).toBe(49);
      expect(sim.resolver.stats.datagramsSent).toBeLessThanOrEqual(8);
    }
  });
});

describe('snapshot for a warm start', () => {
  it('restores through JSON into a resolver whose world has no server at all', async () => {
    const a = new SimResolver({ seed: 1, servers: [{ address: '192.0.2.1', zones: [ZONE] }], network: { latency: 5 } });
    expect(await a.resolve4('x.wild.example.com')).toEqual(['192.0.2.81']);
    const saved = JSON.stringify(a.snapshot());
    const b = new SimResolver({ seed: 2, servers: [{ address: '192.0.2.1', zones: [ZONE], behaviour: { silent: 1 } }], start: 50_000, deadline: 500 });
    b.restore(JSON.parse(saved) as ResolverSnapshot, { elapsed: 100_000 });
    expect(await b.resolve4('x.wild.example.com', { ttl: true })).toEqual([{ address: '192.0.2.81', ttl: 200 }]);
    expect(b.stats.datagramsSent).toBe(0);
    expect(() => b.restore({ version: 9 } as never)).toThrowError(expect.objectContaining({ code: 'EBADSNAPSHOT' }) as Error);
    await expect(b.resolve4('www.example.com')).rejects.toMatchObject({ code: 'ETIMEOUT' });
  });
});
