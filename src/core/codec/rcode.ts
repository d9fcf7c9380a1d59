/**
 * Response codes by name (RFC 1035 §4.1.1, RFC 2136 §2.2, RFC 6895 §2.3),
 * their mnemonics, and the error code a failure rcode ends a query with.
 * An rcode here is the full 12-bit value a decoded message carries (the
 * header's 4 bits with the OPT record's 8 upper bits, RFC 6891 §6.1.3), so
 * the extended ones compare like the others.
 */
import type { QueryErrorCode } from '../errors.js';

/** No error (RFC 1035 §4.1.1). */
export const NOERROR = 0;
/** Format error: the server could not interpret the query (RFC 1035 §4.1.1). */
export const FORMERR = 1;
/** Server failure (RFC 1035 §4.1.1). */
export const SERVFAIL = 2;
/** Name error: the name does not exist (RFC 1035 §4.1.1, RFC 8020). */
export const NXDOMAIN = 3;
/** Not implemented (RFC 1035 §4.1.1). */
export const NOTIMP = 4;
/** Refused (RFC 1035 §4.1.1). */
export const REFUSED = 5;
/** Bad OPT version (extended, RFC 6891 §9). */
export const BADVERS = 16;
/** Bad or missing server cookie (extended, RFC 7873 §8). */
export const BADCOOKIE = 23;

const NAMES: readonly string[] = [
  'NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE',
  'RESERVED11', 'RESERVED12', 'RESERVED13', 'RESERVED14', 'RESERVED15', 'BADVERS',
];

/**
 * The mnemonic of an rcode as dig 9.18 names it (RFC 6895 §2.3): 0–10
 * (RFC 1035, RFC 2136), RESERVED11–15, BADVERS, BADCOOKIE; others `RCODE<n>`.
 */
export function rcodeName(rcode: number): string {
  return NAMES[rcode] ?? (rcode === BADCOOKIE ? 'BADCOOKIE' : `RCODE${rcode}`);
}

/**
 * The error code of a query that a server failed with `rcode` (one that is
 * not an answer: neither NOERROR nor NXDOMAIN). Node's codes where Node has
 * one; any other rcode is an unexpected response, `EBADRESP`.
 */
export function rcodeError(rcode: number): QueryErrorCode {
  switch (rcode) {
    case FORMERR:
      return 'EFORMERR';
    case SERVFAIL:
      return 'ESERVFAIL';
    case NOTIMP:
      return 'ENOTIMP';
    case REFUSED:
      return 'EREFUSED';
    default:
      return 'EBADRESP';
  }
}
