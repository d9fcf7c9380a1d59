/**
 * Tests never leave loopback (issue 10), checked in every test process.
 *
 * CI runs the suite inside a network namespace with only `lo`, so nothing can
 * leak there whatever a test does. A developer's plain `npm test` runs on the
 * host's network, so this setup file wraps every way a test process can reach
 * the network (dgram sends and connects, TCP/TLS connects, which `http`,
 * `http2`, `fetch` and undici all go through, and the lookups and resolvers of
 * `node:dns`) and throws a loud error for any address that is not loopback,
 * before a packet is sent. A test that wants to see a socket error uses a
 * closed loopback port, not an outside address.
 *
 * Child processes (servers, Chromium, the spawned CLI) are not covered here:
 * they get their addresses from the test, and the namespace covers them in CI.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import { syncBuiltinESMExports } from 'node:module';

/** Whether `host` is a loopback address (or a name that can only mean one). */
export function isLoopback(host: unknown): boolean {
  // Not a host name at all (undefined, null, a number, an object): Node either
  // rejects it as an argument or means localhost by it; nothing leaves the host.
  // Nor does an empty one: `lookup('')` answers at once without a lookup.
  if (typeof host !== 'string' || host === '') return true;
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  // Binding to the wildcard is fine; sending to it reaches this host only.
  return h === '0.0.0.0' || h === '::';
}

/** The error a test gets for reaching past loopback. */
export class OffLoopbackError extends Error {
  override readonly name = 'OffLoopbackError';
  constructor(what: string, host: unknown) {
    super(`test tried to reach ${String(host)} (${what}): tests talk only to servers they start on loopback`);
  }
}

function guard(what: string, host: unknown): void {
  if (!isLoopback(host)) throw new OffLoopbackError(what, host);
}

type Fn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

function wrap<T extends object>(target: T, key: keyof T & string, check: (self: any, args: any[]) => void): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  const original = target[key] as unknown as Fn;
  if (typeof original !== 'function' || (original as { __loopbackOnly?: true }).__loopbackOnly) return;
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    check(this, args);
    return original.apply(this, args);
  };
  Object.defineProperty(wrapped, '__loopbackOnly', { value: true });
  (target as Record<string, unknown>)[key] = wrapped;
}

// dgram: send(msg, [offset, length,] port, address, cb) and connect(port, address, cb).
wrap(dgram.Socket.prototype, 'send', (_self, args) => {
  const address = args.find((a, i) => i > 0 && typeof a === 'string');
  guard('dgram send', address);
});
wrap(dgram.Socket.prototype, 'connect', (_self, args) => guard('dgram connect', typeof args[1] === 'string' ? args[1] : undefined));

// net/tls/http/http2/fetch: every stream connection goes through net.Socket#connect.
wrap(net.Socket.prototype, 'connect', (_self, args) => {
  const first = args[0] as unknown;
  const opts = Array.isArray(first) ? first[0] : first;
  if (typeof opts === 'object' && opts !== null) {
    const o = opts as { path?: unknown; host?: unknown };
    if (o.path !== undefined) return; // a Unix socket stays on this host
    guard('connect', o.host);
  } else if (typeof opts === 'number' || typeof opts === 'string') {
    if (typeof opts === 'string' && Number.isNaN(Number(opts))) return; // connect(path)
    guard('connect', typeof args[1] === 'string' ? args[1] : undefined);
  }
});

// node:dns: lookups of names other than loopback ones, and resolvers whose servers are not all loopback.
wrap(dns, 'lookup', (_self, args) => { if (typeof args[0] === 'string') guard('dns.lookup', args[0]); });
wrap(dns.promises, 'lookup', (_self, args) => { if (typeof args[0] === 'string') guard('dns.promises.lookup', args[0]); });
const RESOLVE = ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx', 'resolveNaptr',
  'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse'] as const;
/** The host of a `getServers()` entry: `1.2.3.4`, `1.2.3.4:53`, `::1` or `[::1]:53`. */
export function serverHost(server: string): string {
  if (server.startsWith('[')) return server.slice(1, server.indexOf(']'));
  return server.split(':').length === 2 ? server.split(':')[0]! : server;
}
const checkServers = (what: string, servers: readonly string[]): void => {
  for (const s of servers) guard(what, serverHost(s));
};
// A call whose name is not a string never reaches the network (Node throws ERR_INVALID_ARG_TYPE first).
for (const name of RESOLVE) {
  const ofInstance = (what: string) => (self: { getServers(): string[] }, args: unknown[]): void => {
    if (typeof args[0] === 'string') checkServers(what, self.getServers());
  };
  wrap(dns.Resolver.prototype, name, ofInstance(`dns.Resolver#${name}`));
  wrap(dns.promises.Resolver.prototype, name, ofInstance(`dns.promises.Resolver#${name}`));
  // The module-level functions use the default resolver, whose servers come from /etc/resolv.conf.
  wrap(dns, name, (_self, args) => { if (typeof args[0] === 'string') checkServers(`dns.${name}`, dns.getServers()); });
  wrap(dns.promises, name, (_self, args) => { if (typeof args[0] === 'string') checkServers(`dns.promises.${name}`, dns.getServers()); });
}
syncBuiltinESMExports();
