/**
 * `npm run bench -- bulk` (or `node --import tsx bench/bulk.ts`): bulk mode
 * of the `sansdns` command beside `dnsperf`, against the same authoritative
 * server on loopback (Knot, else BIND, started here), in the same run.
 *
 * The input: BENCH_BULK_NAMES (default 100,000) distinct names under the
 * fixture zone's wildcard (`n<i>.wild.example.test`, each answered with an
 * A record), so no cache or coalescing can help either side. Contenders,
 * each with 100 questions in flight, each run ROUNDS times (default 3, env
 * BENCH_ROUNDS) in an order rotated every round, medians reported:
 * - `sansdns -f FILE --no-cache`, results in input order, written to a file;
 * - the same with `--unordered`;
 * - `dnsperf -q 100 -c 1 -n 1` over the same names (Debian package
 *   `dnsperf`; not installed by scripts/install-system-deps.sh, since
 *   benches do not run in CI: `apt-get install dnsperf`).
 * massdns is not packaged in Debian, so it is not measured (said so below).
 *
 * Each contender is a process of its own. Its rate is questions answered
 * over its own measured time (the sansdns summary line; dnsperf's "Queries
 * per second"); the wall time with startup and its peak RSS (GNU time) are
 * printed too. On a small shared machine the server and the client compete
 * for cores: read the ratio, measured in the same run, not the absolutes.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { serverAvailable, startServer } from '../test/integration/servers.js';

const exec = promisify(execFile);
const NAMES = Number(process.env['BENCH_BULK_NAMES'] ?? 100_000);
const ROUNDS = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 3));
const CONCURRENCY = 100;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Result {
  readonly name: string;
  /** Questions answered per second, by the contender's own clock. */
  readonly qps: number;
  /** Seconds from spawn to exit. */
  readonly wall: number;
  readonly answered: number;
  /** Peak resident memory in KiB, when GNU time is there to tell. */
  readonly rssKiB: number | undefined;
}

