/**
 * Names, server selection, cookies and 0x20 in the simulator, on virtual
 * time: the search list through the promise API, special-use names, a dead
 * server demoted and then probed until it is back, race mode, cookies with
 * the ZoneServer (RFC 9018 server cookies, BADCOOKIE), 0x20 with a server
 * that lowercases its answers.
 */
import { describe, expect, it } from 'vitest';
import { Simulation, type SimulationOptions } from '../../src/sim/simulation.js';
import { SimResolver } from '../../src/drivers/sim/resolver.js';
import { Zone } from '../../src/sim/zone.js';
import type { AnswerEvent, ErrorEvent } from '../../src/index.js';

const ZONE = new Zone('example.com', [
  { name: 'example.com', type: 'SOA', ttl: 3600, data: { mname: 'ns.example.com', rname: 'h.example.com', serial: 1, refresh: 7200, retry: 3600, expire: 1209600, minimum: 20 } },
  { name: 'www.example.com', type: 'A', data: '192.0.2.80' },
  { name: 'web.corp.example.com', type: 'A', data: '192.0.2.81' },
  { name: 'xn--bcher-kva.example.com', type: 'A', data: '192.0.2.82' },
  { name: 'v6only.corp.example.com', type: 'AAAA', data: '2001:db8::1' },
  { name: '*.wild.example.com', type: 'A', data: '192.0.2.83' },
]);

type Final = AnswerEvent | ErrorEvent;

function world(o: Partial<SimulationOptions> & { resolver?: SimulationOptions['resolver'] } = {}, n = 2): { sim: Simulation; finals: Map<number, Final> } {
  const sim = new Simulation({
    seed: 11, network: { latency: 10 },
    servers: Array.from({ length: n }, (_, i) => ({ address: `192.0.2.${i + 1}`, zones: [ZONE] })), ...o,
  });
  const finals = new Map<number, Final>();
  sim.onOutput((_t, out) => {
    for (const e of out.events) if (e.kind !== 'trace') finals.set(e.handle, e);
  });
  return { sim, finals };
}

