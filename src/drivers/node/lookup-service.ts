/**
 * `dns.lookupService(address, port, callback)` as getnameinfo(3) with
 * `NI_NAMEREQD` answers it for Node: the host name of the address from the
 * hosts file (its first name there), else from DNS (the first PTR name, over
 * the default resolver's servers), else `ENOTFOUND`; the service name of the
 * port from `/etc/services` (its TCP entry), else the port as digits.
 */
import { readFileSync, statSync } from 'node:fs';
import { lookupError } from '../../api/errors.js';
import { missingArgs, invalidArgValue, validateFunction, validatePort } from '../../api/node-args.js';
import { normalizeIP } from '../../core/codec/ip.js';
import type { HostsTable } from '../../core/hosts.js';

/** Service names by TCP port, from services(5) text: `name port/proto [aliases]`, `#` comments. */
export function parseServices(text: string): Map<number, string> {
  const byPort = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, spec] = line.replace(/#.*/, '').trim().split(/\s+/);
    const m = spec === undefined ? null : /^(\d+)\/tcp$/.exec(spec);
    if (name === undefined || m === null) continue;
    const port = Number(m[1]);
    if (!byPort.has(port)) byPort.set(port, name);
  }
  return byPort;
}

/** `/etc/services`, read again when it changes; empty when it cannot be read. */
export class ServicesFile {
  private table = new Map<number, string>();
  private mtime = -1;
  constructor(readonly path = '/etc/services') {}

  /** The service name of a TCP port, or its digits. */
  name(port: number): string {
    try {
      const mtime = statSync(this.path).mtimeMs;
      if (mtime !== this.mtime) {
        this.table = parseServices(readFileSync(this.path, 'utf8'));
        this.mtime = mtime;
      }
    } catch {
      this.table = new Map();
      this.mtime = -1;
    }
    return this.table.get(port) ?? String(port);
  }
}

/** The first name the hosts table gives `address` (the table keeps the file's order), if any. */
export function hostsName(hosts: HostsTable, address: string): string | undefined {
  for (const [name, addresses] of hosts) {
    if (addresses.some((a) => normalizeIP(a.address) === address)) return name;
  }
  return undefined;
}

/** Names of `address` in the hosts table after its first (c-ares's aliases: what Node's `reverse` gives from the file). */
export function hostsAliases(hosts: HostsTable, address: string): string[] | undefined {
  const names: string[] = [];
  for (const [name, addresses] of hosts) {
    if (addresses.some((a) => normalizeIP(a.address) === address)) names.push(name);
  }
  return names.length === 0 ? undefined : names.slice(1);
}

/**
 * Checks Node's arguments of `lookupService(address, port, callback)` (or
 * of the promise form's `(address, port)`);
 * returns the port as a number.
 */
export function lookupServiceArgs(form: 'callback' | 'promise', argc: number, address: unknown, port: unknown, callback?: unknown): number {
  const promise = form === 'promise';
  if (argc !== (promise ? 2 : 3)) throw promise ? missingArgs('address', 'port') : missingArgs('address', 'port', 'callback');
  if (typeof address !== 'string' || normalizeIP(address) === undefined) throw invalidArgValue('address', address);
  const n = validatePort(port);
  if (!promise) validateFunction(callback, 'callback');
  return n;
}

/** The host name and service of `address`:`port` (see above); rejects `ENOTFOUND` (syscall `getnameinfo`). */
export async function lookupService(
  resolver: { reverse(ip: string): Promise<string[]> }, hosts: HostsTable, services: ServicesFile, address: string, port: number,
): Promise<{ hostname: string; service: string }> {
  const service = services.name(port);
  const normal = normalizeIP(address) ?? address;
  const fromHosts = hostsName(hosts, normal);
  if (fromHosts !== undefined) return { hostname: fromHosts, service };
  try {
    const [first] = await resolver.reverse(address);
    if (first !== undefined) return { hostname: first, service };
  } catch (cause) {
    throw lookupServiceError(address, cause);
  }
  throw lookupServiceError(address);
}

function lookupServiceError(address: string, cause?: unknown): Error {
  const error = lookupError('ENOTFOUND', address, cause);
  error.syscall = 'getnameinfo';
  error.message = `getnameinfo ENOTFOUND ${address}`;
  return error;
}
