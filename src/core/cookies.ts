/**
 * DNS cookies, client side (RFC 7873 §5.1 and §5.3; server cookies of
 * RFC 9018 are opaque to the client). Per server: an 8-byte client cookie
 * drawn from the random source when the server is first asked with EDNS,
 * and the server cookie (8–32 bytes) learned from its answers and sent back.
 *
 * A response to a query that carried a cookie is accepted only when its
 * COOKIE option echoes our client cookie; a response without the option is
 * accepted until the server has once sent a cookie, and dropped after that
 * (RFC 7873 §5.3: the client knows the server supports cookies). A forged
 * answer therefore needs the 64-bit client cookie as well as ID, port and
 * question. The cookie fields of `ServerState` (`clientCookie`,
 * `serverCookie`, `cookieSeen`) are changed here only.
 */
import { u16 } from './codec/bytes.js';
import type { ServerState } from './servers.js';
import type { RandomPool } from './random.js';

/** EDNS option code of COOKIE (RFC 7873 §4). */
export const COOKIE = 10;

/** Our client cookie for `server`, drawn from the random source the first time it is needed (RFC 7873 §5.1). */
export function clientCookie(server: ServerState, random: RandomPool): Uint8Array {
  return (server.clientCookie ??= random.bytes(8));
}

/**
 * A COOKIE option written into `data` after the OPT record that ends at
 * `end` (the last record, with no options yet; `data` has room for the
 * option): the client cookie, then the server cookie if known; the OPT
 * record's RDLENGTH counts it. How every attempt carries its cookie
 * (`attempt-wire.ts`, written in place, issue 13).
 */
export function putCookie(data: Uint8Array, end: number, client: Uint8Array, server: Uint8Array | undefined): void {
  const length = 8 + (server === undefined ? 0 : server.length);
  data[end - 1] = 4 + length; // OPT RDLENGTH (≤ 44): its high byte stays 0
  data[end] = COOKIE >>> 8;
  data[end + 1] = COOKIE & 0xff;
  data[end + 2] = 0;
  data[end + 3] = length;
  data.set(client, end + 4);
  if (server !== undefined) data.set(server, end + 12);
}

/**
 * `wire` (a query whose OPT record is last and has no options) with a
 * COOKIE option appended ({@link putCookie}). @returns a fresh array.
 */
export function withCookie(wire: Uint8Array, client: Uint8Array, server: Uint8Array | undefined): Uint8Array {
  const out = new Uint8Array(wire.length + 12 + (server === undefined ? 0 : server.length));
  out.set(wire);
  putCookie(out, wire.length, client, server);
  return out;
}

/**
 * Offset of the first COOKIE option in the OPT record whose TYPE field is
 * at `opt` in response `b` (-1 without an OPT record), or -1 without one:
 * read on the wire, as the walk left it (issue 13: no message is built).
 */
function cookieOption(b: Uint8Array, opt: number): number {
  if (opt < 0) return -1;
  const end = opt + 10 + u16(b, opt + 8);
  for (let o = opt + 10; o < end; o += 4 + u16(b, o + 2)) if (u16(b, o) === COOKIE) return o;
  return -1;
}

/** Whether `known` holds the `n` bytes of `b` from `at` (the server cookie sent again: kept, not copied again). */
function sameServerCookie(known: Uint8Array | undefined, b: Uint8Array, at: number, n: number): boolean {
  if (known === undefined || known.length !== n) return false;
  for (let i = 0; i < n; i++) if (known[i] !== b[at + i]) return false;
  return true;
}

/** A plain copy of `n` bytes of `b` from `at` (of a Buffer too: not a view of it). */
function copy(b: Uint8Array, at: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = b[at + i] as number;
  return out;
}

/**
 * Check the cookie of response `b` (a message the walk accepted, its OPT
 * record's TYPE field at `opt`, -1 without one: `walked.opt`) to a query
 * that sent `client`, and learn the server cookie from it. False means:
 * drop it (`bad-cookie`).
 */
export function checkCookie(server: ServerState, client: Uint8Array, b: Uint8Array, opt: number): boolean {
  const o = cookieOption(b, opt);
  if (o < 0) return !server.cookieSeen;
  const n = u16(b, o + 2);
  const d = o + 4;
  if (n < 16 || n > 40) return false;
  for (let i = 0; i < 8; i++) if (b[d + i] !== client[i]) return false;
  if (!sameServerCookie(server.serverCookie, b, d + 8, n - 8)) server.serverCookie = copy(b, d + 8, n - 8);
  server.cookieSeen = true;
  return true;
}
