/**
 * Record types and classes: names to numbers and back (RFC 1035 §3.2.2–3.2.5,
 * RFC 3597 §5 for the generic `TYPE<n>` / `CLASS<n>` forms, RFC 6895 §3.1).
 */

import { DnsError } from '../errors.js';
import type { KnownTypeName, TypeName } from './types.js';

/** Codes of the types the codec decodes into a shape (or raw, by name). */
export const TYPE_CODES: Readonly<Record<KnownTypeName, number>> = Object.freeze({
  A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, HINFO: 13, MX: 15, TXT: 16, AAAA: 28, SRV: 33,
  NAPTR: 35, DNAME: 39, DS: 43, SSHFP: 44, RRSIG: 46, NSEC: 47, DNSKEY: 48, NSEC3: 50,
  TLSA: 52, SVCB: 64, HTTPS: 65, CAA: 257,
});

/** Type code of OPT, the EDNS pseudo-record (RFC 6891 §6.1.1). */
export const OPT = 41;

/** Names accepted as input that decoded records never carry (their data is `TYPE<n>`). */
const EXTRA_TYPES: Readonly<Record<string, number>> = Object.freeze({
  NULL: 10, RP: 17, AFSDB: 18, LOC: 29, CERT: 37, IPSECKEY: 45, DHCID: 49, NSEC3PARAM: 51,
  SMIMEA: 53, HIP: 55, CDS: 59, CDNSKEY: 60, OPENPGPKEY: 61, CSYNC: 62, ZONEMD: 63,
  SPF: 99, EUI48: 108, EUI64: 109, URI: 256, ANY: 255,
});

const NAME_OF = new Map<number, KnownTypeName>(
  (Object.entries(TYPE_CODES) as [KnownTypeName, number][]).map(([k, v]) => [v, k]),
);
const KNOWN = new Map<string, number>(Object.entries(TYPE_CODES));
const INPUT_TYPES = new Map<string, number>([...Object.entries(TYPE_CODES), ...Object.entries(EXTRA_TYPES)]);

/** Types a stub cannot ask for: 0, OPT, TKEY, TSIG, IXFR, AXFR (RFC 6895 §3.1). */
function unusable(code: number): boolean {
  return code === 0 || code === OPT || (code >= 249 && code <= 252);
}

/** The number in `TYPE<n>` / `CLASS<n>` (decimal 0–65535, no sign, no leading zero), or -1. */
export function genericNumber(text: string, prefix: string): number {
  if (text.length <= prefix.length || text.length > prefix.length + 5) return -1;
  if (text.slice(0, prefix.length).toUpperCase() !== prefix) return -1;
  const digits = text.slice(prefix.length);
  if (!/^(0|[1-9][0-9]*)$/.test(digits)) return -1;
  const n = Number(digits);
  return n <= 0xffff ? n : -1;
}

function isUint16(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffff;
}

/**
 * The numeric type for a caller's type: a mnemonic (any case, `'AAAA'`,
 * `'https'`), the generic `TYPE<n>` (RFC 3597 §5) or a number. `ANY` (255)
 * is allowed. Throws `DnsError('EBADTYPE')` for unknown mnemonics, 0, OPT (41),
 * TKEY (249), TSIG (250), IXFR (251), AXFR (252), numbers outside 1–65535
 * and non-integers.
 */
export function typeFromInput(t: string | number): number {
  let code = -1;
  if (typeof t === 'number') {
    code = isUint16(t) ? t : -1;
  } else if (typeof t === 'string') {
    code = INPUT_TYPES.get(t.toUpperCase()) ?? genericNumber(t, 'TYPE');
  }
  if (code < 0 || unusable(code)) {
    throw new DnsError('EBADTYPE', `bad type ${String(t)}`);
  }
  return code;
}

/** Name of a type code as records carry it: a {@link KnownTypeName} or `TYPE<n>` (RFC 3597 §5). */
export function typeToName(code: number): TypeName {
  return NAME_OF.get(code) ?? `TYPE${code}`;
}

/** Code of a known type name (exact case, as records carry it), or `undefined`. */
export function knownTypeCode(name: string): number | undefined {
  return KNOWN.get(name);
}

const CLASS_CODES = new Map<string, number>([['IN', 1], ['CH', 3], ['HS', 4], ['ANY', 255]]);
const CLASS_NAMES = new Map<number, string>([[1, 'IN'], [3, 'CH'], [4, 'HS'], [255, 'ANY']]);

/**
 * The numeric class for a caller's class: `IN`, `CH`, `HS`, `ANY` (any case),
 * `CLASS<n>` (RFC 3597 §5) or a number. Throws `DnsError('EBADCLASS')` for
 * anything else, 0 and NONE (254, meaningful only in UPDATE, RFC 2136 §1.3).
 */
export function classFromInput(c: string | number): number {
  let code = -1;
  if (typeof c === 'number') code = isUint16(c) ? c : -1;
  else if (typeof c === 'string') code = CLASS_CODES.get(c.toUpperCase()) ?? genericNumber(c, 'CLASS');
  if (code <= 0 || code === 254) throw new DnsError('EBADCLASS', `bad class ${String(c)}`);
  return code;
}

/** Mnemonic of a class code (`IN`, `CH`, `HS`, `ANY`), else `CLASS<n>` (RFC 3597 §5). */
export function classToName(code: number): string {
  return CLASS_NAMES.get(code) ?? `CLASS${code}`;
}