describe('names', () => {
  it('applies search and ndots through the promise API, answers localhost itself, takes IDN', async () => {
    const r = new SimResolver({
      seed: 3, network: { latency: 5 }, servers: [{ address: '192.0.2.1', zones: [ZONE] }],
      search: ['corp.example.com', 'example.com'], ndots: 2,
    });
    // query() applies the search list (as lookup does); resolve* ask the name as given, as Node's do.
    const data = async (name: string, type: 'A' | 'AAAA') => (await r.query(name, type)).message.answers.filter((x) => x.type === type).map((x) => x.data);
    expect(await data('web', 'A')).toEqual(['192.0.2.81']);
    expect((await r.query('www', 'A')).question.name).toBe('www.example.com');
    expect(await data('x.wild', 'A')).toEqual(['192.0.2.83']);
    expect(await data('v6only', 'AAAA')).toEqual(['2001:db8::1']);
    const nodata = await r.query('v6only', 'A'); // NODATA, then NXDOMAIN, then REFUSED for the bare name: the first NODATA
    expect([nodata.message.rcode, nodata.message.answers.length]).toEqual([0, 0]);
    await expect(r.resolve4('web')).rejects.toMatchObject({ code: 'EREFUSED' });
    await expect(r.resolve4('nothing.example.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(await r.resolve4('bücher.example.com')).toEqual(['192.0.2.82']);
    const before = r.world.servers[0]!.stats.queries;
    expect(await r.resolve6('app.localhost')).toEqual(['::1']);
    await expect(r.resolve4('hidden.onion')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(r.world.servers[0]!.stats.queries).toBe(before);
    await expect(r.resolve4('-ü.example.com')).rejects.toMatchObject({ code: 'EBADNAME' });
  });
});

describe('server selection on virtual time', () => {
  it('demotes a dead server, probes it with a small share of queries, and takes it back when it returns', () => {
    const { sim, finals } = world({ resolver: { cache: false, probeShare: 0.1, demoteAfter: 3 } });
    sim.world.network.outage('192.0.2.1', { from: 0, until: 30_000 });
    const firstOf = new Map<number, string>();
    sim.onOutput((_t, out) => {
      for (const t of out.transmits) if (!firstOf.has(t.handle) && t.peer.transport === 'udp') firstOf.set(t.handle, t.peer.address);
    });
    const handles: number[] = [];
    for (let i = 0; i < 600; i++) sim.at(i * 100, () => void handles.push(sim.query(`n${i}.wild.example.com`)));
    sim.run();
    const stats = sim.resolver.stats;
    expect(stats.demotions).toBeGreaterThanOrEqual(1);
    expect([...finals.values()].filter((e) => e.kind === 'answer')).toHaveLength(600);
    const during = handles.slice(10, 290).map((h) => firstOf.get(h));
    const probes = during.filter((a) => a === '192.0.2.1').length;
    expect(probes).toBeGreaterThan(10); // about 10% of 280
    expect(probes).toBeLessThan(60);
    const after = handles.slice(350).map((h) => firstOf.get(h));
    expect(after.every((a) => a === '192.0.2.1')).toBe(true); // back in first place once a probe answered
    const elapsed = handles.slice(10, 290).map((h) => finals.get(h)!.elapsed);
    expect(elapsed.filter((e) => e <= 20).length).toBeGreaterThan(200); // healthy server first: one round trip
  });

  it('races every server with race: the nearest answers, the rest are absorbed as late', () => {
    const { sim, finals } = world({ resolver: { race: true, cache: false } }, 3);
    sim.world.network.setLink('10.0.0.1', '192.0.2.1', { latency: 80 });
    sim.world.network.setLink('10.0.0.1', '192.0.2.2', { latency: 5 });
    const h = sim.query('www.example.com');
    sim.run();
    expect(finals.get(h)).toMatchObject({ kind: 'answer', elapsed: 10, sent: 3, server: { address: '192.0.2.2' } });
    expect(sim.resolver.stats.dropped.late).toBe(2);
  });

  it('rotates the first server with rotate', () => {
    const { sim } = world({ resolver: { rotate: true, cache: false } }, 3);
    const first: string[] = [];
    sim.onOutput((_t, out) => {
      for (const t of out.transmits) if (t.peer.transport === 'udp') first.push(t.peer.address);
    });
    for (let i = 0; i < 6; i++) sim.at(i * 100, () => void sim.query(`r${i}.wild.example.com`));
    sim.run();
    expect(first).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.1', '192.0.2.2', '192.0.2.3']);
  });
});

describe('cookies with the simulated server', () => {
  it('learns the server cookie and sends it back; the server verifies it (RFC 9018)', () => {
    const { sim, finals } = world({ resolver: { cache: false } }, 1);
    const h1 = sim.query('www.example.com');
    sim.run();
    const h2 = sim.query('www.example.com');
    sim.run();
    expect(finals.get(h1)?.kind).toBe('answer');
    expect(finals.get(h2)?.kind).toBe('answer');
    expect(sim.world.servers[0]!.stats.validCookies).toBe(1);
  });

  it('answers BADCOOKIE from a strict server with one resend carrying the new cookie', () => {
    const { sim, finals } = world({ resolver: { cache: false } }, 1);
    sim.world.servers[0]!.behaviour = { enforceCookies: true };
    const h = sim.query('www.example.com');
    sim.run();
    expect(finals.get(h)).toMatchObject({ kind: 'answer', sent: 2 });
    expect(sim.resolver.stats.badCookies).toBe(1);
    expect(sim.world.servers[0]!.stats.validCookies).toBe(1);
  });

  it('goes to TCP after a second BADCOOKIE, and drops answers that echo another client cookie', () => {
    const { sim, finals } = world({ resolver: { cache: false } }, 1);
    sim.world.servers[0]!.behaviour = { badCookie: 1 };
    const h = sim.query('www.example.com');
    sim.run();
    expect(finals.get(h)).toMatchObject({ kind: 'error', code: 'EBADRESP' });
    expect(sim.resolver.stats.badCookies).toBe(3);
    sim.world.servers[0]!.behaviour = { wrongCookie: 1 };
    const h2 = sim.query('www.example.com', 'A', { timeout: 1000 });
    sim.run();
    expect(finals.get(h2)).toMatchObject({ kind: 'error', code: 'ETIMEOUT' });
    expect(sim.resolver.stats.dropped['bad-cookie']).toBeGreaterThan(0);
  });
});

describe('0x20 with a server that lowercases', () => {
  it('detects it, remembers it, and asks it without 0x20', () => {
    const { sim, finals } = world({ resolver: { cache: false, case0x20: true } }, 1);
    sim.world.servers[0]!.behaviour = { caseless: true };
    const h = sim.query('www.example.com');
    sim.run();
    expect(finals.get(h)).toMatchObject({ kind: 'answer' });
    expect(sim.resolver.stats.caseFallbacks).toBe(1);
    expect(sim.resolver.stats.dropped['wrong-case']).toBe(2);
    const h2 = sim.query('www.example.com');
    sim.run();
    expect(finals.get(h2)).toMatchObject({ kind: 'answer', sent: 1, elapsed: 20 });
  });
});
