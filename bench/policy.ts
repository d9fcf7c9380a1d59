/**
 * Resolution policy in the simulator (issue 5): the cache and coalescing on a
 * workload with repeated names.
 *
 *   npm run bench -- policy        or   node --import tsx bench/policy.ts
 *
 * 20,000 queries for A records over 2,000 names drawn Zipf-like (s = 1.0,
 * seeded), one every 5 ms of virtual time (100 s in all), against two
 * servers 20 ms away (one way) with 1% loss; answers carry TTL 30 s. The
 * same workload runs with the core's defaults (cache and coalescing on),
 * with coalescing alone, and with both off (what a resolver without a cache
 * does). Figures: questions asked, datagrams sent, cache hit rate, queries
 * coalesced onto one in flight, answered share and median latency.
 */
import { Prng } from '../src/sim/prng.js';
import { Simulation, type SimulationResolverOptions } from '../src/sim/simulation.js';
import { Zone } from '../src/sim/zone.js';

const QUERIES = 20_000;
const NAMES = 2_000;
const S = 1.0;
const SPACING = 5;
const SEED = 2024;

const ZONE = new Zone('example.com', [
  { name: 'example.com', type: 'SOA', data: { mname: 'ns.example.com', rname: 'hostmaster.example.com', serial: 1, refresh: 7200, retry: 3600, expire: 1209600, minimum: 30 } },
  { name: '*.example.com', type: 'A', ttl: 30, data: '192.0.2.80' },
]);

const CONFIGS: Record<string, SimulationResolverOptions> = {
  'cache + coalescing (defaults)': {},
  'coalescing only': { cache: false },
  'neither': { cache: false, coalesce: false },
};

/** Name indices 0..n-1 drawn with P(k) ∝ 1 / (k+1)^s, seeded. */
export function zipf(count: number, n: number, s: number, seed: number): number[] {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / (k + 1) ** s;
  const p = new Prng(seed).fork('zipf');
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const u = p.next() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    out.push(lo);
  }
  return out;
}

/** What one configuration did with the workload. */
export interface PolicyFigures {
  readonly asked: number;
  readonly datagrams: number;
  readonly hits: number;
  readonly coalesced: number;
  readonly answered: number;
  readonly p50: number;
  readonly distinct: number;
}

/** Run the workload once with `resolver` options. */
export function measure(resolver: SimulationResolverOptions, draws: readonly number[]): PolicyFigures {
  const sim = new Simulation({
    seed: SEED, resolver,
    servers: [{ address: '192.0.2.1', zones: [ZONE] }, { address: '192.0.2.2', zones: [ZONE] }],
    network: { latency: 20, loss: 0.01 },
  });
  const latency: number[] = [];
  sim.onOutput((_t, out) => {
    for (const e of out.events) if (e.kind === 'answer') latency.push(e.elapsed);
  });
  draws.forEach((k, i) => sim.at(i * SPACING, () => void sim.query(`host${k}.example.com`, 'A')));
  sim.run();
  latency.sort((a, b) => a - b);
  const st = sim.resolver.stats;
  return {
    asked: st.queriesStarted, datagrams: st.datagramsSent, hits: st.cacheHits, coalesced: st.coalesced,
    answered: st.answered, p50: latency[Math.floor(latency.length / 2)] ?? NaN, distinct: new Set(draws).size,
  };
}

/** Print the table: one row per configuration, same workload and seed. */
export async function run(): Promise<void> {
  const draws = zipf(QUERIES, NAMES, S, SEED);
  const pad = (s: string | number, n: number): string => String(s).padEnd(n);
  console.log(`${QUERIES} queries over ${NAMES} names (Zipf s=${S}, seed ${SEED}, ${new Set(draws).size} distinct drawn), one every ${SPACING} ms; 2 servers, 20 ms one-way, 1% loss, TTL 30 s`);
  console.log(`${pad('configuration', 32)}${pad('asked', 8)}${pad('datagrams', 11)}${pad('hit rate', 10)}${pad('coalesced', 11)}${pad('answered', 10)}p50`);
  for (const [name, o] of Object.entries(CONFIGS)) {
    const f = measure(o, draws);
    const rate = `${((f.hits / f.asked) * 100).toFixed(1)}%`;
    console.log(`${pad(name, 32)}${pad(f.asked, 8)}${pad(f.datagrams, 11)}${pad(rate, 10)}${pad(f.coalesced, 11)}${pad(`${((f.answered / f.asked) * 100).toFixed(2)}%`, 10)}${f.p50} ms`);
  }
  await Promise.resolve();
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
