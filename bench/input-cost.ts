/**
 * `npm run bench -- input-cost` (or `node --expose-gc --import tsx bench/input-cost.ts`):
 * costs that must stay linear in the caller's input (issue 18, "Cost that
 * grows faster than the input"). Each row gives µs per unit at three sizes;
 * linear means the column stays flat as the size grows. The baseline of each,
 * measured in the same run, is the same work without the hostile shape.
 *
 * - Shared AbortSignal: N `resolve4` calls with one signal, started and then
 *   settled by aborting it, per query; baseline: N calls each with its own
 *   signal, aborted one by one. A fake transport (nothing sent) isolates the
 *   driver loop and the promise API from sockets.
 * - Long names: `resolve4` of a name of N characters (ASCII, and `ü.`
 *   repeated), time to reject, median of 21 calls; baseline: a bad
 *   30-character name (an empty label), median of 101.
 * - Hosts file: `parseHosts` of N lines all naming one host, per line;
 *   baseline: N lines each naming its own host.
 */
import { pathToFileURL } from 'node:url';
import { PromiseResolver } from '../src/api/promise-resolver.js';
import { serversFromNode } from '../src/api/servers.js';
import { parseHosts } from '../src/index.js';
import type { CoreLoop, Transport } from '../src/api/loop.js';

/** Sends nothing, fires no timer: queries stay in flight until cancelled. */
class NullTransport implements Transport {
  attach(_loop: CoreLoop): void {}
  now(): number {
    return performance.now();
  }
  send(): void {}
  setTimer(): void {}
  close(): void {}
}

let seed = 1;
const random = (b: Uint8Array): void => {
  for (let i = 0; i < b.length; i++) b[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
};

function resolver(): PromiseResolver {
  return new PromiseResolver({ cache: false, coalesce: false, maxInFlight: 1_000_000 }, () => new NullTransport(), random, ['192.0.2.1'], serversFromNode);
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** µs per query to start `n` queries, to settle them by abort, and CPU for both; `shared` puts one signal on all. */
async function signals(n: number, shared: boolean): Promise<[number, number, number]> {
  const r = resolver();
  gc();
  const one = new AbortController();
  const own: AbortController[] = [];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const all: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const ac = shared ? one : new AbortController();
    if (!shared) own.push(ac);
    all.push(r.resolve4(`q${i}.test`, { signal: ac.signal }).catch(() => undefined));
  }
  const t1 = performance.now();
  if (shared) one.abort();
  else for (const ac of own) ac.abort();
  await Promise.all(all);
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  r.close();
  return [((t1 - t0) * 1000) / n, ((t2 - t1) * 1000) / n, (cpu.user + cpu.system) / n];
}

/** µs per rejected call of `resolve4(name)`: the median of `reps` calls (a shared machine pauses now and then). */
async function nameCost(name: string, reps: number): Promise<number> {
  const r = resolver();
  const each: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await r.resolve4(name).catch(() => undefined);
    each.push((performance.now() - t0) * 1000);
  }
  r.close();
  return each.sort((x, y) => x - y)[reps >> 1] as number;
}

function hostsCost(n: number, oneName: boolean): number {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} ${oneName ? 'many.test' : `h${i}.test`}`);
  const text = lines.join('\n');
  gc();
  const t0 = performance.now();
  parseHosts(text);
  return ((performance.now() - t0) * 1000) / n;
}

const f = (x: number): string => x.toFixed(2).padStart(10);

export async function run(): Promise<void> {
  console.log('shared AbortSignal: µs per query, wall (start / settle by abort) and CPU (both)');
  for (const n of [5_000, 20_000, 50_000]) {
    const [s0, s1, sc] = await signals(n, true);
    const [o0, o1, oc] = await signals(n, false);
    console.log(`  ${String(n).padStart(6)} queries  shared ${f(s0)} /${f(s1)} cpu ${f(sc)}   own signals ${f(o0)} /${f(o1)} cpu ${f(oc)}   `
      + `ratio ${((s0 + s1) / (o0 + o1)).toFixed(2)}x (target: flat, <= 20 µs/query)`);
  }
  console.log('long names: µs per rejected resolve4');
  const base = await nameCost('x'.repeat(10) + '..' + 'y'.repeat(18), 101);
  for (const n of [5_000, 20_000, 200_000]) {
    const ascii = await nameCost('a'.repeat(n), 21);
    const idn = await nameCost('ü.'.repeat(n / 2), 21);
    console.log(`  ${String(n).padStart(7)} chars  ASCII ${f(ascii)}   ü. ${f(idn)}   baseline (30 chars) ${f(base)}   ratio ${(Math.max(ascii, idn) / base).toFixed(2)}x`);
  }
  console.log('hosts file: µs per line');
  for (const n of [10_000, 40_000]) {
    const one = hostsCost(n, true);
    const many = hostsCost(n, false);
    console.log(`  ${String(n).padStart(6)} lines  one name ${f(one)}   a name each ${f(many)}   ratio ${(one / many).toFixed(2)}x`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
