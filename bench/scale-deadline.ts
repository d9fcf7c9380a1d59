/**
 * `npm run bench -- scale-deadline` (or `node --expose-gc --import tsx bench/scale-deadline.ts [N[,N...]]`):
 * deadlines at scale through the Node driver (issue 18, "Deadlines that do
 * not hold at scale").
 *
 * A silent UDP server on loopback (a child process that binds a socket and
 * never reads it: the kernel drops what overflows its buffer, and no CPU of
 * this process goes to the server), and N `resolve4` calls started at once
 * in one loop, each for its own name, on a `Resolver` with its defaults
 * (5000 ms overall deadline); every one must end with `ETIMEOUT`. By
 * default N is the driver's default `maxInFlight`, then 100,000 (with
 * `maxInFlight: 100000`); arguments or BENCH_INFLIGHT give other sizes.
 * The lateness of a query is the wall time from its deadline (its start +
 * 5000 ms) to the moment its rejection handler runs. Printed per round and
 * as medians over BENCH_ROUNDS rounds (default 3): p50/p99/max lateness, the
 * event loop's worst delay, heap per query in flight (heap used at the peak
 * minus before, over N), peak RSS, peak file descriptors, CPU per query.
 *
 * The baseline, measured in the same run, round by round: N promises
 * rejected by plain `setTimeout`s at the same deadlines (no DNS, no
 * sockets), the floor any driver on this event loop pays. The last line
 * gives the driver's max lateness over the floor's, which is what the
 * README's bound is about: the machine's own load moves both.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { availableParallelism, loadavg } from 'node:os';
import * as node from '../src/node.js';

const { NodeResolver: Resolver } = node;
/** The Node driver's default maxInFlight (100,000 before it had its own: the core's). */
const DEFAULT_MAX_IN_FLIGHT = (node as { NODE_MAX_IN_FLIGHT?: number }).NODE_MAX_IN_FLIGHT ?? 100_000;

/** Sizes to run instead of the default pair (arguments or BENCH_INFLIGHT, comma-separated). */
const SIZES = (process.argv.slice(2).find((a) => /^\d/.test(a)) ?? process.env.BENCH_INFLIGHT ?? '').split(',').filter(Boolean).map(Number);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const DEADLINE = 5000;

interface Figures {
  readonly name: string;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly lag: number;
  readonly heapPerQuery: number;
  readonly rss: number;
  readonly fds: number;
  readonly cpu: number;
  readonly codes: string;
}

function fdCount(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return NaN;
  }
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function pct(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

/** Start `n` operations; `one(i)` returns a promise that rejects at its deadline. Measures as described above. */
async function measure(name: string, n: number, one: (i: number) => Promise<unknown>): Promise<Figures> {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const late = new Float64Array(n);
  const codes = new Map<string, number>();
  let peakHeap = 0;
  let peakRss = 0;
  let peakFds = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
    peakFds = Math.max(peakFds, fdCount());
  };
  const sampler = setInterval(sample, 100);
  // The event loop's worst delay: how late a 10 ms interval ran.
  let lastTick = performance.now();
  let lag = 0;
  const ticker = setInterval(() => {
    const t = performance.now();
    lag = Math.max(lag, t - lastTick - 10);
    lastTick = t;
  }, 10);
  const c0 = process.cpuUsage();
  let done = 0;
  await new Promise<void>((resolve) => {
    for (let i = 0; i < n; i++) {
      const due = performance.now() + DEADLINE;
      one(i).then(
        () => codes.set('answered', (codes.get('answered') ?? 0) + 1),
        (e: { code?: string }) => codes.set(e.code ?? 'untyped', (codes.get(e.code ?? 'untyped') ?? 0) + 1),
      ).finally(() => {
        late[i] = performance.now() - due;
        if (++done === n) resolve();
      });
    }
    sample();
  });
  sample();
  clearInterval(sampler);
  clearInterval(ticker);
  const used = process.cpuUsage(c0);
  late.sort();
  return {
    name, p50: pct(late, 0.5), p99: pct(late, 0.99), max: late[n - 1] as number, lag,
    heapPerQuery: (peakHeap - heap0) / n, rss: peakRss, fds: peakFds, cpu: (used.user + used.system) / n,
    codes: [...codes].map(([k, v]) => `${k} ${v}`).join(', '),
  };
}

