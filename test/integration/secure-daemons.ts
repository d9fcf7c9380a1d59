/**
 * Real DNS-over-TLS and DoH servers on loopback for the transport interop
 * tests: dnsdist (DoT, and DoH over HTTP/2 and HTTP/1.1), unbound and
 * knot-resolver's kresd (DoT, and DoH over HTTP/2 only), each with a
 * certificate made for the test and forwarding only to the loopback
 * authoritative server it is given (Knot or BIND from `servers.ts`).
 *
 * None can reach anything else: dnsdist only forwards to its configured
 * backends and its security polling is off; unbound runs with one forward
 * zone for `.` (`forward-first: no`, so it never iterates), no trust anchor
 * (no RFC 5011 probes), `test.` taken out of its locally served zones, and
 * no IPv6; kresd forwards every query by policy, with no trust anchor, none
 * of its probing modules, loopback root hints, no IPv6, and outgoing queries
 * from 127.0.0.1 (see `kresdConfig`). `stop()` kills the child by pid. This
 * module imports nothing from `src/`.
 */
import { accessSync, constants, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import tls from 'node:tls';
import { spawnKept } from '../helpers/daemon.js';
import type { TestCert } from '../helpers/secure-servers.js';

export type DaemonKind = 'dnsdist' | 'unbound' | 'kresd';

export interface SecureDaemon {
  readonly kind: DaemonKind;
  readonly dotPort: number;
  readonly dohPort: number;
  readonly dohUrl: string;
  /** Plain DNS (UDP and TCP) on the same address. */
  readonly plainPort: number;
  readonly pid: number;
  log(): string;
  stop(): Promise<void>;
}

const BINARY: Record<DaemonKind, string> = { dnsdist: 'dnsdist', unbound: 'unbound', kresd: 'kresd' };
const PACKAGE: Record<DaemonKind, string> = { dnsdist: 'dnsdist', unbound: 'unbound', kresd: 'knot-resolver' };

/** Absolute path of the daemon, searching PATH and the sbin dirs. */
export function daemonBinary(kind: DaemonKind): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, BINARY[kind]), constants.X_OK);
      return join(dir, BINARY[kind]);
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** Why a daemon is unavailable, naming the Debian package. */
export function missingDaemonMessage(kind: DaemonKind): string {
  return `${BINARY[kind]} not found (install the Debian package "${PACKAGE[kind]}", scripts/install-system-deps.sh); skipping its interop tests`;
}

/** A TCP port free on 127.0.0.1 at the time of asking (the kernel's choice). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function dnsdistConfig(dir: string, dot: number, doh: number, backend: number, plain: number): string {
  return `setSecurityPollSuffix('')
setLocal('127.0.0.1:${plain}')
addTLSLocal('127.0.0.1:${dot}', '${join(dir, 'cert.pem')}', '${join(dir, 'key.pem')}', { provider = 'openssl' })
addDOHLocal('127.0.0.1:${doh}', '${join(dir, 'cert.pem')}', '${join(dir, 'key.pem')}', '/dns-query')
newServer({ address = '127.0.0.1:${backend}', checkName = 'example.test.', checkInterval = 1 })
`;
}

function unboundConfig(dir: string, dot: number, doh: number, backend: number, plain: number): string {
  return `server:
  interface: 127.0.0.1@${plain}
  interface: 127.0.0.1@${dot}
  interface: 127.0.0.1@${doh}
  tls-port: ${dot}
  https-port: ${doh}
  tls-service-key: "${join(dir, 'key.pem')}"
  tls-service-pem: "${join(dir, 'cert.pem')}"
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "${dir}"
  pidfile: "${join(dir, 'unbound.pid')}"
  do-not-query-localhost: no
  access-control: 127.0.0.0/8 allow
  use-syslog: no
  logfile: ""
  verbosity: 1
  module-config: "iterator"
  do-ip6: no
  local-zone: "test." nodefault
  local-zone: "invalid." nodefault
forward-zone:
  name: "."
  forward-addr: 127.0.0.1@${backend}
  forward-first: no
remote-control:
  control-enable: no
`;
}

/**
 * knot-resolver 5.6: every query forwarded to the backend (`policy.all`
 * runs before the cache and iterator, so kresd never iterates); the modules
 * its sandbox loads that probe or fetch (RFC 5011 trust anchor updates, the
 * RFC 8145 key tag signal, root priming, the time-skew check, the RFC 8509
 * sentinel) unloaded and the root trust anchor removed (no validation, no
 * bootstrap over HTTPS); root hints replaced by 127.0.0.1 so the real ones
 * are never loaded; no IPv6, and outgoing queries sent from 127.0.0.1.
 * Cache and control socket live in `dir`.
 */
