/**
 * Server lists as Node's `setServers`/`getServers` write them: `1.2.3.4`,
 * `1.2.3.4:5353`, `::1`, `[::1]`, `[::1]:5353`; port 53 is left out on the
 * way back. `tcp://host:port` names a TCP-only server. Objects (`{ address, port, transport: 'tcp' }`) are accepted too.
 * And the name `reverse()` asks for an address.
 */
import { isIPv4, normalizeIP, parseIPv6 } from '../core/address.js';
import type { Endpoint, ServerInput } from '../core/types.js';
import { argError } from './errors.js';

const BRACKETED = /^\[([^[\]]*)\](?::(\d+))?$/;
const HOST_PORT = /^(.+?)(?::(\d+))?$/;

function invalid(text: string): Error {
  return argError('ERR_INVALID_IP_ADDRESS', `Invalid IP address: ${text}`);
}

/** One server string in Node's syntax to a core server. Throws `ERR_INVALID_IP_ADDRESS` like Node. */
export function serverFromNode(input: string | ServerInput): ServerInput {
  if (typeof input !== 'string') return input;
  if (input.startsWith('tcp://')) return { ...(serverFromNode(input.slice(6)) as object), transport: 'tcp' } as ServerInput;
  if (normalizeIP(input) !== undefined) return { address: input, port: 53 };
  const bracketed = BRACKETED.exec(input);
  const m = bracketed ?? HOST_PORT.exec(input);
  const host = m?.[1];
  if (host === undefined || normalizeIP(host) === undefined || (bracketed === null && host.includes(':'))) throw invalid(input);
  const port = m?.[2] === undefined ? 53 : Number(m[2]) || 53;
  if (port > 65535) throw invalid(input);
  return { address: host, port };
}

/** Validate a `setServers` argument like Node, and convert it. */
export function serversFromNode(servers: unknown): ServerInput[] {
  if (!Array.isArray(servers)) {
    throw argError('ERR_INVALID_ARG_TYPE', 'The "servers" argument must be an instance of Array.');
  }
  return servers.map((s: unknown, i) => {
    if (typeof s !== 'string' && (typeof s !== 'object' || s === null)) {
      throw argError('ERR_INVALID_ARG_TYPE', `The "servers[${i}]" argument must be of type string.`);
    }
    return serverFromNode(s as string | ServerInput);
  });
}

/**
 * The reverse-lookup name of an address: `in-addr.arpa` for IPv4
 * (RFC 1035 §3.5), nibbles under `ip6.arpa` for IPv6 (RFC 3596 §2.5);
 * `undefined` when it is not an address.
 */
export function reverseName(ip: string): string | undefined {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const groups = parseIPv6(ip);
  if (groups === undefined) return undefined;
  const nibbles = groups.flatMap((g) => [g >> 12, (g >> 8) & 15, (g >> 4) & 15, g & 15]);
  return `${nibbles.reverse().map((n) => n.toString(16)).join('.')}.ip6.arpa`;
}

/** A core endpoint as Node's `getServers` writes it (TCP and DoH servers get a scheme). */
export function serverToNode(e: Endpoint): string {
  if (e.transport === 'doh') return e.url;
  const host = e.address.includes(':') ? `[${e.address}]` : e.address;
  const text = e.port === 53 ? e.address : `${host}:${e.port}`;
  return e.transport === 'tcp' ? `tcp://${host}:${e.port}` : text;
}
