/**
 * Real authoritative DNS servers (BIND 9, Knot DNS) on loopback, for
 * integration tests and vector capture.
 *
 * Each {@link startServer} call makes a fresh temp dir, writes a config and a
 * copy of the zones in `test/fixtures/zones/`, starts the daemon in the
 * foreground as a child process (`named -g`, `knotd` without `-d`) on a free
 * port (UDP and TCP, 127.0.0.1 and ::1), and resolves once that very process
 * answers over UDP and TCP: the readiness probe asks `id.server. CH TXT`,
 * which each instance answers with its own random nonce, so a stranger on a
 * reused port is never mistaken for ours. `stop()` kills that child by pid.
 *
 * Servers are authoritative only (`recursion no` in BIND; Knot never
 * recurses), answer with at most 1232 bytes over UDP, and never talk to
 * anything but the querier. This module imports nothing from `src/`.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { accessSync, constants, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ServerKind = 'bind' | 'knot';

export interface RunningServer {
  readonly kind: ServerKind;
  readonly address: '127.0.0.1';
  /** Present when the server also listens on ::1 (same port). */
  readonly address6?: '::1';
  readonly port: number;
  /** Upstream version, e.g. `9.18.49` or `3.2.6`. */
  readonly version: string;
  /** Kind and version, e.g. `bind 9.18.49`. */
  readonly label: string;
  readonly pid: number;
  /** Temp dir with the config, zones and run files (removed by stop()). */
  readonly dir: string;
  /** Milliseconds from spawn to the first good answers. */
  readonly startupMs: number;
  /** Everything the daemon printed so far (stderr and stdout). */
  log(): string;
  /** Kills the child (SIGTERM, then SIGKILL after 3 s), waits, removes dir. Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Use this port instead of picking a free one (no retry on clash). */
  readonly port?: number;
  /** Also listen on ::1. Default: true when the host has IPv6 loopback. */
  readonly ipv6?: boolean;
  /** Overall startup deadline in ms. Default 10 000. */
  readonly timeoutMs?: number;
}

/** Zones served by every instance: origin and file name in {@link ZONE_DIR}. */
export const ZONES: readonly { readonly origin: string; readonly file: string }[] = [
  { origin: 'example.test', file: 'example.test.zone' },
  { origin: '2.0.192.in-addr.arpa', file: '2.0.192.in-addr.arpa.zone' },
];
export const ZONE_DIR = fileURLToPath(new URL('../fixtures/zones/', import.meta.url));

const BINARY: Record<ServerKind, string> = { bind: 'named', knot: 'knotd' };
const APT_PACKAGE: Record<ServerKind, string> = { bind: 'bind9', knot: 'knot' };

/** Absolute path of the daemon binary, searching PATH and the sbin dirs. */
export function serverBinary(kind: ServerKind): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const file = join(dir, BINARY[kind]);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

export function serverAvailable(kind: ServerKind): boolean {
  return serverBinary(kind) !== undefined;
}

/** Why a server is unavailable, naming the binary and the Debian package. */
export function missingServerMessage(kind: ServerKind): string {
  return `${BINARY[kind]} not found (install the Debian package "${APT_PACKAGE[kind]}"); skipping ${kind} tests`;
}

const versions = new Map<ServerKind, string>();

/** Upstream version of the installed daemon, e.g. `9.18.49`. */
export function serverVersion(kind: ServerKind): string {
  const cached = versions.get(kind);
  if (cached !== undefined) return cached;
  const bin = serverBinary(kind);
  if (bin === undefined) throw new Error(missingServerMessage(kind));
  const out = execFileSync(bin, [kind === 'bind' ? '-v' : '-V'], { encoding: 'utf8' });
  const match = /(\d+\.\d+\.\d+)/.exec(out);
  if (match?.[1] === undefined) throw new Error(`cannot parse ${kind} version from ${JSON.stringify(out)}`);
  versions.set(kind, match[1]);
  return match[1];
}

let ipv6Loopback: boolean | undefined;

/** Whether ::1 can be bound here (probed once). */
export async function hasIpv6Loopback(): Promise<boolean> {
  if (ipv6Loopback !== undefined) return ipv6Loopback;
  ipv6Loopback = await new Promise<boolean>((resolve) => {
    const s = dgram.createSocket('udp6');
    s.once('error', () => { s.close(); resolve(false); });
    s.bind(0, '::1', () => { s.close(); resolve(true); });
  });
  return ipv6Loopback;
}

