/**
 * Seeded random scenarios for the simulator suite: a few queries against one
 * to three zone servers over a network drawn from the seed (latency, jitter,
 * loss, bursts, duplication, reordering, MTU, partitions, outages), with
 * misbehaving servers and an off-path attacker some of the time. Each run
 * checks every invariant of {@link InvariantChecker}.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { Prng } from '../../src/sim/prng.js';
import { Simulation } from '../../src/sim/simulation.js';
import { InvariantChecker } from '../../src/sim/invariants.js';
import { Zone } from '../../src/sim/zone.js';
import { parseZoneFile } from '../../src/sim/zone-file.js';
import type { Behaviour } from '../../src/sim/server.js';
import type { LinkOptions } from '../../src/sim/network.js';
import { TracedResolver } from '../../src/trace/recorder.js';
import { toJsonLines, type TraceRecord } from '../../src/trace/format.js';

const ZONE_TEXT = `$ORIGIN example.com.
$TTL 300
@        IN SOA ns1 hostmaster ( 2024010101 7200 3600 1209600 300 )
         IN NS  ns1
ns1      IN A   192.0.2.1
www      IN A   192.0.2.80
www      IN AAAA 2001:db8::80
alias    IN CNAME www
loop1    IN CNAME loop2
loop2    IN CNAME loop1
*.wild   IN TXT "wildcard" "text"
a.b.c    IN A   192.0.2.81
mail     IN MX  10 mx1
sub      IN NS  ns.sub
ns.sub   IN A   192.0.2.99
big      IN TXT ${Array.from({ length: 24 }, (_, i) => `"${'x'.repeat(60)}${i}"`).join(' ')}
`;

/** One zone, parsed once and shared (zones are immutable). */
export const ZONE = ((): Zone => {
  const z = parseZoneFile(ZONE_TEXT);
  return new Zone(z.origin, z.records, z.ttl);
})();

const NAMES: readonly [string, string][] = [
  ['www.example.com', 'A'], ['www.example.com', 'AAAA'], ['alias.example.com', 'A'], ['x.wild.example.com', 'TXT'],
  ['nope.example.com', 'A'], ['www.example.com', 'MX'], ['b.c.example.com', 'A'], ['x.sub.example.com', 'A'],
  ['big.example.com', 'TXT'], ['other.test', 'A'], ['loop1.example.com', 'A'], ['mail.example.com', 'MX'],
];

function link(p: Prng): LinkOptions {
  const loss = [0, 0, 0.1, 0.3, 0.6][p.int(5)] as number;
  return {
    latency: p.int(50), jitter: p.chance(0.5) ? p.int(20) : 0, loss,
    ...(p.chance(0.15) ? { gilbertElliott: { pGoodToBad: 0.05, pBadToGood: 0.3 } } : {}),
    duplicate: p.chance(0.3) ? 0.2 : 0, reorder: p.chance(0.3) ? 0.2 : 0,
    ...(p.chance(0.1) ? { mtu: 200 + p.int(400) } : {}),
  };
}

function behaviour(p: Prng): Behaviour {
  if (!p.chance(0.35)) return {};
  const all: Behaviour[] = [
    { servfail: 0.5 }, { refused: 0.5 }, { silent: 0.5 }, { slow: 50 + p.int(500) }, { formerrEdns: true },
    { wrongId: 0.5 }, { wrongQuestion: 0.5 }, { garbage: 0.5 }, { wrongSource: 0.5 },
  ];
  return all[p.int(all.length)] as Behaviour;
}

/** What one scenario produced. */
export interface ScenarioResult {
  readonly seed: number;
  readonly violations: string[];
  readonly queries: number;
  readonly answered: number;
  readonly perfectGuesses: number;
  readonly steps: number;
}

/** Run the scenario of `seed`; with `record`, every core input and output goes there. */
export function runScenario(seed: number, record?: (r: TraceRecord) => void): ScenarioResult {
  const p = new Prng(seed).fork('scenario');
  const nServers = 1 + p.int(3);
  const deadline = 200 + p.int(2800);
  const timeout = 20 + p.int(800);
  const sim = new Simulation({
    seed,
    servers: Array.from({ length: nServers }, (_, i) => ({ address: `192.0.2.${i + 1}`, zones: [ZONE], behaviour: behaviour(p), ...(p.chance(0.1) ? { edns: false as const } : {}) })),
    network: link(p),
    resolver: { deadline, timeout, attempts: 1 + p.int(4), edns: p.chance(0.85), backoff: 1 + p.int(3) * 0.5 },
    ...(p.chance(0.25) ? { attacker: { rate: 100 + p.int(2000), window: 50 + p.int(300) } } : {}),
    ...(record === undefined ? {} : { makeResolver: (o) => new TracedResolver(o, record) }),
    maxSteps: 100_000,
  });
  if (p.chance(0.1)) sim.world.network.outage('192.0.2.1', { from: p.int(500), until: 500 + p.int(2000) });
  if (p.chance(0.1)) sim.world.network.partition('10.0.0.1', `192.0.2.${nServers}`, { from: 0, until: p.int(3000) });
  const chk = new InvariantChecker(sim);
  const n = 1 + p.int(4);
  const handles: number[] = [];
  for (let i = 0; i < n; i++) {
    const [name, type] = NAMES[p.int(NAMES.length)] as [string, string];
    const own = p.chance(0.2) ? 50 + p.int(1000) : undefined;
    const cancelAt = p.chance(0.1) ? p.int(1000) : undefined;
    sim.at(p.int(400), () => {
      const h = chk.query(name, type, own ?? deadline, own === undefined ? {} : { timeout: own });
      handles.push(h);
      if (cancelAt !== undefined) sim.at(sim.now() + cancelAt, () => sim.resolver.cancel(sim.now(), h));
    });
  }
  sim.run();
  const violations = chk.finish();
  const answered = chk.finals().filter((e) => e.kind === 'answer').length;
  return { seed, violations, queries: n, answered, perfectGuesses: chk.perfectGuesses, steps: sim.steps };
}

/** SHA-256 of a scenario's full trace (inputs and outputs as JSON lines). */
export function transcriptHash(seed: number): string {
  const records: TraceRecord[] = [];
  runScenario(seed, (r) => records.push(r));
  return createHash('sha256').update(toJsonLines(records)).digest('hex');
}

/**
 * Register tests for seeds `from .. from + count - 1`, in chunks of 1,000: each
 * chunk runs every scenario and fails with the violations of every bad seed.
 * (Two files call this so that vitest runs the halves on both cores.)
 */
export function describeSeeds(title: string, from: number, count: number, chunk = 1000): void {
  describe(title, () => {
    for (let start = from; start < from + count; start += chunk) {
      it(`seeds ${start}..${start + chunk - 1} keep every invariant`, () => {
        const failures: string[] = [];
        let queries = 0;
        for (let seed = start; seed < start + chunk; seed++) {
          const r = runScenario(seed);
          queries += r.queries;
          if (r.violations.length > 0) failures.push(`seed ${seed}: ${r.violations.join('; ')}`);
        }
        expect(failures).toEqual([]);
        expect(queries).toBeGreaterThan(chunk);
      });
    }
  });
}
