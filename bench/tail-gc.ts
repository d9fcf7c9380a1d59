/**
 * `npm run bench -- tail-gc`: why the slowest queries are slow. The closed
 * loop of `node-udp` (Knot on loopback, 50,000 A queries, 100 in flight,
 * cache and coalescing off) for sansdns and for Node's resolver, with V8's
 * GC pauses observed (`PerformanceObserver` 'gc') and the event loop's delay
 * (`monitorEventLoopDelay`): p50, p99, the number and total of GC pauses, and
 * how many of the queries at or above p99 overlapped a GC pause over 1 ms.
 * Diagnostic only: what it prints is attribution, not a target.
 */
import { promises as dnsPromises } from 'node:dns';
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { NodeResolver } from '../src/node.js';
import { serverAvailable, startServer } from '../test/integration/servers.js';

const QUERIES = Number(process.env.BENCH_QUERIES ?? 50_000);
const CONCURRENCY = 100;
const NAME = 'www.example.test';

/** Start time and latency of each of `n` calls, `CONCURRENCY` in flight. */
async function loop(n: number, one: () => Promise<unknown>): Promise<{ start: Float64Array; lat: Float64Array }> {
  const start = new Float64Array(n);
  const lat = new Float64Array(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      start[i] = performance.now();
      await one().catch(() => undefined);
      lat[i] = performance.now() - (start[i] as number);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { start, lat };
}

/** One contender's tail and the GC pauses under it. */
async function measure(name: string, one: () => Promise<unknown>, pauses: [number, number][]): Promise<void> {
  await loop(5000, one);
  pauses.length = 0;
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const { start, lat } = await loop(QUERIES, one);
  delay.disable();
  const sorted = Float64Array.from(lat).sort();
  const p99 = sorted[Math.floor(0.99 * sorted.length)] as number;
  let slow = 0;
  let slowInGc = 0;
  for (let i = 0; i < lat.length; i++) {
    if ((lat[i] as number) < p99) continue;
    slow++;
    const a = start[i] as number;
    const b = a + (lat[i] as number);
    if (pauses.some(([s, d]) => d > 1 && s < b && s + d > a)) slowInGc++;
  }
  const total = pauses.reduce((sum, [, d]) => sum + d, 0);
  const longest = pauses.reduce((m, [, d]) => Math.max(m, d), 0);
  console.log(`${name.padEnd(28)} p50 ${(sorted[sorted.length >> 1] as number).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms; `
    + `GC: ${pauses.length} pauses, ${total.toFixed(0)} ms in all, longest ${longest.toFixed(1)} ms; `
    + `${slowInGc} of the ${slow} queries at or above p99 overlapped a GC pause over 1 ms; loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms`);
}

export async function run(): Promise<void> {
  if (!(await serverAvailable('knot'))) {
    console.log('tail-gc: Knot is not installed; skipped');
    return;
  }
  const server = await startServer('knot');
  const pauses: [number, number][] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push([e.startTime, e.duration]);
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    const addr = `${server.address}:${server.port}`;
    const ours = new NodeResolver({ resolvConf: false, servers: [addr], cache: false, coalesce: false });
    const node = new dnsPromises.Resolver();
    node.setServers([addr]);
    console.log(`knot ${server.version} on ${addr}; ${QUERIES} queries, concurrency ${CONCURRENCY}, A ${NAME}`);
    await measure('sansdns Resolver', () => ours.resolve4(NAME), pauses);
    await measure('node dns.promises.Resolver', () => node.resolve4(NAME), pauses);
    ours.close();
  } finally {
    observer.disconnect();
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
