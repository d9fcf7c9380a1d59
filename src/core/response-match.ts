/**
 * Matching a response to an attempt on its wire bytes (RFC 5452 §9.1;
 * issue 13): the header's QR and opcode and the one question are read in
 * place and compared with the query's own wire, so a response is matched
 * without building its message or any name string; what the machine then
 * decides on (rcode, TC) is read in place too. Reads only messages the
 * walk accepted (`codec/walk.ts`).
 */
import { u16 } from './codec/bytes.js';
import { skipName } from './codec/text.js';
import { wireNamesEqual } from './codec/wire-name.js';
import type { Attempt } from './query.js';

/** QR set and opcode QUERY (RFC 1035 §4.1.1): a response to a standard query. */
export function isResponse(b: Uint8Array): boolean {
  return ((b[2] as number) & 0xf8) === 0x80;
}

/**
 * The rcode of accepted response `b` whose OPT record's TYPE field is at
 * `opt` (-1 without one; `walked.opt`, `codec/walk.ts`): the header's four
 * bits and the OPT's upper eight (RFC 6891 §6.1.3), as `Message.rcode`.
 */
export function responseRcode(b: Uint8Array, opt: number): number {
  return ((b[3] as number) & 0xf) | (opt < 0 ? 0 : (b[opt + 4] as number) << 4);
}

/** TC: the response was truncated (RFC 1035 §4.1.1). */
export function truncated(b: Uint8Array): boolean {
  return ((b[2] as number) & 0x02) !== 0;
}

/** QDCOUNT (RFC 1035 §4.1.1). */
export function questionCount(b: Uint8Array): number {
  return u16(b, 4);
}

/**
 * The attempt of `chain` whose question the one question of response `b`
 * is: type, class and name equal, the name with ASCII case folded (the exact
 * case of 0x20 is checked later, `case0x20.ts`), as `namesEqual` compares
 * the text of two names.
 */
export function matchQuestion(chain: Attempt, b: Uint8Array): Attempt | undefined {
  const end = skipName(b, 12);
  const type = u16(b, end);
  const qclass = u16(b, end + 2);
  for (let a: Attempt | undefined = chain; a !== undefined; a = a.next) {
    const want = a.query;
    if (type === want.type && qclass === want.class && wireNamesEqual(b, 12, want.wire, 12, false)) return a;
  }
  return undefined;
}
