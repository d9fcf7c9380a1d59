/**
 * Real DNS-over-TLS and DoH servers on loopback for the transport interop
 * tests: dnsdist (DoT, and DoH over HTTP/2 and HTTP/1.1) and unbound (DoT,
 * and DoH over HTTP/2 only), each with a certificate made for the test and
 * forwarding only to the loopback authoritative server it is given (Knot or
 * BIND from `servers.ts`).
 *
 * Neither can reach anything else: dnsdist only forwards to its configured
 * backends and its security polling is off; unbound runs with one forward
 * zone for `.` (`forward-first: no`, so it never iterates), no trust anchor
 * (no RFC 5011 probes), `test.` taken out of its locally served zones, and
 * no IPv6. `stop()` kills the child by pid. This module imports nothing
 * from `src/`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import tls from 'node:tls';
import { accessSync, constants } from 'node:fs';
import type { TestCert } from '../helpers/secure-servers.js';

export type DaemonKind = 'dnsdist' | 'unbound';

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

const BINARY: Record<DaemonKind, string> = { dnsdist: 'dnsdist', unbound: 'unbound' };

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
  return `${BINARY[kind]} not found (install the Debian package "${kind}", scripts/install-system-deps.sh); skipping its interop tests`;
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

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Spawn `bin args` in `dir`; its output kept, `stop()` kills it by pid and removes `dir`. */
function launch(bin: string, args: string[], dir: string): { child: ChildProcess; log(): string; stop(): Promise<void> } {
  const child = spawn(bin, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let output = '';
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-65_536);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    live.delete(child);
    resolve();
  }));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { child, log: () => output, stop };
}

/** Start `kind` forwarding to 127.0.0.1:`backend`, serving DoT and DoH with `cert`; resolves once it answers over DoT. */
export async function startDaemon(kind: DaemonKind, cert: TestCert, backend: number, timeoutMs = 15_000): Promise<SecureDaemon> {
  const bin = daemonBinary(kind);
  if (bin === undefined) throw new Error(missingDaemonMessage(kind));
  const dir = mkdtempSync(join(tmpdir(), `transports-${kind}-`));
  writeFileSync(join(dir, 'cert.pem'), cert.cert);
  writeFileSync(join(dir, 'key.pem'), cert.key);
  const [dot, doh, plain] = [await freePort(), await freePort(), await freePort()];
  const conf = join(dir, `${kind}.conf`);
  writeFileSync(conf, kind === 'dnsdist' ? dnsdistConfig(dir, dot, doh, backend, plain) : unboundConfig(dir, dot, doh, backend, plain));
  const args = kind === 'dnsdist' ? ['--supervised', '--disable-syslog', '-C', conf] : ['-d', '-c', conf];
  const { child, log, stop } = launch(bin, args, dir);
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
