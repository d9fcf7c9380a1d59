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
import type { ServerState } from './servers.js';
import type { EdnsOption, Message } from './codec/types.js';
import type { RandomPool } from './random.js';

/** EDNS option code of COOKIE (RFC 7873 §4). */
export const COOKIE = 10;

/** Our client cookie for `server`, drawn from the random source the first time it is needed (RFC 7873 §5.1). */
export function clientCookie(server: ServerState, random: RandomPool): Uint8Array {
  return (server.clientCookie ??= random.bytes(8));
}

/**
 * `wire` (a query whose OPT record is last and has no options) with a
 * COOKIE option appended: the client cookie, then the server cookie if known.
 * @returns a fresh array.
 */
export function withCookie(wire: Uint8Array, client: Uint8Array, server: Uint8Array | undefined): Uint8Array {
  const len = 8 + (server === undefined ? 0 : server.length);
  const out = new Uint8Array(wire.length + 4 + len);
  out.set(wire);
  const p = wire.length;
  out[p - 1] = 4 + len; // OPT rdlength (≤ 44): its high byte stays 0
  out[p + 1] = COOKIE;
  out[p + 3] = len;
  out.set(client, p + 4);
  if (server !== undefined) out.set(server, p + 12);
  return out;
}

/** The first COOKIE option of `m` (an index loop, not `find` with a closure: once per response, issue 13). */
function cookieOption(m: Message): EdnsOption | undefined {
  const options = m.edns?.options;
  if (options !== undefined) for (let i = 0; i < options.length; i++) if ((options[i] as EdnsOption).code === COOKIE) return options[i];
  return undefined;
}

/** Whether `known` holds the bytes of `d` from offset 8 (the server cookie sent again: kept, not copied again). */
function sameServerCookie(known: Uint8Array | undefined, d: Uint8Array): boolean {
  if (known === undefined || known.length !== d.length - 8) return false;
  for (let i = 0; i < known.length; i++) if (known[i] !== d[i + 8]) return false;
  return true;
}

/**
 * Check the cookie of a response to a query that sent `client`, and learn
 * the server cookie from it. False means: drop it (`bad-cookie`).
 */
export function checkCookie(server: ServerState, client: Uint8Array, m: Message): boolean {
  const opt = cookieOption(m);
  if (opt === undefined) return !server.cookieSeen;
  const d = opt.data;
  if (d.length < 16 || d.length > 40) return false;
  for (let i = 0; i < 8; i++) if (d[i] !== client[i]) return false;
  if (!sameServerCookie(server.serverCookie, d)) server.serverCookie = d.slice(8);
  server.cookieSeen = true;
  return true;
}