function row(f: Figures): string {
  const ms = (x: number): string => x.toFixed(1).padStart(9);
  return `${f.name.padEnd(34)}${ms(f.p50)}${ms(f.p99)}${ms(f.max)}${ms(f.lag)} ${Math.round(f.heapPerQuery).toString().padStart(8)} `
    + `${(f.rss / 2 ** 20).toFixed(0).padStart(7)} ${String(f.fds).padStart(5)} ${f.cpu.toFixed(1).padStart(8)}  ${f.codes}`;
}

/** A UDP socket on loopback in a child process that blocks and never reads it; its port. */
const BLACKHOLE = `const s = require('node:dgram').createSocket('udp4');
s.bind(0, '127.0.0.1', () => {
  console.log(s.address().port);
  setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0), 50);
});`;

/** Each figure's median over rounds. */
function median(rs: readonly Figures[]): Figures {
  const mid = (pick: (f: Figures) => number): number => {
    const xs = rs.map(pick).sort((x, y) => x - y);
    return xs.length % 2 === 1 ? (xs[xs.length >> 1] as number) : ((xs[xs.length / 2 - 1] as number) + (xs[xs.length / 2] as number)) / 2;
  };
  const first = rs[0] as Figures;
  return {
    name: `${first.name} (median)`, p50: mid((f) => f.p50), p99: mid((f) => f.p99), max: mid((f) => f.max), lag: mid((f) => f.lag),
    heapPerQuery: mid((f) => f.heapPerQuery), rss: mid((f) => f.rss), fds: mid((f) => f.fds), cpu: mid((f) => f.cpu), codes: first.codes,
  };
}

const HEADER = `${'late ms:'.padEnd(34)}${'p50'.padStart(9)}${'p99'.padStart(9)}${'max'.padStart(9)}${'lag max'.padStart(9)} `
  + `${'heap B/q'.padStart(8)} ${'RSS MiB'.padStart(7)} ${'fds'.padStart(5)} ${'cpu µs/q'.padStart(8)}  outcomes`;

/** ROUNDS rounds of the floor and the driver at `n` in flight, alternating; the medians and the excess over the floor. */
async function series(server: string, n: number, maxInFlight: number | undefined): Promise<void> {
  const floors: Figures[] = [];
  const ours: Figures[] = [];
  const label = maxInFlight === undefined ? 'sansdns, defaults' : `sansdns, maxInFlight ${maxInFlight}`;
  console.log(`\n${n} queries in flight, ${ROUNDS} rounds (floor and driver alternate)`);
  console.log(HEADER);
  for (let round = 0; round < ROUNDS; round++) {
    const floor = await measure('setTimeout floor', n, () => new Promise((_, reject) => {
      setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'ETIMEOUT' })), DEADLINE);
    }));
    const r = new Resolver({ resolvConf: false, hostsFile: false, servers: [server], ...(maxInFlight === undefined ? {} : { maxInFlight }) });
    const f = await measure(label, n, (i) => r.resolve4(`q${i}.r${round}.scale.test`));
    r.close();
    floors.push(floor);
    ours.push(f);
    console.log(row(floor));
    console.log(row(f));
  }
  const fm = median(floors);
  const om = median(ours);
  console.log(row(fm));
  console.log(row(om));
  console.log(`${n} in flight: max lateness ${om.max.toFixed(1)} ms, ${(om.max - fm.max).toFixed(1)} ms over the floor's ${fm.max.toFixed(1)} `
    + `(bound in README: <= 50 ms over the floor at the default maxInFlight); p50 ${om.p50.toFixed(1)} ms; ${(om.cpu / Math.max(1, fm.cpu)).toFixed(2)}x the floor's CPU`);
}

export async function run(): Promise<void> {
  const child = spawn(process.execPath, ['-e', BLACKHOLE], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(String(d).trim())));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const server = `127.0.0.1:${port}`;
  console.log(`silent server ${server}; deadline ${DEADLINE} ms; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`);
  try {
    if (SIZES.length > 0) {
      for (const n of SIZES) await series(server, n, n);
      return;
    }
    await series(server, DEFAULT_MAX_IN_FLIGHT, undefined);
    await series(server, 100_000, 100_000);
  } finally {
    child.kill();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