function kresdConfig(dir: string, dot: number, doh: number, backend: number, plain: number): string {
  return `log_target('stderr')
for _, m in ipairs({ 'ta_update', 'ta_signal_query', 'priming', 'detect_time_skew', 'detect_time_jump', 'ta_sentinel', 'watchdog' }) do
  modules.unload(m)
end
trust_anchors.remove('.')
modules.load('hints')
hints.root({ ['root.invalid.'] = '127.0.0.1' })
net.ipv6 = false
net.outgoing_v4('127.0.0.1')
net.tls('${join(dir, 'cert.pem')}', '${join(dir, 'key.pem')}')
net.listen('127.0.0.1', ${plain}, { kind = 'dns' })
net.listen('127.0.0.1', ${dot}, { kind = 'tls' })
net.listen('127.0.0.1', ${doh}, { kind = 'doh2' })
cache.open(10 * MB, 'lmdb://${join(dir, 'cache')}')
policy.add(policy.all(policy.FORWARD('127.0.0.1@${backend}')))
`;
}

/** `example.test SOA` over DNS over TLS; true on an answer with one record. */
function dotProbe(port: number, ca: Buffer): Promise<boolean> {
  const q = Buffer.from('000001000001000000000000076578616d706c6504746573740000060001', 'hex');
  q.writeUInt16BE(0x1234, 0);
  return new Promise((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port, ca, servername: 'dns.test' });
    const done = (ok: boolean): void => {
      clearTimeout(t);
      s.destroy();
      resolve(ok);
    };
    const t = setTimeout(() => done(false), 500);
    s.on('error', () => done(false));
    let buf = Buffer.alloc(0);
    s.on('secureConnect', () => s.write(Buffer.concat([Buffer.from([0, q.length]), q])));
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 + 12 && buf.length >= 2 + buf.readUInt16BE(0)) done((buf[5]! & 0x0f) === 0 && buf.readUInt16BE(8) === 1);
    });
  });
}

const CONFIG: Record<DaemonKind, (dir: string, dot: number, doh: number, backend: number, plain: number) => string> = {
  dnsdist: dnsdistConfig,
  unbound: unboundConfig,
  kresd: kresdConfig,
};

/**
 * Start `kind` forwarding to 127.0.0.1:`backend`, serving DoT and DoH with `cert`; resolves once it answers over DoT.
 * The ports are found free and then handed over, so another test may take one in between: a daemon that exits
 * with "Address already in use" is started again on fresh ports (three times at most).
 */
export async function startDaemon(kind: DaemonKind, cert: TestCert, backend: number, timeoutMs = 15_000): Promise<SecureDaemon> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(kind, cert, backend, timeoutMs);
    } catch (error) {
      if (attempt >= 3 || !/address already in use|EADDRINUSE/i.test((error as Error).message)) throw error;
    }
  }
}

async function startOnce(kind: DaemonKind, cert: TestCert, backend: number, timeoutMs: number): Promise<SecureDaemon> {
  const bin = daemonBinary(kind);
  if (bin === undefined) throw new Error(missingDaemonMessage(kind));
  const dir = mkdtempSync(join(tmpdir(), `transports-${kind}-`));
  writeFileSync(join(dir, 'cert.pem'), cert.cert);
  writeFileSync(join(dir, 'key.pem'), cert.key);
  const [dot, doh, plain] = [await freePort(), await freePort(), await freePort()];
  const conf = join(dir, `${kind}.conf`);
  writeFileSync(conf, CONFIG[kind](dir, dot, doh, backend, plain));
  const args = { dnsdist: ['--supervised', '--disable-syslog', '-C', conf], unbound: ['-d', '-c', conf], kresd: ['-n', '-c', conf, dir] }[kind];
  const { child, log, stop } = spawnKept(bin, args, { cwd: dir, removeDir: dir });
  const deadline = Date.now() + timeoutMs;
  while (!(await dotProbe(dot, cert.cert))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`${kind} did not answer over DoT on ${dot}\n--- output ---\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { kind, dotPort: dot, dohPort: doh, dohUrl: `https://127.0.0.1:${doh}/dns-query`, plainPort: plain, pid: child.pid ?? -1, log, stop };
}
