/**
 * drivers/sim/resolver.ts: virtual time moves only while the caller's code is
 * idle, so calls made together overlap as on a network; `idle()`; livelocks.
 */
import { describe, expect, it } from 'vitest';
import { SimResolver, SimulationError } from '../../../../src/sim.js';

const ZONE = '$ORIGIN example.test.\n@ IN SOA ns h 1 2 3 4 5\n* IN A 192.0.2.80\n';
const servers = (n: number) => Array.from({ length: n }, (_, i) => ({ address: `192.0.2.${i + 1}`, zones: [ZONE] }));

describe('SimResolver on virtual time', () => {
  it('starts calls made in the same tick at the same virtual time, and moves time only when the caller is idle', async () => {
    const r = new SimResolver({ seed: 1, servers: servers(1), network: { latency: 20 } });
    const a = r.resolve4('a.example.test');
    const b = r.resolve4('b.example.test');
    await Promise.resolve();
    await Promise.resolve();
    expect(r.now()).toBe(0);
    expect(r.stats.datagramsSent).toBe(2);
    expect(await Promise.all([a, b])).toEqual([['192.0.2.80'], ['192.0.2.80']]);
    expect(r.now()).toBe(40);
    // A query started from a continuation starts at the virtual time the continuation ran.
    const c = await r.resolve4('c.example.test').then(() => r.now());
    expect(c).toBe(80);
  });

  it('overlaps 2,000 calls of one Promise.all: about 2 s of virtual time at 30% loss each way, one server, defaults', async () => {
    const r = new SimResolver({ seed: 2024, servers: servers(1), network: { latency: 20, loss: 0.3 }, deadline: 2000 });
    const names = Array.from({ length: 2000 }, (_, i) => `host${i}.example.test`);
    const started = r.now();
    const results = await Promise.all(names.map((n) => r.resolve4(n).then(() => true, () => false)));
    const answered = results.filter(Boolean).length;
    expect(r.now() - started).toBeLessThanOrEqual(2000);
    expect(answered).toBeGreaterThanOrEqual(1998);
    expect(r.stats.datagramsSent / names.length).toBeLessThan(2.3);
  });

  it('keeps per-query state only while a query is in flight: the transport forgets each finished handle (issue 13)', async () => {
    const r = new SimResolver({ seed: 5, servers: servers(2), network: { latency: 10, loss: 0.2, duplicate: 0.2 } });
    const names = Array.from({ length: 300 }, (_, i) => `h${i}.example.test`);
    await Promise.all(names.map((n) => r.resolve4(n).catch(() => undefined)));
    const transports = (r as unknown as { transports: { raced: Set<number> }[] }).transports;
    expect(transports.length).toBeGreaterThan(0);
    expect(r.stats.queriesStarted).toBe(300);
    for (const t of transports) expect(t.raced.size).toBe(0);
  });

  it('resolves idle() when nothing is left to run; settles in idle() without autoRun', async () => {
    const r = new SimResolver({ seed: 3, servers: servers(2), network: { latency: 10, duplicate: 1 } });
    void r.resolve4('x.example.test');
    await r.idle();
    // Every copy was delivered too (the query twice, each answer twice): one accepted, three late.
    expect(r.now()).toBe(20);
    expect(r.stats.dropped.late).toBe(3);
    const manual = new SimResolver({ seed: 3, servers: servers(1), network: { latency: 10 }, autoRun: false });
    const p = manual.resolve4('y.example.test');
    expect(manual.now()).toBe(0);
    await manual.idle();
    expect(await p).toEqual(['192.0.2.80']);
    expect(manual.now()).toBe(20);
  });

  it('turns a livelock into a rejection of idle() and cancels what is in flight, instead of spinning', async () => {
    const r = new SimResolver({ seed: 4, servers: servers(1), network: { latency: 10, loss: 1 }, maxSteps: 3 });
    const q = r.resolve4('z.example.test').catch((e: { code: string }) => e.code);
    await expect(r.idle()).rejects.toBeInstanceOf(SimulationError);
    expect(await q).toBe('ECANCELLED');
  });
});