export async function startServer(kind: ServerKind, opts: StartOptions = {}): Promise<RunningServer> {
  const bin = serverBinary(kind);
  if (bin === undefined) throw new Error(missingServerMessage(kind));
  const version = serverVersion(kind);
  const ipv6 = opts.ipv6 ?? (await hasIpv6Loopback());
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  const attempts = opts.port === undefined ? 5 : 1;
  let lastError: unknown;
  for (let i = 0; i < attempts && Date.now() < deadline; i++) {
    const port = opts.port ?? (await freePort(ipv6));
    try {
      return await launch(kind, bin, version, port, ipv6, deadline);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(`${kind}: startup failed`);
}

/* ------------------------------------------------------------------ ports */

function bindUdp(type: 'udp4' | 'udp6', host: string, port: number): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket({ type });
    s.once('error', (e) => { s.close(); reject(e); });
    s.bind({ port, address: host, exclusive: true }, () => resolve(s));
  });
}

function listenTcp(host: string, port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen({ port, host, exclusive: true }, () => resolve(s));
  });
}

/** A port free for UDP and TCP on 127.0.0.1 (and ::1), at the time of asking. */
async function freePort(ipv6: boolean): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const udp = await bindUdp('udp4', '127.0.0.1', 0);
    const port = udp.address().port;
    const held: { close(): unknown }[] = [udp];
    try {
      held.push(await listenTcp('127.0.0.1', port));
      if (ipv6) {
        held.push(await bindUdp('udp6', '::1', port));
        held.push(await listenTcp('::1', port));
      }
      return port;
    } catch {
      // clash on one of the four; try another
    } finally {
      for (const h of held) h.close();
    }
  }
  throw new Error('no free port on loopback');
}

/* ---------------------------------------------------------------- configs */

function bindConfig(dir: string, port: number, ipv6: boolean, nonce: string): string {
  const zones = ZONES.map((z) => `zone "${z.origin}" { type primary; file "${join(dir, z.file)}"; };`);
  return `options {
  directory "${dir}";
  pid-file none;
  session-keyfile none;
  managed-keys-directory "${dir}";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 port ${port} { ${ipv6 ? '::1;' : 'none;'} };
  automatic-interface-scan no;
  recursion no;
  allow-query { any; };
  allow-transfer { none; };
  notify no;
  dnssec-validation no;
  edns-udp-size 1232;
  max-udp-size 1232;
  max-records-per-type 0;
  max-types-per-name 0;
  server-id "${nonce}";
};
controls { };
${zones.join('\n')}
`;
}

function knotConfig(dir: string, port: number, ipv6: boolean, nonce: string): string {
  const listen = ipv6 ? `[ 127.0.0.1@${port}, ::1@${port} ]` : `[ 127.0.0.1@${port} ]`;
  return `server:
  rundir: "${dir}"
  user: root:root
  listen: ${listen}
  identity: "${nonce}"
  udp-max-payload: 1232
  udp-workers: 1
  tcp-workers: 1
  background-workers: 1
  automatic-acl: off
log:
  - target: stderr
    any: info
database:
  storage: "${join(dir, 'db')}"
template:
  - id: default
    storage: "${dir}"
    file: "%s.zone"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
zone:
${ZONES.map((z) => `  - domain: ${z.origin}`).join('\n')}
`;
}

/* ----------------------------------------------------------------- launch */

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

async function launch(
  kind: ServerKind, bin: string, version: string, port: number, ipv6: boolean, deadline: number,
): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), `sansdns-${kind}-`));
  const nonce = `sansdns-${randomBytes(8).toString('hex')}`;
  for (const z of ZONES) copyFileSync(join(ZONE_DIR, z.file), join(dir, z.file));
  let args: string[];
  if (kind === 'bind') {
    writeFileSync(join(dir, 'named.conf'), bindConfig(dir, port, ipv6, nonce));
    args = ['-g', '-n', '1', '-c', join(dir, 'named.conf')];
  } else {
    mkdirSync(join(dir, 'db'));
    writeFileSync(join(dir, 'knot.conf'), knotConfig(dir, port, ipv6, nonce));
    args = ['-c', join(dir, 'knot.conf')];
  }
  const started = performance.now();
  const child = spawn(bin, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let output = '';
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-65_536);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => { live.delete(child); resolve(); });
    child.once('error', (e) => { output += `\nspawn error: ${e.message}`; live.delete(child); resolve(); });
  });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };
  try {
    await waitReady(port, ipv6, nonce, deadline, () => child.exitCode !== null || child.signalCode !== null);
  } catch (err) {
    await stop();
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`${kind} on port ${port}: ${why}\n--- ${BINARY[kind]} output ---\n${output}`);
  }
  const server: RunningServer = {
    kind, address: '127.0.0.1', port, version, label: `${kind} ${version}`, pid: child.pid ?? -1, dir,
    startupMs: Math.round(performance.now() - started), log: () => output, stop,
    ...(ipv6 ? { address6: '::1' as const } : {}),
  };
  return server;
}

