/**
 * Type mnemonics as dig prints them. The codec names the types it decodes
 * (and reads a few more as input); dig knows the whole IANA registry
 * (RFC 6895 §3.1), so a question for type 51 shows `NSEC3PARAM`, not
 * `TYPE51`. Display only: the core gets the number.
 */
import { typeFromInput, typeToName } from '../codec.js';

/** IANA mnemonics by code, for the types the codec has no name of its own for. */
const MNEMONICS: Readonly<Record<number, string>> = {
  3: 'MD', 4: 'MF', 7: 'MB', 8: 'MG', 9: 'MR', 10: 'NULL', 11: 'WKS', 14: 'MINFO', 17: 'RP', 18: 'AFSDB',
  19: 'X25', 20: 'ISDN', 21: 'RT', 22: 'NSAP', 23: 'NSAP-PTR', 24: 'SIG', 25: 'KEY', 26: 'PX', 27: 'GPOS',
  29: 'LOC', 30: 'NXT', 31: 'EID', 32: 'NIMLOC', 34: 'ATMA', 36: 'KX', 37: 'CERT', 38: 'A6', 40: 'SINK',
  42: 'APL', 45: 'IPSECKEY', 49: 'DHCID', 51: 'NSEC3PARAM', 53: 'SMIMEA', 55: 'HIP', 56: 'NINFO', 57: 'RKEY',
  58: 'TALINK', 59: 'CDS', 60: 'CDNSKEY', 61: 'OPENPGPKEY', 62: 'CSYNC', 63: 'ZONEMD', 99: 'SPF', 100: 'UINFO',
  101: 'UID', 102: 'GID', 103: 'UNSPEC', 104: 'NID', 105: 'L32', 106: 'L64', 107: 'LP', 108: 'EUI48',
  109: 'EUI64', 249: 'TKEY', 250: 'TSIG', 251: 'IXFR', 252: 'AXFR', 253: 'MAILB', 254: 'MAILA', 255: 'ANY',
  256: 'URI', 258: 'AVC', 259: 'DOA', 260: 'AMTRELAY', 32768: 'TA', 32769: 'DLV',
};

const CODES = new Map<string, number>(Object.entries(MNEMONICS).map(([code, name]) => [name, Number(code)]));

/** The mnemonic of a type code, as dig prints it (`TYPEn` when it has none). */
export function typeMnemonic(code: number): string {
  const name = typeToName(code);
  return name.startsWith('TYPE') ? MNEMONICS[code] ?? name : name;
}

/** The mnemonic of a record's type name (`TYPE51` → `NSEC3PARAM`). */
export function recordTypeMnemonic(type: string): string {
  const n = /^TYPE(\d+)$/.exec(type);
  return n === null ? type : typeMnemonic(Number(n[1]));
}

/**
 * The code of a type as typed (a mnemonic in any case, `TYPEn`), or
 * `undefined`. Types a stub cannot ask (AXFR, IXFR, OPT, TSIG, TKEY) are
 * `undefined` too: the core refuses them.
 */
export function typeCode(text: string): number | undefined {
  try {
    return typeFromInput(text);
  } catch {
    const code = CODES.get(text.toUpperCase());
    if (code === undefined) return undefined;
    try {
      return typeFromInput(code);
    } catch {
      return undefined;
    }
  }
}
