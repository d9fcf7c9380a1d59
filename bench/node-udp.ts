/**
 * `npm run bench -- node-udp` (or `node --import tsx bench/node-udp.ts`):
 * the Node driver against real authoritative servers on loopback (Knot, then
 * BIND, each started here; env BENCH_SERVERS=knot or =bind for one),
 * concurrency 100, 50,000 A queries each, for:
 * - sansdns (`NodeResolver.resolve4`),
 * - Node's `dns.promises.Resolver.resolve4` (c-ares),
 * - a raw `dgram` floor: pre-encoded queries on one connected socket, replies
 *   counted by ID, nothing decoded;
 * - against BIND only, sansdns with `cookies: false`: c-ares sends neither
 *   EDNS nor cookies, and BIND makes and checks a server cookie for every
 *   query that carries one, so this row shows what cookies cost there (the
 *   ratios are of the default sansdns, cookies on).
 * Each contender gets a warm-up of 5,000 queries, then ROUNDS rounds (default
 * 3, env BENCH_ROUNDS), the order rotated every round so none always runs
 * first or after the same neighbour; each figure is the median over rounds.
 * All ask the same question (A www.example.test, RD set, EDNS 1232)
 * with 100 in flight: a new query starts as soon as one finishes.
 * Prints queries per second, p50 and p99 latency, client CPU (user+system)
 * per query, the server's CPU per query (utime+stime of the server process
 * the bench started, from /proc/PID/stat, over the same run), and the
 * ratios, of throughput and of CPU, and V8's GC pauses per 1,000 queries
 * (`gc/kq`, their total ms `gc ms/kq`: the pauses behind p99). On a small shared machine the server and
 * the client compete for cores, so CPU per query is the steadier figure.
 *
 * Then, untimed, allocations per query: each contender runs ALLOC_QUERIES
 * (default 5,000, env BENCH_ALLOC_QUERIES) more queries under V8's sampling
 * heap profiler with collected objects kept (`alloc-sampler.ts`): objects
 * and bytes allocated per query by the whole process, the harness's own
 * promises included (the same harness for sansdns and Node's resolver),
 * and for sansdns those of its own code (`ours/q`, `our B/q`): objects
 * allocated by functions of `src/` (a builtin such as a Map growing counts
 * for the function that called it; `dgram`'s own send and receive do not
 * count), issue 13's "allocations per query on the hot path".
 */
import dgram from 'node:dgram';
import { promises as dnsPromises } from 'node:dns';
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { countAllocations } from './alloc-sampler.js';
import { closedLoop as runLoop, percentile } from './closed-loop.js';
import { encodeQuery, parseName, typeFromInput } from '../src/codec.js';
import { NodeResolver } from '../src/node.js';
import { serverAvailable, startServer } from '../test/integration/servers.js';

const QUERIES = Number(process.env.BENCH_QUERIES ?? 50_000);
const CONCURRENCY = 100;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const NAME = 'www.example.test';
const ALLOC_QUERIES = Number(process.env.BENCH_ALLOC_QUERIES ?? 5000);
/** Script URLs of our own code: allocations by these functions are sansdns's (`alloc-sampler.ts`). */
const SRC = new URL('../src/', import.meta.url).href;
/** Clock ticks per second of /proc/PID/stat (USER_HZ: 100 on Linux). */
const USER_HZ = 100;

interface Result { name: string; qps: number; p50: number; p99: number; failed: number; cpu: number; serverCpu: number; gcs?: number; gcMs?: number }

/** CPU time (user+system) the process `pid` used so far, in µs; NaN without /proc. */
function processCpu(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1e6) / USER_HZ;
  } catch {
    return NaN;
  }
}

/** `run` with the server's CPU per query over it filled in, and the GC pauses per 1,000 queries during it. */
async function withServerCpu(pid: number, n: number, pauses: GcPauses, run: () => Promise<Result>): Promise<Result> {
  const before = processCpu(pid);
  const from = performance.now();
  const r = await run();
  const serverCpu = (processCpu(pid) - before) / n;
  const { count, ms } = await pauses.between(from, performance.now());
  return { ...r, serverCpu, gcs: (count * 1000) / n, gcMs: (ms * 1000) / n };
}

/** V8's GC pauses (`PerformanceObserver` 'gc'), counted over a stretch of time. */
class GcPauses {
  private readonly seen: [number, number][] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) this.seen.push([e.startTime, e.duration]);
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Pauses that started in [from, to], and their total ms (entries arrive asynchronously: waits for them first). */
  async between(from: number, to: number): Promise<{ count: number; ms: number }> {
    await new Promise((res) => setTimeout(res, 20));
    let count = 0;
    let ms = 0;
    for (const [start, duration] of this.seen) {
      if (start < from || start > to) continue;
      count++;
      ms += duration;
    }
    return { count, ms };
  }

  stop(): void {
    this.observer.disconnect();
  }
}