function has(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const GNU_TIME = '/usr/bin/time';
const timed = has(GNU_TIME);

/** Run a command (under GNU time when present); its stdout, stderr, wall seconds and peak RSS. */
async function measure(argv: readonly string[]): Promise<{ stdout: string; stderr: string; wall: number; rssKiB: number | undefined }> {
  const t0 = performance.now();
  const [cmd, args] = timed ? [GNU_TIME, ['-f', 'maxrss %M', ...argv]] : [argv[0] as string, argv.slice(1)];
  const { stdout, stderr } = await exec(cmd, args, { maxBuffer: 64 << 20, cwd: ROOT, timeout: 600_000 });
  const rss = /maxrss (\d+)\s*$/.exec(stderr)?.[1];
  return { stdout, stderr, wall: (performance.now() - t0) / 1000, rssKiB: rss === undefined ? undefined : Number(rss) };
}

async function sansdns(name: string, file: string, out: string, at: string, extra: readonly string[]): Promise<Result> {
  // The output goes to a file, as a crawler's would; the summary is its last line.
  const script = `node --import tsx src/cli/main.ts -f ${file} ${at} --concurrency ${CONCURRENCY} --no-cache --no-progress ${extra.join(' ')} > ${out}`;
  const m = await measure(['sh', '-c', script]);
  const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
  const summary = lines.at(-1) ?? '';
  const match = /^;; (\d+) questions in ([\d.]+) s \(([\d.]+) q\/s\)(?:: (.*))?;/.exec(summary);
  if (match === null) throw new Error(`no summary from sansdns: ${summary}`);
  const answered = Number(/NOERROR (\d+)/.exec(match[4] ?? '')?.[1] ?? 0);
  return { name, qps: Number(match[3]), wall: m.wall, answered, rssKiB: m.rssKiB };
}

async function dnsperf(file: string, address: string, port: number): Promise<Result> {
  const m = await measure(['dnsperf', '-s', address, '-p', String(port), '-d', file, '-c', '1', '-q', String(CONCURRENCY), '-n', '1']);
  const qps = /Queries per second:\s+([\d.]+)/.exec(m.stdout)?.[1];
  const completed = /Queries completed:\s+(\d+)/.exec(m.stdout)?.[1];
  if (qps === undefined || completed === undefined) throw new Error(`no figures from dnsperf:\n${m.stdout}`);
  return { name: 'dnsperf -q 100', qps: Number(qps), wall: m.wall, answered: Number(completed), rssKiB: m.rssKiB };
}

function median(rs: readonly Result[]): Result {
  const mid = (pick: (r: Result) => number): number => {
    const xs = rs.map(pick).sort((x, y) => x - y);
    return xs.length % 2 === 1 ? (xs[xs.length >> 1] as number) : ((xs[xs.length / 2 - 1] as number) + (xs[xs.length / 2] as number)) / 2;
  };
  const first = rs[0] as Result;
  const rss = rs.every((r) => r.rssKiB !== undefined) ? mid((r) => r.rssKiB as number) : undefined;
  return { name: first.name, qps: mid((r) => r.qps), wall: mid((r) => r.wall), answered: Math.min(...rs.map((r) => r.answered)), rssKiB: rss };
}

function table(rows: readonly Result[]): void {
  console.log(`${'contender'.padEnd(34)} ${'q/s'.padStart(9)} ${'wall s'.padStart(8)} ${'answered'.padStart(9)} ${'peak RSS'.padStart(10)}`);
  for (const r of rows) {
    const rss = r.rssKiB === undefined ? '-' : `${Math.round(r.rssKiB / 1024)} MiB`;
    console.log(`${r.name.padEnd(34)} ${Math.round(r.qps).toString().padStart(9)} ${r.wall.toFixed(2).padStart(8)} ${String(r.answered).padStart(9)} ${rss.padStart(10)}`);
  }
}

export async function run(): Promise<void> {
  const kind = serverAvailable('knot') ? 'knot' : serverAvailable('bind') ? 'bind' : undefined;
  if (kind === undefined) {
    console.log('bulk: neither Knot nor BIND is installed; skipped (scripts/install-system-deps.sh installs both)');
    return;
  }
  const withDnsperf = has('dnsperf');
  const dir = mkdtempSync(join(tmpdir(), 'cli-bench-bulk-'));
  const server = await startServer(kind, { ipv6: false });
  try {
    const names = Array.from({ length: NAMES }, (_, i) => `n${i}.wild.example.test`);
    const ours = join(dir, 'names.txt');
    const theirs = join(dir, 'dnsperf.txt');
    writeFileSync(ours, `${names.join('\n')}\n`);
    writeFileSync(theirs, `${names.map((n) => `${n} A`).join('\n')}\n`);
    const at = `@127.0.0.1:${server.port}`;
    console.log(`${kind} ${server.version} on 127.0.0.1:${server.port}; ${NAMES} distinct names (wildcard A answers), ${CONCURRENCY} in flight`);
    const contenders: [string, () => Promise<Result>][] = [
      ['ordered', () => sansdns('sansdns -f (input order)', ours, join(dir, 'out.txt'), at, [])],
      ['unordered', () => sansdns('sansdns -f --unordered', ours, join(dir, 'out.txt'), at, ['--unordered'])],
      ...(withDnsperf ? [['dnsperf', () => dnsperf(theirs, '127.0.0.1', server.port)] as [string, () => Promise<Result>]] : []),
    ];
    const runs = new Map<string, Result[]>(contenders.map(([key]) => [key, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < contenders.length; i++) {
        const [key, c] = contenders[(i + round) % contenders.length] as (typeof contenders)[number];
        (runs.get(key) as Result[]).push(await c());
      }
    }
    const rows = contenders.map(([key]) => median(runs.get(key) as Result[]));
    console.log(`median of ${ROUNDS} rounds (order rotated each round)`);
    table(rows);
    const [ordered, unordered, perf] = rows as [Result, Result, Result | undefined];
    if (perf !== undefined) {
      console.log(`sansdns -f / dnsperf:             ${(ordered.qps / perf.qps).toFixed(2)}x q/s`);
      console.log(`sansdns -f --unordered / dnsperf: ${(unordered.qps / perf.qps).toFixed(2)}x q/s`);
    } else {
      console.log('dnsperf: not installed (apt-get install dnsperf); no baseline in this run');
    }
    console.log('massdns: not packaged in Debian (apt-cache search massdns finds nothing); not measured');
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
