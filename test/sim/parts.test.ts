/** The simulator's parts: PRNG, network, zone server, attacker, runner bound, and the promise-facing resolver. */
import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/sim/prng.js';
import { Network } from '../../src/sim/network.js';
import { Simulation, SimulationError } from '../../src/sim/simulation.js';
import { InvariantChecker } from '../../src/sim/invariants.js';
import { SimResolver } from '../../src/drivers/sim/resolver.js';
import { parseZoneFile } from '../../src/sim/zone-file.js';
import { udp } from '../../src/sim/packet.js';
import { ZONE } from './scenario.js';

const A = udp('192.0.2.1');
const C = udp('10.0.0.1', 40000);

describe('Prng', () => {
  it('is xoshiro128** seeded by SplitMix32: same seed, same numbers', () => {
    const a = new Prng(1);
    const b = new Prng(1);
    const xs = Array.from({ length: 5 }, () => a.nextU32());
    expect(xs).toEqual(Array.from({ length: 5 }, () => b.nextU32()));
    expect(new Prng(2).nextU32()).not.toBe(xs[0]);
    expect(new Prng(1).fork('x').nextU32()).toBe(new Prng(1).fork('x').nextU32());
    expect(new Prng(1).fork('x').nextU32()).not.toBe(new Prng(1).fork('y').nextU32());
  });
});

describe('Network', () => {
  const send = (n: Network, count: number): number => {
    for (let i = 0; i < count; i++) n.send(0, { from: C, to: A, data: new Uint8Array(100) });
    return n.poll(1e9).length;
  };
  it('loses about the configured share, deterministically', () => {
    const got = send(new Network(new Prng(5), { loss: 0.3 }), 10_000);
    expect(got).toBeGreaterThan(6800);
    expect(got).toBeLessThan(7200);
    expect(send(new Network(new Prng(5), { loss: 0.3 }), 10_000)).toBe(got);
  });
  it('duplicates, truncates at the MTU, delays by latency', () => {
    const n = new Network(new Prng(1), { duplicate: 1, mtu: 40, latency: 25 });
    n.send(0, { from: C, to: A, data: new Uint8Array(100) });
    expect(n.deadline()).toBe(25);
    const out = n.poll(25);
    expect(out.map((d) => d.data.length)).toEqual([40, 40]);
  });
  it('drops during partitions and outages, and bursts with Gilbert–Elliott', () => {
    const n = new Network(new Prng(1));
    n.partition('10.0.0.1', '192.0.2.1', { from: 0, until: 10 });
    n.outage('192.0.2.1', { from: 20, until: 30 });
    n.send(5, { from: C, to: A, data: new Uint8Array(1) });
    n.send(25, { from: C, to: A, data: new Uint8Array(1) });
    n.send(35, { from: C, to: A, data: new Uint8Array(1) });
    expect(n.poll(100)).toHaveLength(1);
    const ge = send(new Network(new Prng(3), { gilbertElliott: { pGoodToBad: 0.1, pBadToGood: 0.1 } }), 10_000);
    expect(ge).toBeGreaterThan(4000);
    expect(ge).toBeLessThan(6000);
  });
});

