/**
 * `npm run bench -- bridge-attack`: the DoH bridge (h2c and HTTP/1.1 in
 * clear, default limits) under each attack of `bench/bridge-attacks.ts`
 * (issue 18), with a legitimate probe beside it: one HTTP/2 query every
 * 20 ms on a kept session and every tenth on a new connection. For each
 * attack, after a 1 s ramp: the probe's p50/p99/max latency and failures
 * over ATTACK_SECONDS (default 8), the bridge's largest RSS, and whether its
 * process survived. The baseline is the probe with no attack for as long,
 * same run, after a 1 s warm-up. On a shared machine the baseline's own p99
 * says how much of a figure is the machine rather than the attack.
 * Bridge and attacker each run in their own process (`bench/bridge-server.ts`
 * bundled by esbuild); the upstream is Knot (else BIND) on loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { encodeMessage } from '../src/codec.js';
import { serverAvailable, startServer } from '../test/integration/servers.js';
import { bundle } from './bridge.js';
import { ATTACKS } from './bridge-attacks.js';

const SECONDS = Number(process.env.ATTACK_SECONDS ?? 8);
const QUERY = Buffer.from(encodeMessage({ id: 0, flags: { rd: true }, questions: [{ name: 'www.example.test', type: 1, class: 1 }] }));

interface Row { attack: string; p50: number; p99: number; max: number; failed: number; probes: number; rssMb: number; alive: boolean }

async function child(file: string, args: string[]): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, [file, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout as NodeJS.ReadableStream }).once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
  });
  return { proc, port: (JSON.parse(line) as { port: number }).port };
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Number(m?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** One POST on `session`; its latency in ms, or Infinity on failure or after 2 s. */
function ask(session: http2.ClientHttp2Session): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(Infinity), 2000);
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      resolve(ok ? performance.now() - t0 : Infinity);
    };
    try {
      const req = session.request({ ':method': 'POST', ':path': '/dns-query', 'content-type': 'application/dns-message' });
      let status = 0;
      req.on('response', (h) => (status = Number(h[':status'])));
      req.on('data', () => undefined);
      req.on('end', () => done(status === 200));
      req.on('error', () => done(false));
      req.end(QUERY);
    } catch {
      done(false);
    }
  });
}

async function probe(port: number, seconds: number, bridgePid: number): Promise<Omit<Row, 'attack' | 'alive'>> {
  const origin = `http://127.0.0.1:${port}`;
  let kept = http2.connect(origin);
  kept.on('error', () => undefined);
  const lat: number[] = [];
  let rss = 0;
  const end = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < end; i++) {
    if (kept.destroyed || kept.closed) {
      kept = http2.connect(origin);
      kept.on('error', () => undefined);
    }
    let ms: number;
    if (i % 10 === 9) {
      const fresh = http2.connect(origin);
      fresh.on('error', () => undefined);
      ms = await ask(fresh);
      fresh.destroy();
    } else {
      ms = await ask(kept);
    }
    lat.push(ms);
    rss = Math.max(rss, rssMb(bridgePid));
    await new Promise((r) => setTimeout(r, 20));
  }
  kept.destroy();
  const ok = lat.filter(Number.isFinite).sort((a, b) => a - b);
  const at = (q: number): number => ok[Math.min(ok.length - 1, Math.floor(ok.length * q))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), max: ok[ok.length - 1] ?? NaN, failed: lat.length - ok.length, probes: lat.length, rssMb: rss };
}

export async function run(): Promise<void> {
  const authKind = serverAvailable('knot') ? 'knot' : serverAvailable('bind') ? 'bind' : undefined;
  if (authKind === undefined) {
    console.log('bridge-attack: needs Knot or BIND for the upstream: skipped');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'transports-attack-'));
  const auth = await startServer(authKind, { ipv6: false });
  const procs: ChildProcess[] = [];
  try {
    const file = await bundle(dir);
    const bridge = await child(file, ['bridge', `127.0.0.1:${auth.port}`, '-', '-']);
    procs.push(bridge.proc);
    let died: string | undefined;
    bridge.proc.once('exit', (code, signal) => (died = `exit ${code ?? ''} ${signal ?? ''}`));
    await probe(bridge.port, 1, bridge.proc.pid as number); // warm-up: JIT, the upstream answer cached
    const rows: Row[] = [{ attack: 'none (baseline)', ...(await probe(bridge.port, SECONDS, bridge.proc.pid as number)), alive: true }];
    for (const kind of Object.keys(ATTACKS)) {
      if (died !== undefined) break;
      const attacker = await child(file, ['attack', kind, String(bridge.port)]);
      await new Promise((r) => setTimeout(r, 1000));
      const r = await probe(bridge.port, SECONDS, bridge.proc.pid as number);
      attacker.proc.kill('SIGKILL');
      rows.push({ attack: kind, ...r, alive: died === undefined });
      await new Promise((r2) => setTimeout(r2, 2000));
    }
    console.log(`bridge with default limits, probe every 20 ms (every 10th on a new connection), ${SECONDS} s per attack`);
    console.log(`${'attack'.padEnd(16)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)} ${'failed'.padStart(7)} ${'probes'.padStart(7)} ${'RSS MB'.padStart(7)}  bridge`);
    for (const r of rows) {
      console.log(`${r.attack.padEnd(16)} ${r.p50.toFixed(1).padStart(7)} ${r.p99.toFixed(1).padStart(7)} ${r.max.toFixed(1).padStart(7)} ${String(r.failed).padStart(7)} ${String(r.probes).padStart(7)} ${r.rssMb.toFixed(0).padStart(7)}  ${r.alive ? 'alive' : `DIED (${died})`}`);
    }
    const worst = Math.max(...rows.slice(1).map((r) => r.p99));
    console.log(`worst probe p99 under attack: ${worst.toFixed(1)} ms (target <= 50 ms); baseline p99 ${(rows[0] as Row).p99.toFixed(1)} ms`);
    console.log(`machine load average (1 min) at the end: ${(loadavg()[0] as number).toFixed(1)} on ${(await import('node:os')).cpus().length} CPUs`);
  } finally {
    for (const p of procs) p.kill('SIGKILL');
    await auth.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
