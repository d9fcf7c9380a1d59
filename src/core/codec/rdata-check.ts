/**
 * Exact layout checks of rdata for every type the codec decodes into a shape
 * or hands out raw by name. A region `[s, e)` passes only if it is filled
 * exactly; names inside obey {@link checkName}.
 */

import { BAD_RDATA, TRUNCATED, checkName } from './check-name.js';

/** Region ends exactly at `e` after `p` (or `p` is a code, passed on; running past `e` is `BAD_RDATA`). */
function exact(p: number, e: number): number {
  if (p === TRUNCATED) return BAD_RDATA;
  if (p < 0) return p;
  return p === e ? 0 : BAD_RDATA;
}

/** Offset after the character-string at `p` (RFC 1035 §3.3), or a code. */
function charString(b: Uint8Array, p: number, e: number): number {
  if (p < 0) return p;
  if (p >= e) return BAD_RDATA;
  const q = p + 1 + (b[p] as number);
  return q > e ? BAD_RDATA : q;
}

/** TXT: one or more character-strings filling the rdata (RFC 1035 §3.3.14). */
function checkTxt(b: Uint8Array, s: number, e: number): number {
  if (s === e) return BAD_RDATA;
  let p = s;
  while (p < e) p += 1 + (b[p] as number);
  return p === e ? 0 : BAD_RDATA;
}

/** CAA: flags, tag length 1–255, tag, value (RFC 8659 §4.1). */
function checkCaa(b: Uint8Array, s: number, e: number): number {
  if (e - s < 2) return BAD_RDATA;
  const tagLen = b[s + 1] as number;
  return tagLen === 0 || s + 2 + tagLen > e ? BAD_RDATA : 0;
}

/** SVCB / HTTPS: priority, uncompressed target, params in strictly increasing key order (RFC 9460 §2.2). */
function checkSvcb(b: Uint8Array, s: number, e: number): number {
  let p = checkName(b, s + 2, e, false);
  if (p < 0) return exact(p, e);
  let prev = -1;
  while (p < e) {
    if (p + 4 > e) return BAD_RDATA;
    const key = ((b[p] as number) << 8) | (b[p + 1] as number);
    if (key <= prev) return BAD_RDATA;
    prev = key;
    p += 4 + (((b[p + 2] as number) << 8) | (b[p + 3] as number));
  }
  return p === e ? 0 : BAD_RDATA;
}

/** NSEC / NSEC3 type bitmaps: windows ascending, 1–32 octets each (RFC 4034 §4.1.2). */
function checkBitmap(b: Uint8Array, p: number, e: number): number {
  let prev = -1;
  while (p < e) {
    if (p + 2 > e) return BAD_RDATA;
    const win = b[p] as number;
    const len = b[p + 1] as number;
    if (win <= prev || len === 0 || len > 32) return BAD_RDATA;
    prev = win;
    p += 2 + len;
  }
  return p === e ? 0 : BAD_RDATA;
}

/** NSEC3: algorithm, flags, iterations, salt, hash (≥ 1 byte), bitmaps (RFC 5155 §3.2). */
function checkNsec3(b: Uint8Array, s: number, e: number): number {
  if (e - s < 5) return BAD_RDATA;
  const h = s + 5 + (b[s + 4] as number);
  if (h >= e || b[h] === 0) return BAD_RDATA;
  return checkBitmap(b, h + 1 + (b[h] as number), e);
}

/** Names only (NS, CNAME, PTR, DNAME, SOA, MX, SRV, NAPTR), followed by fixed fields. */
function checkNamed(type: number, b: Uint8Array, s: number, e: number): number {
  switch (type) {
    case 6: {
      const p = checkName(b, s, e, true);
      if (p < 0) return exact(p, e);
      const q = checkName(b, p, e, true);
      return exact(q < 0 ? q : q + 20, e);
    }
    case 15: return exact(checkName(b, s + 2, e, true), e);
    case 33: return exact(checkName(b, s + 6, e, true), e);
    case 35: {
      const p = charString(b, charString(b, charString(b, s + 4, e), e), e);
      return exact(p < 0 ? p : checkName(b, p, e, true), e);
    }
    default: return exact(checkName(b, s, e, true), e);
  }
}

/**
 * Check the rdata `[s, e)` of a record of `type` (OPT excluded).
 * @returns 0, or a negative walk code.
 */
export function checkRdata(type: number, b: Uint8Array, s: number, e: number): number {
  switch (type) {
    case 1: return e - s === 4 ? 0 : BAD_RDATA;
    case 28: return e - s === 16 ? 0 : BAD_RDATA;
    case 2: case 5: case 6: case 12: case 15: case 33: case 35: case 39:
      return checkNamed(type, b, s, e);
    case 13: return exact(charString(b, charString(b, s, e), e), e);
    case 16: return checkTxt(b, s, e);
    case 257: return checkCaa(b, s, e);
    case 64: case 65: return checkSvcb(b, s, e);
    case 46: {
      const p = checkName(b, s + 18, e, false);
      return p < 0 ? exact(p, e) : 0;
    }
    case 47: {
      const p = checkName(b, s, e, false);
      return p < 0 ? exact(p, e) : checkBitmap(b, p, e);
    }
    case 50: return checkNsec3(b, s, e);
    case 43: case 48: return e - s >= 4 ? 0 : BAD_RDATA;
    case 52: return e - s >= 3 ? 0 : BAD_RDATA;
    case 44: return e - s >= 2 ? 0 : BAD_RDATA;
    default: return 0;
  }
}

/** OPT options: code, length, data, filling the rdata exactly (RFC 6891 §6.1.2). */
export function checkOptions(b: Uint8Array, s: number, e: number): number {
  let p = s;
  while (p < e) {
    if (p + 4 > e) return BAD_RDATA;
    p += 4 + (((b[p + 2] as number) << 8) | (b[p + 3] as number));
  }
  return p === e ? 0 : BAD_RDATA;
}
