/**
 * Server configuration: parsing what the caller writes into endpoints, and the
 * state the core keeps per server (smoothed RTT, EDNS support).
 */
import { DnsError } from './errors.js';
import { normalizeIP } from './address.js';
import type { Endpoint, ServerInput } from './types.js';

/** State kept per configured server. */
export interface ServerState {
  readonly index: number;
  readonly endpoint: Endpoint;
  /** The TCP endpoint used after TC=1 (same address and port); undefined for DoH. */
  readonly tcp: Endpoint | undefined;
  /** Smoothed RTT and its variance in ms (RFC 6298 §2); undefined before a sample. */
  srtt: number | undefined;
  rttvar: number;
  /** Set when the server answered FORMERR/NOTIMP/BADVERS to a query with EDNS. */
  noEdns: boolean;
  /** Timeouts and failures in a row (`selection.ts`); reset by an answer. */
  failures: number;
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

function parseDohUrl(url: unknown, input: unknown): Endpoint {
  if (typeof url !== 'string' || !/^https?:\/\/[^/\s]+(\/\S*)?$/.test(url)) {
    throw bad(input, 'a DoH server is an http(s):// URL');
  }
  return { transport: 'doh', url };
}

function parseString(text: string): Endpoint {
  if (/^https?:\/\//.test(text)) return parseDohUrl(text, text);
  const { host, port } = hostPort(text);
  const address = normalizeIP(host);
  if (address === undefined) throw bad(text, 'not an IPv4 or IPv6 address');
  return { transport: 'udp', address, port: port === undefined ? 53 : parsePort(port, text) };
}

function parseObject(input: ServerInput & object): Endpoint {
  if ('url' in input) {
    if (input.transport !== 'doh') throw bad(input, "a server with a url has transport 'doh'");
    return parseDohUrl(input.url, input);
  }
  const transport = input.transport ?? 'udp';
  if (transport !== 'udp' && transport !== 'tcp') throw bad(input, `unknown transport ${String(transport)}`);
  const address = typeof input.address === 'string' ? normalizeIP(input.address) : undefined;
  if (address === undefined) throw bad(input, 'not an IPv4 or IPv6 address');
  const port = input.port ?? 53;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad(input, 'port out of range 1..65535');
  return { transport, address, port };
}

/** Parse one server as the caller wrote it. Throws `EBADSERVER`. */
export function parseServer(input: ServerInput): Endpoint {
  if (typeof input === 'string') return parseString(input);
  if (typeof input === 'object' && input !== null) return parseObject(input);
  throw bad(input, 'expected a string or an object');
}

/** A stable key of an endpoint, used to find the server a datagram came from: `udp 192.0.2.1 53`, `doh https://…`. */
export function endpointKey(peer: Endpoint): string {
  return peer.transport === 'doh' ? `doh ${peer.url}` : `${peer.transport} ${peer.address} ${peer.port}`;
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

/** Build server states; throws `EBADSERVER` on an empty list or a bad entry. */
export function makeServers(inputs: readonly ServerInput[]): ServerState[] {
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new DnsError('EBADSERVER', 'at least one server is required');
  }
  return inputs.map((input, index) => {
    const endpoint = parseServer(input);
    const tcp: Endpoint | undefined =
      endpoint.transport === 'udp' ? { transport: 'tcp', address: endpoint.address, port: endpoint.port } : undefined;
    return {
      index, endpoint, tcp, srtt: undefined, rttvar: 0, noEdns: false, failures: 0, case0x20: false, noCase: false, caseMisses: 0,
      clientCookie: undefined, serverCookie: undefined, cookieSeen: false,
    };
  });
}
