/**
 * Server configuration: parsing what the caller writes into endpoints, and the
 * state the core keeps per server (smoothed RTT, EDNS support).
 *
 * Written forms: `192.0.2.1`, `192.0.2.1:5353`, `[2001:db8::1]:53` (UDP, TCP
 * after TC=1); `tls://192.0.2.1`, `tls://[2001:db8::1]:8853#dns.example`
 * (DNS over TLS, RFC 7858: port 853 by default, the name after `#` is the
 * authentication domain name of RFC 8310 §2, as systemd-resolved writes it);
 * `https://dns.example/dns-query` (DoH, RFC 8484); or objects.
 */
import { DnsError } from './errors.js';
import { normalizeIP } from './codec/ip.js';
import type { Endpoint, ServerInput } from './types.js';

/**
 * State kept per configured server. Each mutable field has one owner that
 * changes it: the RTT estimate `rto.ts`, `failures`, `misses`, `loss` and
 * `lastResponse` `selection.ts`, `noEdns`
 * the machine (`machine.ts`, on FORMERR/NOTIMP/BADVERS to EDNS), the 0x20
 * fields `case0x20.ts`, the cookie fields `cookies.ts`; a snapshot's restore
 * sets the RTT estimate and `noEdns` back (`snapshot.ts`).
 */
export interface ServerState {
  readonly index: number;
  readonly endpoint: Endpoint;
  /** The TCP endpoint used after TC=1 (same address and port); undefined for TLS and DoH (streams already). */
  readonly tcp: Endpoint | undefined;
  /** Smoothed RTT and its variance in ms (RFC 6298 §2); `NaN` before a sample (`rto.ts`). */
  srtt: number;
  rttvar: number;
  /** Set when the server answered FORMERR/NOTIMP/BADVERS to a query with EDNS. */
  noEdns: boolean;
  /** Timeouts and failures in a row (`selection.ts`); reset by an answer. */
  failures: number;
  /** Attempts sent after its last response and given up on (a run that the next response ends). */
  misses: number;
  /** Smoothed share of its attempts left unanswered within their window (0..1). */
  loss: number;
  /** When it last sent a response that matched an attempt (`-Infinity` before one). */
  lastResponse: number;
  /** Ask with 0x20 case randomisation (option `case0x20`). */
  case0x20: boolean;
  /** Set once the server was seen not to preserve case (`case0x20.ts`). */
  noCase: boolean;
  /** Answers with a case-insensitive match in the wrong case. */
  caseMisses: number;
  /** Our client cookie for this server, drawn when first needed (RFC 7873 §5.1). */
  clientCookie: Uint8Array | undefined;
  /** The server cookie last learned from it (RFC 7873 §5.3). */
  serverCookie: Uint8Array | undefined;
  /** Set once it sent a cookie: from then on an answer without one is dropped. */
  cookieSeen: boolean;
}

function bad(input: unknown, why: string): DnsError {
  return new DnsError('EBADSERVER', `bad server ${JSON.stringify(input)}: ${why}`);
}

function parsePort(text: string, input: unknown): number {
  if (!/^\d{1,5}$/.test(text)) throw bad(input, 'port is not a number');
  const port = Number(text);
  if (port < 1 || port > 65535) throw bad(input, 'port out of range 1..65535');
  return port;
}

function hostPort(text: string): { host: string; port: string | undefined } {
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    const rest = close < 0 ? '!' : text.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return { host: '', port: undefined };
    return { host: text.slice(1, close), port: rest === '' ? undefined : rest.slice(1) };
  }
  const colon = text.indexOf(':');
  if (colon >= 0 && text.indexOf(':', colon + 1) < 0) {
    return { host: text.slice(0, colon), port: text.slice(colon + 1) };
  }
  return { host: text, port: undefined };
}

/** A DoH server's endpoint. */
export type DohEndpoint = Extract<Endpoint, { transport: 'doh' }>;

function parseDohUrl(url: unknown, input: unknown): DohEndpoint {
  if (typeof url !== 'string' || !/^https?:\/\/[^/\s]+(\/\S*)?$/.test(url)) {
    throw bad(input, 'a DoH server is an http(s):// URL');
  }
  return { transport: 'doh', url };
}

/** The endpoint of a DoH server (`https://…`, `{ url, transport: 'doh' }`), or `undefined` for a server of another kind. */
function dohServer(input: unknown): DohEndpoint | undefined {
  if (typeof input === 'string') return /^https?:\/\//.test(input) ? parseDohUrl(input, input) : undefined;
  if (typeof input !== 'object' || input === null || !('url' in input)) return undefined;
  if ((input as { transport?: unknown }).transport !== 'doh') throw bad(input, "a server with a url has transport 'doh'");
  return parseDohUrl((input as { url: unknown }).url, input);
}

/** A host name as DNS writes it (RFC 1123 §2.1 labels, at most 253 characters), lower-cased. */
const SERVERNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

function parseServername(name: unknown, input: unknown): string {
  const text = typeof name === 'string' ? name.toLowerCase().replace(/\.$/, '') : '';
  if (!SERVERNAME.test(text)) throw bad(input, 'servername is not a host name');
  return text;
}

