/**
 * A closed-loop load of real calls: `concurrency` workers, each starting the
 * next call when its last one settles, until `n` have run. Shared by the
 * benches that drive a resolver over real sockets (`node-udp`, `bridge`);
 * the simulator's own is `sim-closed-loop.ts`.
 */

/** What one closed-loop run measured. */
export interface LoopFigures {
  readonly name: string;
  /** Calls settled per second of wall time. */
  readonly qps: number;
  /** Latency of a call, ms. */
  readonly p50: number;
  readonly p99: number;
  /** This process's CPU (user + system) per call, µs. */
  readonly cpu: number;
  /** Calls that rejected. */
  readonly failed: number;
}

/** The `p` quantile of ascending `sorted`. */
export function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

/** Run `n` calls of `one` (given the call's index) with `concurrency` in flight. */
export async function closedLoop(name: string, n: number, concurrency: number, one: (i: number) => Promise<unknown>): Promise<LoopFigures> {
  const lat = new Float64Array(n);
  let next = 0;
  let failed = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      const s = performance.now();
      try {
        await one(i);
      } catch {
        failed++;
      }
      lat[i] = performance.now() - s;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const secs = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(c0);
  lat.sort();
  return { name, qps: n / secs, p50: percentile(lat, 0.5), p99: percentile(lat, 0.99), cpu: (used.user + used.system) / n, failed };
}
