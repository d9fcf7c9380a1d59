/**
 * Real DNS servers on loopback, for integration and differential tests and
 * vector capture: BIND 9, Knot DNS and NSD (authoritative), unbound (recursive,
 * over stub zones that point at a loopback authoritative) and dnsmasq (a
 * forwarder to a loopback authoritative). Configs: `server-configs.ts`.
 *
 * Each {@link startServer} call makes a fresh temp dir, writes a config and a
 * copy of the zones in `test/fixtures/zones/`, starts the daemon in the
 * foreground as a child process (`named -g`, `knotd`, `nsd -d`, `unbound -d`,
 * `dnsmasq -k`) on a free port (UDP and TCP, 127.0.0.1 and ::1), and resolves
 * once that very process answers over UDP and TCP: the readiness probe asks a
 * TXT name (`id.server. CH TXT`; dnsmasq a TXT record of its own) that each
 * instance answers with its own random nonce, so a stranger on a reused port
 * is never mistaken for ours, then the SOA of every zone. `stop()` kills that
 * child by pid.
 *
 * Authoritative servers never recurse; none answers with more than 1232 bytes
 * over UDP, and none talks to anything but the querier and (for unbound and
 * dnsmasq) the loopback upstream it is given. This module imports nothing
 * from `src/`.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { accessSync, constants, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  APT_PACKAGE, BINARY, ROLE, VERSION_FLAG, ZONES, launchOf, probeOf, type ServerKind, type ServerRole,
} from './server-configs.js';
import { spawnKept } from '../helpers/daemon.js';
import { probeQuery, tcpProbe, udpProbe } from './server-probe.js';

export { ZONES, ROLE, type ServerKind, type ServerRole } from './server-configs.js';

export interface RunningServer {
  readonly kind: ServerKind;
  readonly role: ServerRole;
  readonly address: '127.0.0.1';
  /** Present when the server also listens on ::1 (same port). */
  readonly address6?: '::1';
  readonly port: number;
  /** Upstream version, e.g. `9.18.49`, `3.2.6` or `2.90`. */
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
  /** The authoritative server a recursive resolver (unbound) or a forwarder (dnsmasq) asks; required for them. */
  readonly upstream?: RunningServer;
}

/** Where the zone files of {@link ZONES} are. */
export const ZONE_DIR = fileURLToPath(new URL('../fixtures/zones/', import.meta.url));

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

/** Upstream version of the installed daemon, e.g. `9.18.49` (dnsmasq: `2.90`). */
export function serverVersion(kind: ServerKind): string {
  const cached = versions.get(kind);
  if (cached !== undefined) return cached;
  const bin = serverBinary(kind);
  if (bin === undefined) throw new Error(missingServerMessage(kind));
  const run = spawnSync(bin, [VERSION_FLAG[kind]], { encoding: 'utf8' });
  const out = `${run.stdout}${run.stderr}`;
  const match = /(\d+\.\d+(?:\.\d+)?)/.exec(out);
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
      return await launch({ kind, bin, version, port, ipv6, deadline, upstream: opts.upstream });
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

/* ----------------------------------------------------------------- launch */

interface LaunchRequest {
  readonly kind: ServerKind; readonly bin: string; readonly version: string; readonly port: number;
  readonly ipv6: boolean; readonly deadline: number; readonly upstream: RunningServer | undefined;
}

/** Writes the run dir (config files and zones), for `kind` on `port`; returns the daemon's arguments. */
function prepare(req: LaunchRequest, dir: string, nonce: string): string[] {
  const upstream = req.upstream === undefined ? {} : { upstream: { address: req.upstream.address, port: req.upstream.port } };
  const { files, args } = launchOf(req.kind, { dir, port: req.port, ipv6: req.ipv6, nonce, ...upstream });
  if (ROLE[req.kind] === 'authoritative') for (const z of ZONES) copyFileSync(join(ZONE_DIR, z.file), join(dir, z.file));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return args;
}

async function launch(req: LaunchRequest): Promise<RunningServer> {
  const { kind, bin, version, port, ipv6, deadline } = req;
  const dir = mkdtempSync(join(tmpdir(), `sansdns-${kind}-`));
  const nonce = `sansdns-${randomBytes(8).toString('hex')}`;
  const args = prepare(req, dir, nonce);
  const started = performance.now();
  const { child, log, stop } = spawnKept(bin, args, { cwd: dir, removeDir: dir });
  try {
    await waitReady({ kind, port, ipv6, nonce, deadline }, () => child.exitCode !== null || child.signalCode !== null);
  } catch (err) {
    await stop();
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`${kind} on port ${port}: ${why}\n--- ${BINARY[kind]} output ---\n${log()}`);
  }
  const server: RunningServer = {
    kind, role: ROLE[kind], address: '127.0.0.1', port, version, label: `${kind} ${version}`, pid: child.pid ?? -1, dir,
    startupMs: Math.round(performance.now() - started), log, stop,
    ...(ipv6 ? { address6: '::1' as const } : {}),
  };
  return server;
}

/* -------------------------------------------------------------- readiness */

interface ReadyCheck { readonly kind: ServerKind; readonly port: number; readonly ipv6: boolean; readonly nonce: string; readonly deadline: number }

/**
 * Whether our instance answers on `host` over one transport: its nonce, then
 * the SOA of every zone (with AA from an authoritative server).
 */
async function probeOnce(check: ReadyCheck, host: string, tcp: boolean): Promise<boolean> {
  const exchange = tcp ? tcpProbe : udpProbe;
  const id = randomBytes(2).readUInt16BE(0);
  const probe = probeOf(check.kind);
  const who = await exchange(host, check.port, probeQuery(id, probe.name, 16, probe.klass), 100);
  if (who === undefined || who.ancount === 0 || !who.raw.includes(Buffer.from(check.nonce, 'ascii'))) {
    if (who !== undefined && who.ancount > 0) throw new Error(`another server answers on ${host}@${check.port}`);
    return false;
  }
  const authoritative = ROLE[check.kind] === 'authoritative';
  for (const z of ZONES) {
    const soa = await exchange(host, check.port, probeQuery((id + 1) & 0xffff, z.origin, 6, 1), 500);
    if (soa === undefined || soa.rcode !== 0 || (authoritative && !soa.aa) || soa.ancount !== 1) return false;
  }
  return true;
}

async function waitReady(check: ReadyCheck, hasExited: () => boolean): Promise<void> {
  const hosts = check.ipv6 ? ['127.0.0.1', '::1'] : ['127.0.0.1'];
  const pending = new Set(hosts.flatMap((h) => [`${h} udp`, `${h} tcp`]));
  while (pending.size > 0) {
    if (hasExited()) throw new Error('daemon exited during startup');
    if (Date.now() > check.deadline) throw new Error(`not ready in time (still waiting for ${[...pending].join(', ')})`);
    for (const key of [...pending]) {
      const [host, transport] = key.split(' ') as [string, string];
      if (await probeOnce(check, host, transport === 'tcp')) pending.delete(key);
    }
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 25));
  }
}