/** `tls://host[:port][#servername]` (RFC 7858; port 853 by default). */
function parseTls(text: string): Endpoint {
  const hash = text.indexOf('#');
  const { host, port } = hostPort(hash < 0 ? text.slice(6) : text.slice(6, hash));
  const address = normalizeIP(host);
  if (address === undefined) throw bad(text, 'not an IPv4 or IPv6 address');
  const servername = hash < 0 ? undefined : parseServername(text.slice(hash + 1), text);
  return { transport: 'tls', address, port: port === undefined ? 853 : parsePort(port, text), ...(servername && { servername }) };
}

function parseAddress(text: string): Endpoint {
  if (text.startsWith('tls://')) return parseTls(text);
  const { host, port } = hostPort(text);
  const address = normalizeIP(host);
  if (address === undefined) throw bad(text, 'not an IPv4 or IPv6 address');
  return { transport: 'udp', address, port: port === undefined ? 53 : parsePort(port, text) };
}

function parseAddressObject(input: { readonly address?: unknown; readonly port?: unknown; readonly transport?: unknown }): Endpoint {
  const transport = input.transport ?? 'udp';
  if (transport !== 'udp' && transport !== 'tcp' && transport !== 'tls') throw bad(input, `unknown transport ${String(transport)}`);
  const address = typeof input.address === 'string' ? normalizeIP(input.address) : undefined;
  if (address === undefined) throw bad(input, 'not an IPv4 or IPv6 address');
  const port = input.port ?? (transport === 'tls' ? 853 : 53);
  if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) throw bad(input, 'port out of range 1..65535');
  if (transport !== 'tls') return { transport, address, port: port as number };
  const name = 'servername' in input ? (input as { servername?: unknown }).servername : undefined;
  const servername = name === undefined ? undefined : parseServername(name, input);
  return { transport, address, port: port as number, ...(servername && { servername }) };
}

/**
 * Parse one server as the caller wrote it: a DoH URL, `address[:port]`
 * (`[v6]:port`), `tls://address[:port][#servername]`, or an object. Throws `EBADSERVER`.
 */
export function parseServer(input: ServerInput): Endpoint {
  const doh = dohServer(input);
  if (doh !== undefined) return doh;
  if (typeof input === 'string') return parseAddress(input);
  if (typeof input === 'object' && input !== null) return parseAddressObject(input);
  throw bad(input, 'expected a string or an object');
}

/**
 * Parse one DoH server; any other kind throws `EBADSERVER`. The servers of a
 * core without the udp policy (`policies.ts`), and of a DoH resolver.
 */
export function parseDohServer(input: ServerInput): DohEndpoint {
  const doh = dohServer(input);
  if (doh === undefined) throw bad(input, 'a DoH resolver only speaks to http(s):// URLs');
  return doh;
}

/** True for a well-formed {@link Endpoint} (its shape, not its address): what a driver or a snapshot hands back. */
export function isEndpoint(p: unknown): p is Endpoint {
  const e = p as Record<string, unknown> | null;
  if (typeof e !== 'object' || e === null) return false;
  if (e.transport === 'doh') return typeof e.url === 'string';
  return (e.transport === 'udp' || e.transport === 'tcp' || e.transport === 'tls') && typeof e.address === 'string' && typeof e.port === 'number';
}

/**
 * A stable key of an endpoint, used to find the server a datagram came from:
 * `udp 192.0.2.1 53`, `tls 192.0.2.1 853 dns.example`, `doh https://…`.
 */
export function endpointKey(peer: Endpoint): string {
  if (peer.transport === 'doh') return `doh ${peer.url}`;
  const key = `${peer.transport} ${peer.address} ${peer.port}`;
  return peer.transport === 'tls' && peer.servername !== undefined ? `${key} ${peer.servername}` : key;
}

/**
 * An endpoint as a person writes it, and as {@link parseServer} reads it back
 * (for UDP; the transport is not in it): `192.0.2.1:53`, `[2001:db8::1]:53`,
 * or the DoH URL.
 */
export function endpointText(e: Endpoint): string {
  if (e.transport === 'doh') return e.url;
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

/** Build server states, each parsed with `parse`; throws `EBADSERVER` on an empty list or a bad entry. */
export function makeServers(inputs: readonly ServerInput[], parse: (input: ServerInput) => Endpoint): ServerState[] {
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new DnsError('EBADSERVER', 'at least one server is required');
  }
  return inputs.map((input, index) => {
    const endpoint = parse(input);
    const tcp: Endpoint | undefined =
      endpoint.transport === 'udp' ? { transport: 'tcp', address: endpoint.address, port: endpoint.port } : undefined;
    return {
      index, endpoint, tcp, srtt: NaN, rttvar: 0, noEdns: false, failures: 0, misses: 0, loss: 0, lastResponse: -Infinity,
      case0x20: false, noCase: false, caseMisses: 0,
      clientCookie: undefined, serverCookie: undefined, cookieSeen: false,
    };
  });
}