describe('zone server behaviours, seen through the core', () => {
  const one = (behaviour: object, edns = true): string => {
    const sim = new Simulation({ seed: 9, servers: [{ address: '192.0.2.1', zones: [ZONE], behaviour }], resolver: { deadline: 500, timeout: 100, edns } });
    const chk = new InvariantChecker(sim);
    chk.query('www.example.com', 'A', 500);
    sim.run();
    expect(chk.finish()).toEqual([]);
    const e = chk.finals()[0];
    return e === undefined ? 'none' : e.kind === 'answer' ? `answer ${e.message.rcode}` : e.code;
  };
  it.each([
    [{}, 'answer 0'], [{ servfail: 1 }, 'ESERVFAIL'], [{ refused: 1 }, 'EREFUSED'], [{ silent: 1 }, 'ETIMEOUT'],
    [{ slow: 1000 }, 'ETIMEOUT'], [{ formerrEdns: true }, 'answer 0'], [{ wrongId: 1 }, 'ETIMEOUT'],
    [{ wrongQuestion: 1 }, 'ETIMEOUT'], [{ wrongSource: 1 }, 'ETIMEOUT'],
  ])('%j gives %s', (behaviour, want) => {
    expect(one(behaviour)).toBe(want);
  });
  it('answers NXDOMAIN, NODATA, CNAME chains, wildcards and referrals from zone-file text', () => {
    const z = parseZoneFile('$ORIGIN t.\n@ IN SOA ns h 1 2 3 4 5\nwww 60 IN A 192.0.2.7\n', '.');
    expect(z.records.map((r) => [r.name, r.type, r.ttl])).toEqual([['t', 'SOA', 3600], ['www.t', 'A', 60]]);
    const sim = new Simulation({ seed: 1, servers: [{ address: '192.0.2.1', zones: [ZONE] }] });
    const chk = new InvariantChecker(sim);
    for (const [n, t] of [['nope.example.com', 'A'], ['www.example.com', 'MX'], ['alias.example.com', 'A'], ['q.wild.example.com', 'TXT'], ['a.sub.example.com', 'A'], ['big.example.com', 'TXT']]) chk.query(n as string, t as string, 5000);
    sim.run();
    const got = chk.finals().map((e) => (e.kind === 'answer' ? `${e.message.rcode}/${e.message.answers.map((r) => r.type).join(',')}/${e.message.authorities.map((r) => r.type).join(',')}/${e.server.transport}` : e.code));
    expect(got).toEqual(['3//SOA/udp', '0//SOA/udp', '0/CNAME,A//udp', '0/TXT//udp', '0//NS/udp', '0/TXT//tcp']);
    const soa = chk.finals()[0];
    const data = soa?.kind === 'answer' && soa.message.authorities[0]?.type === 'SOA' ? soa.message.authorities[0] : undefined;
    expect(data?.ttl, 'a negative answer carries the SOA at min(TTL, MINIMUM), RFC 2308 §3').toBe(Math.min(3600, data?.data.minimum ?? NaN));
    expect(data!.data.minimum).toBeLessThan(3600);
  });
});

describe('runner and attacker', () => {
  it('fails loudly past its step bound', () => {
    const sim = new Simulation({ seed: 1, servers: [{ address: '192.0.2.1', zones: [ZONE] }], maxSteps: 1, network: { latency: 1 } });
    sim.query('www.example.com');
    expect(() => sim.run()).toThrow(SimulationError);
  });
  it('never lets a sloppy forgery through, under a heavy race', () => {
    const sim = new Simulation({ seed: 3, servers: [{ address: '192.0.2.1', zones: [ZONE], delay: 100 }], attacker: { rate: 20_000, window: 100, sloppy: 1 } });
    const chk = new InvariantChecker(sim);
    for (let i = 0; i < 20; i++) chk.query('www.example.com', 'A', 5000);
    sim.run();
    expect(chk.finish()).toEqual([]);
    expect(chk.perfectGuesses).toBe(0);
    expect(sim.world.attacker?.forgeries.length).toBeGreaterThan(30_000);
  });
});

describe('SimResolver', () => {
  const zone = '$ORIGIN example.com.\n@ IN SOA ns h 1 2 3 4 5\nwww IN A 192.0.2.80\ntxt IN TXT "hello"\n';
  const make = (): SimResolver => new SimResolver({
    seed: 42, servers: [{ address: '192.0.2.1', zones: [zone] }, { address: '192.0.2.2', zones: [zone] }],
    network: { latency: 20, loss: 0.3 }, deadline: 2000, tries: 6, backoff: 1.25,
  });
  it('resolves over a 30%-loss network on virtual time, the same on every run', async () => {
    const outcome = async (): Promise<unknown[]> => {
      const r = make();
      const out: unknown[] = [];
      for (let i = 0; i < 20; i++) out.push(await r.resolve4('www.example.com').catch((e: { code: string }) => e.code));
      out.push(await r.resolveTxt('txt.example.com'), await r.resolve4('nx.example.com').catch((e: { code: string }) => e.code), r.now());
      return out;
    };
    const first = await outcome();
    expect(first.filter((x) => JSON.stringify(x) === '["192.0.2.80"]').length).toBeGreaterThanOrEqual(19);
    expect(first.slice(20, 22)).toEqual([[['hello']], 'ENOTFOUND']);
    expect(await outcome()).toEqual(first);
  });
});
