/**
 * `npm run bench -- bridge`: what the encrypted transports cost, in one run.
 *
 * 1. The DoH bridge's CPU per request beside its floor, a plain `node:http2`
 *    server answering a fixed DNS message (`bench/bridge-server.ts`, stream
 *    API, same TLS certificate), each in its own process, loaded by h2load
 *    over TLS + HTTP/2 (4 connections, 10 streams each), GET and POST of the
 *    same query (the bridge answers it from its cache after the first). CPU
 *    is the server process's user+system time from /proc, divided by the
 *    requests. dnsdist and unbound, when installed, are measured the same
 *    way as references (dnsdist forwards every query: it has no packet cache
 *    here; unbound answers from its cache).
 * 2. Our client's throughput over UDP, DNS over TLS and DoH (HTTP/2) to the
 *    same upstream: dnsdist in front of Knot on loopback, the core's cache
 *    and coalescing off, 100 queries in flight.
 * Both servers run `bench/bridge-server.ts` bundled by esbuild (as tsup
 * ships the package: no tsx loader, no keepNames helpers) in plain Node.
 * Rounds: BENCH_ROUNDS (default 3), order rotated; each figure is the median.
 * Requests per h2load run: BENCH_REQUESTS (default 40000). BENCH_CPU_PROF=DIR: the servers' CPU profiles.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { closedLoop as runLoop, type LoopFigures } from './closed-loop.js';
import { encodeMessage } from '../src/codec.js';
import { NodeResolver as Resolver } from '../src/node.js';
import { makeCert, type TestCert } from '../test/helpers/secure-servers.js';
import { serverAvailable, startServer } from '../test/integration/servers.js';
import { daemonBinary, startDaemon, type SecureDaemon } from '../test/integration/secure-daemons.js';

const exec = promisify(execFile);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40_000);
const CLIENT_QUERIES = Number(process.env.BENCH_QUERIES ?? 20_000);
const NAME = 'www.example.test';
const QUERY = Buffer.from(encodeMessage({ id: 0, flags: { rd: true }, questions: [{ name: NAME, type: 1, class: 1 }] }));
const GET_QUERY = `?dns=${QUERY.toString('base64url')}`;
const TICK_US = 1e6 / 100; // CLK_TCK is 100 on Linux

interface Load { server: string; method: string; rps: number; cpu: number; failed: number }
interface Target { name: string; url: string; pid: number }
interface Files { key: string; cert: string; body: string }

/** User+system CPU of a process, in µs (/proc/PID/stat fields 14 and 15). */
function cpuOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_US;
}

async function h2load(url: string, method: 'GET' | 'POST', n: number, body: string): Promise<{ rps: number; ok: number }> {
  const args = ['-n', String(n), '-c', '4', '-m', '10'];
  if (method === 'POST') args.push('-d', body, '-H', 'content-type: application/dns-message');
  const { stdout } = await exec('h2load', [...args, method === 'GET' ? `${url}${GET_QUERY}` : url], { timeout: 300_000 });
  const rps = Number(/finished in [\d.]+m?s, ([\d.]+) req\/s/.exec(stdout)?.[1] ?? NaN);
  const ok = Number(/(\d+) succeeded/.exec(stdout)?.[1] ?? 0);
  return { rps, ok };
}

/** `bench/bridge-server.ts` bundled into `dir`, as the package is built (ESM, no keepNames). */
export async function bundle(dir: string): Promise<string> {
  const outfile = join(dir, 'bridge-server.mjs');
  await build({
    entryPoints: [new URL('./bridge-server.ts', import.meta.url).pathname], bundle: true, platform: 'node', format: 'esm',
    target: 'es2022', outfile, logLevel: 'warning',
  });
  return outfile;
}

