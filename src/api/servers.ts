/**
 * Server lists as Node's `setServers`/`getServers` write them: `1.2.3.4`,
 * `1.2.3.4:5353`, `::1`, `[::1]`, `[::1]:5353`; port 53 is left out on the
 * way back, and a server given twice is kept once. `tcp://host:port` names a
 * TCP-only server, `tls://host[:853][#name]` a DNS-over-TLS one and
 * `https://…` a DoH one (the core's syntax, see `core/servers.ts`). Objects
 * (`{ address, port, transport: 'tcp' }`) are accepted too.
 * And the name `reverse()` asks for an address.
 */
import { ipv6Groups, isIPv4, normalizeIP } from '../core/codec/ip.js';
import type { Endpoint, ServerInput } from '../core/types.js';
import { argError } from './errors.js';
import { validateArray, validateString } from './node-args.js';
import { ntop6 } from './node-text.js';

const BRACKETED = /^\[([^[\]]*)\]/;
const ADDR_PORT = /(^.+?)(?::(\d+))?$/;

function invalid(text: string): Error {
  return argError('ERR_INVALID_IP_ADDRESS', `Invalid IP address: ${text}`);
}

/** An address as Node's `isIP` takes it (an IPv6 zone `%lo` allowed, and dropped), normalised; or `undefined`. */
function ipOf(text: string): string | undefined {
  const percent = text.indexOf('%');
  const bare = percent > 0 && text.includes(':') ? text.slice(0, percent) : text;
  return normalizeIP(bare);
}

/** A port as c-ares keeps it: `parseInt`'s value in 16 bits; 0 (or none) is 53. */
const portOf = (digits: number): number => (digits & 0xffff) || 53;

/**
 * One server string in Node's syntax to a core server, read as Node's
 * `setServers` reads it (lib/internal/dns/utils.js): an address; `[address]`
 * with an optional `:port` (a port that is not digits is 53); `address:port`.
 * Throws `ERR_INVALID_IP_ADDRESS` like Node. `tcp://`, `tls://` and
 * `https://` (beyond Node) name a TCP-only, a DNS-over-TLS and a DoH server;
 * the last two go to the core as written.
 */
export function serverFromNode(input: string | ServerInput): ServerInput {
  if (typeof input !== 'string') return input;
  if (/^(tls|https?):\/\//.test(input)) return input;
  if (input.startsWith('tcp://')) return { ...(serverFromNode(input.slice(6)) as object), transport: 'tcp' } as ServerInput;
  const plain = ipOf(input);
  if (plain !== undefined) return { address: plain, port: 53 };
  const bracketed = BRACKETED.exec(input);
  const inner = bracketed === null ? undefined : ipOf(bracketed[1] as string);
  if (inner !== undefined) return { address: inner, port: portOf(parseInt(input.replace(ADDR_PORT, '$2'), 10) || 53) };
  const split = ADDR_PORT.exec(input);
  const host = split === null ? undefined : ipOf(split[1] as string);
  if (split === null || host === undefined) throw invalid(input);
  return { address: host, port: portOf(split[2] === undefined ? 53 : parseInt(split[2], 10)) };
}

/** Identity of a server in a list (c-ares keeps each once). */
function serverKey(s: ServerInput): string {
  if (typeof s === 'string') return s;
  return 'url' in s ? `doh ${s.url}` : `${s.transport ?? 'udp'} ${s.address} ${s.port ?? 53}`;
}

/**
 * Validate a `setServers` argument like Node (holes skipped, as its
 * `forEach` skips them), convert it, and keep each server once.
 */
export function serversFromNode(servers: unknown): ServerInput[] {
  validateArray(servers, 'servers');
  const out: ServerInput[] = [];
  const seen = new Set<string>();
  servers.forEach((s: unknown, i) => {
    if (typeof s !== 'object' || s === null) validateString(s, `servers[${i}]`);
    const server = serverFromNode(s as string | ServerInput);
    const key = serverKey(server);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(server);
  });
  return out;
}

/**
 * The reverse-lookup name of an address: `in-addr.arpa` for IPv4
 * (RFC 1035 §3.5), nibbles under `ip6.arpa` for IPv6 (RFC 3596 §2.5);
 * `undefined` when it is not an address.
 */
export function reverseName(ip: string): string | undefined {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const groups = ipv6Groups(ip);
  if (groups === undefined) return undefined;
  const nibbles = groups.flatMap((g) => [g >> 12, (g >> 8) & 15, (g >> 4) & 15, g & 15]);
  return `${nibbles.reverse().map((n) => n.toString(16)).join('.')}.ip6.arpa`;
}

/** A core endpoint as Node's `getServers` writes it (IPv6 as `inet_ntop`; TCP, TLS and DoH servers get a scheme). */
export function serverToNode(e: Endpoint): string {
  if (e.transport === 'doh') return e.url;
  const address = ntop6(e.address);
  const host = address.includes(':') ? `[${address}]` : address;
  if (e.transport === 'tls') return `tls://${host}:${e.port}${e.servername === undefined ? '' : `#${e.servername}`}`;
  const text = e.port === 53 ? address : `${host}:${e.port}`;
  return e.transport === 'tcp' ? `tcp://${host}:${e.port}` : text;
}