/** Run `n` calls of `one` with `CONCURRENCY` in flight; latency of each. */
async function closedLoop(name: string, n: number, one: (i: number) => Promise<unknown>): Promise<Result> {
  return { ...(await runLoop(name, n, CONCURRENCY, one)), serverCpu: NaN };
}

/** The floor's queries, one per ID, encoded once: not in any run's CPU, GC or allocation figures. */
let floorQueries: Uint8Array[] | undefined;

/** The floor: pre-encoded queries, one connected socket, replies matched by ID only. */
async function rawFloor(address: string, port: number, n: number): Promise<Result> {
  const labels = parseName(NAME).labels;
  const type = typeFromInput('A');
  const queries = (floorQueries ??= Array.from({ length: 65536 }, (_, id) =>
    encodeQuery({ id, labels, type, class: 1, rd: true, cd: false, edns: { payload: 1232, do: false } })));
  const sock = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((res) => sock.connect(port, address, res));
  const sentAt = new Float64Array(65536);
  const lat = new Float64Array(n);
  let sent = 0;
  let got = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const send = (): void => {
    const id = sent++ & 0xffff;
    sentAt[id] = performance.now();
    sock.send(queries[id] as Uint8Array);
  };
  await new Promise<void>((resolve) => {
    // A lost datagram would shrink the window; top it up if nothing arrives for 200 ms.
    const watchdog = setInterval(() => {
      while (sent < n && sent - got < CONCURRENCY) send();
    }, 200);
    sock.on('message', (m: Buffer) => {
      const id = (m[0] as number) * 256 + (m[1] as number);
      lat[got++] = performance.now() - (sentAt[id] as number);
      if (got >= n) {
        clearInterval(watchdog);
        return resolve();
      }
      if (sent < n) send();
    });
    for (let i = 0; i < CONCURRENCY && i < n; i++) send();
  });
  const secs = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(c0);
  sock.close();
  lat.sort();
  return { name: 'raw dgram floor', qps: n / secs, p50: percentile(lat, 0.5), p99: percentile(lat, 0.99), failed: 0, cpu: (used.user + used.system) / n, serverCpu: NaN };
}