async function child(file: string, mode: 'bridge' | 'plain', arg: string, key: string, cert: string): Promise<{ proc: ChildProcess; port: number }> {
  // BENCH_CPU_PROF=DIR: each server writes a V8 CPU profile there when it exits (open it in Chrome's DevTools).
  const prof = process.env['BENCH_CPU_PROF'];
  const flags = prof === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${prof}`, `--cpu-prof-name=${mode}-${process.hrtime.bigint()}.cpuprofile`];
  const proc = spawn(process.execPath, [...flags, file, mode, arg, key, cert], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout as NodeJS.ReadableStream }).once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  return { proc, port: (JSON.parse(line) as { port: number }).port };
}

/** One answer of the bridge to the query, for the floor to send back. */
async function answerFrom(port: number, ca: Buffer): Promise<Buffer> {
  const s = http2.connect(`https://127.0.0.1:${port}`, { ca });
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const req = s.request({ ':path': `/dns-query${GET_QUERY}` });
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
      req.end();
    });
  } finally {
    s.close();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? (s[s.length >> 1] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
}

async function measure(targets: Target[], body: string): Promise<Load[]> {
  const runs = new Map<string, { rps: number[]; cpu: number[]; failed: number }>();
  for (const t of targets) for (const m of ['GET', 'POST']) await h2load(t.url, m as 'GET', 2000, body);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < targets.length; i++) {
      const t = targets[(i + round) % targets.length] as (typeof targets)[number];
      for (const method of ['GET', 'POST'] as const) {
        const key = `${t.name}|${method}`;
        const r = runs.get(key) ?? { rps: [], cpu: [], failed: 0 };
        const c0 = cpuOf(t.pid);
        const { rps, ok } = await h2load(t.url, method, REQUESTS, body);
        r.cpu.push((cpuOf(t.pid) - c0) / Math.max(1, ok));
        r.rps.push(rps);
        r.failed += REQUESTS - ok;
        runs.set(key, r);
      }
    }
  }
  return [...runs].map(([key, r]) => {
    const [server, method] = key.split('|') as [string, string];
    return { server, method, rps: median(r.rps), cpu: median(r.cpu), failed: r.failed };
  });
}

function printLoads(rows: Load[]): void {
  console.log(`${'server'.padEnd(22)} ${'method'.padEnd(6)} ${'req/s'.padStart(8)} ${'cpu µs/req'.padStart(11)} ${'x floor'.padStart(8)} ${'failed'.padStart(7)}`);
  for (const r of rows) {
    const floor = rows.find((x) => x.server === 'plain node:http2' && x.method === r.method) as Load;
    console.log(`${r.server.padEnd(22)} ${r.method.padEnd(6)} ${Math.round(r.rps).toString().padStart(8)} ${r.cpu.toFixed(1).padStart(11)} ${(r.cpu / floor.cpu).toFixed(2).padStart(8)} ${String(r.failed).padStart(7)}`);
  }
}

type Throughput = LoopFigures;

async function closedLoop(name: string, n: number, one: () => Promise<unknown>): Promise<Throughput> {
  return runLoop(name, n, 100, one);
}

async function clientThroughput(dd: SecureDaemon, ca: Buffer): Promise<void> {
  const options = { resolvConf: false as const, hostsFile: false as const, cache: false, coalesce: false, ca, timeout: 2000 };
  const contenders: [string, Resolver][] = [
    ['UDP', new Resolver({ ...options, servers: [`127.0.0.1:${dd.plainPort}`] })],
    ['DNS over TLS', new Resolver({ ...options, servers: [`tls://127.0.0.1:${dd.dotPort}#dns.test`] })],
    ['DoH (HTTP/2)', new Resolver({ ...options, servers: [dd.dohUrl] })],
  ];
  for (const [name, r] of contenders) await closedLoop(name, 2000, () => r.resolve4(NAME));
  const runs = new Map<string, Throughput[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const [name, r] = contenders[(i + round) % contenders.length] as [string, Resolver];
      runs.set(name, [...(runs.get(name) ?? []), await closedLoop(name, CLIENT_QUERIES, () => r.resolve4(NAME))]);
    }
  }
  for (const [, r] of contenders) r.close();
  const rows = contenders.map(([name]) => {
    const rs = runs.get(name) as Throughput[];
    return { name, qps: median(rs.map((x) => x.qps)), p50: median(rs.map((x) => x.p50)), p99: median(rs.map((x) => x.p99)), cpu: median(rs.map((x) => x.cpu)), failed: rs.reduce((s, x) => s + x.failed, 0) };
  });
  const udp = rows[0] as Throughput;
  console.log(`\nour client to dnsdist (in front of Knot), ${CLIENT_QUERIES} queries, 100 in flight, cache off; median of ${ROUNDS}`);
  console.log(`${'transport'.padEnd(14)} ${'q/s'.padStart(8)} ${'x UDP'.padStart(6)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'cpu µs/q'.padStart(9)} ${'failed'.padStart(7)}`);
  for (const r of rows) {
    console.log(`${r.name.padEnd(14)} ${Math.round(r.qps).toString().padStart(8)} ${(r.qps / udp.qps).toFixed(2).padStart(6)} ${r.p50.toFixed(2).padStart(7)} ${r.p99.toFixed(2).padStart(7)} ${r.cpu.toFixed(1).padStart(9)} ${String(r.failed).padStart(7)}`);
  }
}

