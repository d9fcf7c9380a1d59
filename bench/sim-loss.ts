/**
 * Retransmission under loss, in the simulator (issue 3).
 *
 *   npm run bench -- sim-loss        or   node --import tsx bench/sim-loss.ts
 *
 * 10,000 queries, one every 10 ms of virtual time, over links with 30% loss
 * each way and 20 ms one-way latency, two servers, a 2 s overall deadline.
 * Two schedules on the same core and the same seed:
 * - ours: the adaptive per-server timeout (SRTT + 4·RTTVAR, RFC 6298, floor
 *   100 ms), moving to the other server when a reply is overdue (the earlier
 *   attempt stays live), with the core's defaults (backoff 1.25, 6 rounds);
 * - fixed: 200 ms per try, 4 tries over the two servers (what Node's resolver
 *   does with `timeout: 200, tries: 4`).
 * Latency percentiles are over all queries; a query that got no answer
 * counts as never answered. Then the simulator's speed, in wall-clock terms.
 */
import { Simulation } from '../src/sim/simulation.js';
import type { SimulationResolverOptions } from '../src/sim/simulation.js';
import { Zone } from '../src/sim/zone.js';

const QUERIES = 10_000;
const SPACING = 10;
const DEADLINE = 2000;
const SEED = 2024;

const ZONE = new Zone('example.com', [
  { name: 'example.com', type: 'SOA', data: { mname: 'ns.example.com', rname: 'hostmaster.example.com', serial: 1, refresh: 7200, retry: 3600, expire: 1209600, minimum: 300 } },
  { name: '*.example.com', type: 'A', data: '192.0.2.80' },
]);

const SCHEDULES: Record<string, SimulationResolverOptions> = {
  ours: { deadline: DEADLINE },
  'fixed 200 ms × 4': { deadline: DEADLINE, timeout: 200, minTimeout: 200, maxTimeout: 200, backoff: 1, attempts: 2 },
};

interface Figures {
  answered: number;
  p50: number;
  p99: number;
  perAnswer: number;
  wallMs: number;
  virtualMs: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number;
}

function measure(resolver: SimulationResolverOptions): Figures {
  const sim = new Simulation({
    seed: SEED,
    servers: [{ address: '192.0.2.1', zones: [ZONE] }, { address: '192.0.2.2', zones: [ZONE] }],
    network: { latency: 20, loss: 0.3 },
    resolver,
  });
  const latency: number[] = [];
  sim.onOutput((_now, out) => {
    for (const e of out.events) {
      if (e.kind === 'answer') latency.push(e.elapsed);
      else if (e.kind === 'error') latency.push(Infinity);
    }
  });
  for (let i = 0; i < QUERIES; i++) sim.at(i * SPACING, () => void sim.query(`host${i}.example.com`, 'A'));
  const t0 = performance.now();
  sim.run();
  const wallMs = performance.now() - t0;
  latency.sort((a, b) => a - b);
  const answered = latency.filter(Number.isFinite).length;
  return {
    answered: answered / QUERIES, p50: percentile(latency, 0.5), p99: percentile(latency, 0.99),
    perAnswer: sim.resolver.stats.datagramsSent / answered, wallMs, virtualMs: sim.now(),
  };
}

function ms(v: number): string {
  return Number.isFinite(v) ? `${Math.round(v)} ms` : 'unanswered';
}

/** Print the table: both schedules side by side, then speed. */
export async function run(): Promise<void> {
  const rows = Object.entries(SCHEDULES).map(([name, o]) => [name, measure(o)] as const);
  const pad = (s: string, n: number): string => s.padEnd(n);
  console.log(`${QUERIES} queries, 30% loss each way, 20 ms one-way, 2 servers, ${DEADLINE} ms deadline, seed ${SEED}`);
  console.log(`${pad('schedule', 20)}${pad('answered', 11)}${pad('p50', 10)}${pad('p99', 12)}datagrams/answered`);
  for (const [name, f] of rows) {
    console.log(`${pad(name, 20)}${pad(`${(f.answered * 100).toFixed(2)}%`, 11)}${pad(ms(f.p50), 10)}${pad(ms(f.p99), 12)}${f.perAnswer.toFixed(2)}`);
  }
  const ours = rows[0]?.[1] as Figures;
  console.log(`targets (ours): ≥ 99.9% answered, p99 ≤ 1000 ms, ≤ 4 datagrams per answered query`);
  console.log(`speed: ${Math.round(QUERIES / (ours.wallMs / 1000))} simulated queries per wall second; `
    + `${(ours.virtualMs / ours.wallMs).toFixed(1)} virtual seconds per wall second (${(ours.virtualMs / 1000).toFixed(1)} s in ${Math.round(ours.wallMs)} ms)`);
  await Promise.resolve();
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