/** Each figure's median over the rounds (q/s, p50, p99 and CPU separately). */
function median(rs: readonly Result[]): Result {
  const mid = (pick: (r: Result) => number): number => {
    const xs = rs.map(pick).sort((x, y) => x - y);
    return xs.length % 2 === 1 ? (xs[xs.length >> 1] as number) : ((xs[xs.length / 2 - 1] as number) + (xs[xs.length / 2] as number)) / 2;
  };
  const first = rs[0] as Result;
  return {
    name: first.name, qps: mid((r) => r.qps), p50: mid((r) => r.p50), p99: mid((r) => r.p99),
    cpu: mid((r) => r.cpu), serverCpu: mid((r) => r.serverCpu), failed: rs.reduce((sum, r) => sum + r.failed, 0),
    gcs: mid((r) => r.gcs ?? NaN), gcMs: mid((r) => r.gcMs ?? NaN),
  };
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

interface AllocFigures { objects: number; bytes: number; mine: { objects: number; bytes: number } | undefined }

function table(rows: Result[], allocs: Map<string, AllocFigures>): void {
  console.log(`${'contender'.padEnd(28)} ${'q/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'cpu µs/q'.padStart(9)} ${'srv µs/q'.padStart(9)} ${'allocs/q'.padStart(9)} ${'B/q'.padStart(7)} ${'ours/q'.padStart(7)} ${'our B/q'.padStart(7)} ${'gc/kq'.padStart(6)} ${'gc ms/kq'.padStart(8)} ${'failed'.padStart(7)}`);
  for (const r of rows) {
    const a = allocs.get(r.name);
    console.log(`${r.name.padEnd(28)} ${Math.round(r.qps).toString().padStart(9)} ${r.p50.toFixed(3).padStart(8)} ${r.p99.toFixed(3).padStart(8)} ${r.cpu.toFixed(2).padStart(9)} ${r.serverCpu.toFixed(2).padStart(9)} ${(a?.objects ?? NaN).toFixed(1).padStart(9)} ${Math.round(a?.bytes ?? NaN).toString().padStart(7)} ${(a?.mine === undefined ? '-' : a.mine.objects.toFixed(1)).padStart(7)} ${(a?.mine === undefined ? '-' : Math.round(a.mine.bytes).toString()).padStart(7)} ${(r.gcs ?? NaN).toFixed(2).padStart(6)} ${(r.gcMs ?? NaN).toFixed(2).padStart(8)} ${String(r.failed).padStart(7)}`);
  }
}

/** The servers to run against: env BENCH_SERVERS (`knot,bind`, the default), those installed. */
async function serverKinds(): Promise<('knot' | 'bind')[]> {
  const wanted = (process.env.BENCH_SERVERS ?? 'knot,bind').split(',').map((k) => k.trim());
  const kinds: ('knot' | 'bind')[] = [];
  for (const kind of ['knot', 'bind'] as const) if (wanted.includes(kind) && (await serverAvailable(kind))) kinds.push(kind);
  return kinds;
}

export async function run(): Promise<void> {
  const kinds = await serverKinds();
  if (kinds.length === 0) console.log('node-udp: neither Knot nor BIND is installed; skipped (run .ci/run or install knot)');
  for (const kind of kinds) await runAgainst(kind);
}

/** The contenders against one server, `kind`, started here. */
async function runAgainst(kind: 'knot' | 'bind'): Promise<void> {
  const server = await startServer(kind);
  try {
    const addr = server.address.includes(':') ? `[${server.address}]:${server.port}` : `${server.address}:${server.port}`;
    console.log(`${kind} ${server.version} on ${addr}; ${QUERIES} queries, concurrency ${CONCURRENCY}, A ${NAME}`);
    // Node's resolver has no cache: every sansdns query must go to the server too (the core's
    // `cache`/`coalesce` options, where present, off; older cores ignore unknown options).
    const networkOnly = { cache: false, coalesce: false } as object;
    const ours = new NodeResolver({ resolvConf: false, servers: [addr], ...networkOnly });
    const node = new dnsPromises.Resolver();
    node.setServers([addr]);
    // Node's resolver (c-ares) sends neither EDNS nor cookies; BIND answers cookies with a server
    // cookie it must make and check (RFC 7873 §5.2), so against BIND sansdns also runs without them.
    const noCookies = new NodeResolver({ resolvConf: false, servers: [addr], ...networkOnly, cookies: false });
    const contenders: [string, (n: number) => Promise<Result>][] = [
      ['sansdns', (n) => closedLoop('sansdns Resolver', n, () => ours.resolve4(NAME))],
      ['node', (n) => closedLoop("node dns.promises.Resolver", n, () => node.resolve4(NAME))],
      ['raw', (n) => rawFloor(server.address, server.port, n)],
      ...(kind === 'bind' ? [['no-cookies', (n: number) => closedLoop('sansdns, cookies: false', n, () => noCookies.resolve4(NAME))] as [string, (n: number) => Promise<Result>]] : []),
    ];
    const pauses = new GcPauses();
    for (const [, c] of contenders) await c(5000);
    const runs = new Map<string, Result[]>(contenders.map(([key]) => [key, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < contenders.length; i++) {
        const [key, c] = contenders[(i + round) % contenders.length] as (typeof contenders)[number];
        gc();
        (runs.get(key) as Result[]).push(await withServerCpu(server.pid, QUERIES, pauses, () => c(QUERIES)));
      }
    }
    const allocs = new Map<string, AllocFigures>();
    for (const [key, c] of contenders) {
      gc();
      let name = '';
      const a = await countAllocations(async () => {
        name = (await c(ALLOC_QUERIES)).name;
      }, SRC);
      const mine = key === 'sansdns' || key === 'no-cookies' ? { objects: a.mine.objects / ALLOC_QUERIES, bytes: a.mine.bytes / ALLOC_QUERIES } : undefined;
      allocs.set(name, { objects: a.objects / ALLOC_QUERIES, bytes: a.bytes / ALLOC_QUERIES, mine });
    }
    ours.close();
    noCookies.close();
    pauses.stop();
    const [s, n, f] = ['sansdns', 'node', 'raw'].map((k) => median(runs.get(k) as Result[])) as [Result, Result, Result];
    const extra = runs.has('no-cookies') ? [median(runs.get('no-cookies') as Result[])] : [];
    console.log(`median of ${ROUNDS} rounds (order rotated each round); srv µs/q: the server's CPU per query (/proc/${server.pid}/stat);`);
    console.log(`allocs/q and B/q: objects and bytes allocated per query by this whole process over ${ALLOC_QUERIES} more queries (V8 heap sampling, bench/alloc-sampler.ts);`);
    console.log(`ours/q and our B/q: those allocated by functions of src/ (target <= 10 objects per query)`);
    console.log(`gc/kq and gc ms/kq: V8's GC pauses per 1,000 queries in the timed rounds, and their total ms`);
    table([s, n, f, ...extra], allocs);
    console.log(`sansdns / node resolver: ${(s.qps / n.qps).toFixed(2)}x q/s (target >= 1.3x), ${(n.cpu / s.cpu).toFixed(2)}x by CPU per query, ${(n.serverCpu / s.serverCpu).toFixed(2)}x by server CPU per query`);
    console.log(`sansdns / raw floor:     ${(s.qps / f.qps).toFixed(2)}x q/s (target >= 0.7x), ${(f.cpu / s.cpu).toFixed(2)}x by CPU per query, ${(f.serverCpu / s.serverCpu).toFixed(2)}x by server CPU per query`);
  } finally {
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