/** The bridge and its floor in their own processes, plus dnsdist and unbound when installed. */
async function startTargets(dir: string, auth: number, cert: TestCert, files: Files, procs: ChildProcess[], daemons: SecureDaemon[]): Promise<Target[]> {
  const file = await bundle(dir);
  const bridge = await child(file, 'bridge', `127.0.0.1:${auth}`, files.key, files.cert);
  procs.push(bridge.proc);
  const plain = await child(file, 'plain', (await answerFrom(bridge.port, cert.cert)).toString('hex'), files.key, files.cert);
  procs.push(plain.proc);
  const targets = [
    { name: 'plain node:http2', url: `https://127.0.0.1:${plain.port}/dns-query`, pid: plain.proc.pid as number },
    { name: 'sansdns bridge', url: `https://127.0.0.1:${bridge.port}/dns-query`, pid: bridge.proc.pid as number },
  ];
  for (const kind of ['dnsdist', 'unbound'] as const) {
    if (daemonBinary(kind) === undefined) continue;
    const d = await startDaemon(kind, cert, auth);
    daemons.push(d);
    targets.push({ name: `${kind} (reference)`, url: d.dohUrl, pid: d.pid });
  }
  return targets;
}

export async function run(): Promise<void> {
  const authKind = serverAvailable('knot') ? 'knot' : serverAvailable('bind') ? 'bind' : undefined;
  if (authKind === undefined || !(await run0('h2load', ['--version']))) {
    console.log('bridge: needs Knot or BIND and h2load (Debian nghttp2-client): skipped (scripts/install-system-deps.sh)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'transports-bench-'));
  const cert = makeCert();
  const files: Files = { key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem'), body: join(dir, 'query') };
  writeFileSync(files.key, cert.key);
  writeFileSync(files.cert, cert.cert);
  writeFileSync(files.body, QUERY);
  const auth = await startServer(authKind, { ipv6: false });
  const procs: ChildProcess[] = [];
  const daemons: SecureDaemon[] = [];
  try {
    const targets = await startTargets(dir, auth.port, cert, files, procs, daemons);
    console.log(`${authKind} ${auth.version} upstream; h2load -c 4 -m 10 over TLS+HTTP/2, ${REQUESTS} requests per run, A ${NAME}; median of ${ROUNDS}`);
    const rows = await measure(targets, files.body);
    printLoads(rows);
    for (const m of ['GET', 'POST']) {
      const b = rows.find((r) => r.server === 'sansdns bridge' && r.method === m) as Load;
      const f = rows.find((r) => r.server === 'plain node:http2' && r.method === m) as Load;
      console.log(`bridge / plain HTTP/2 server, ${m}: ${(b.cpu / f.cpu).toFixed(2)}x CPU per request (target <= 1.5x)`);
    }
    const dd = daemons.find((d) => d.kind === 'dnsdist');
    if (dd === undefined) console.log('\nclient throughput: dnsdist is not installed; skipped');
    else await clientThroughput(dd, cert.cert);
  } finally {
    for (const p of procs) p.stdin?.end();
    for (const d of daemons) await d.stop();
    await auth.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run0(cmd: string, args: string[]): Promise<boolean> {
  try {
    await exec(cmd, args);
    return true;
  } catch {
    return false;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