/* -------------------------------------------------------------- readiness */

/** id.server. CH TXT with the given ID; or `<zone> IN SOA`. */
function probeQuery(id: number, name: string, type: number, klass: number): Buffer {
  const labels = name.split('.').filter((l) => l !== '');
  const parts = [Buffer.from([id >> 8, id & 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])];
  for (const l of labels) parts.push(Buffer.from([l.length]), Buffer.from(l, 'ascii'));
  parts.push(Buffer.from([0, type >> 8, type & 0xff, klass >> 8, klass & 0xff]));
  return Buffer.concat(parts);
}

interface ProbeReply { readonly id: number; readonly rcode: number; readonly aa: boolean; readonly ancount: number; readonly raw: Buffer }

function parseReply(b: Buffer): ProbeReply | undefined {
  if (b.length < 12) return undefined;
  return { id: b.readUInt16BE(0), rcode: b[3]! & 0x0f, aa: (b[2]! & 0x04) !== 0, ancount: b.readUInt16BE(6), raw: b };
}

function udpProbe(host: string, port: number, query: Buffer, timeoutMs: number): Promise<ProbeReply | undefined> {
  return new Promise((resolve) => {
    const s = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const done = (r: ProbeReply | undefined): void => { clearTimeout(t); s.close(); resolve(r); };
    const t = setTimeout(() => done(undefined), timeoutMs);
    s.on('error', () => done(undefined));
    s.on('message', (m) => {
      const r = parseReply(m);
      if (r !== undefined && r.id === query.readUInt16BE(0)) done(r);
    });
    s.send(query, port, host);
  });
}

function tcpProbe(host: string, port: number, query: Buffer, timeoutMs: number): Promise<ProbeReply | undefined> {
  return new Promise((resolve) => {
    let buf: Buffer = Buffer.alloc(0);
    const sock = net.connect({ host, port });
    const done = (r: ProbeReply | undefined): void => { clearTimeout(t); sock.destroy(); resolve(r); };
    const t = setTimeout(() => done(undefined), timeoutMs);
    sock.on('error', () => done(undefined));
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(query.length);
      sock.write(Buffer.concat([len, query]));
    });
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(parseReply(buf.subarray(2, 2 + buf.readUInt16BE(0))));
    });
  });
}

async function probeOnce(host: string, port: number, nonce: string, tcp: boolean): Promise<boolean> {
  const exchange = tcp ? tcpProbe : udpProbe;
  const id = randomBytes(2).readUInt16BE(0);
  const who = await exchange(host, port, probeQuery(id, 'id.server', 16, 3), 100);
  if (who === undefined || who.ancount === 0 || !who.raw.includes(Buffer.from(nonce, 'ascii'))) {
    if (who !== undefined && who.ancount > 0) throw new Error(`another server answers on ${host}@${port}`);
    return false;
  }
  for (const z of ZONES) {
    const soa = await exchange(host, port, probeQuery((id + 1) & 0xffff, z.origin, 6, 1), 500);
    if (soa === undefined || soa.rcode !== 0 || !soa.aa || soa.ancount !== 1) return false;
  }
  return true;
}

async function waitReady(
  port: number, ipv6: boolean, nonce: string, deadline: number, hasExited: () => boolean,
): Promise<void> {
  const hosts = ipv6 ? ['127.0.0.1', '::1'] : ['127.0.0.1'];
  const pending = new Set(hosts.flatMap((h) => [`${h} udp`, `${h} tcp`]));
  while (pending.size > 0) {
    if (hasExited()) throw new Error('daemon exited during startup');
    if (Date.now() > deadline) throw new Error(`not ready in time (still waiting for ${[...pending].join(', ')})`);
    for (const key of [...pending]) {
      const [host, transport] = key.split(' ') as [string, string];
      if (await probeOnce(host, port, nonce, transport === 'tcp')) pending.delete(key);
    }
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 25));
  }
}
