/**
 * Rdata values, read from regions the walk has already checked, so nothing
 * here can run out of bounds. Raw types get a copy of their rdata (the
 * caller's buffer may be reused by a driver).
 */

import { formatIPv4, formatIPv6 } from './ip.js';
import { bytesText, readName, skipName } from './text.js';
import type { CaaData, NaptrData, SoaData, SrvData, SvcbData } from './types.js';

function u16(b: Uint8Array, p: number): number {
  return ((b[p] as number) << 8) | (b[p + 1] as number);
}

function u32(b: Uint8Array, p: number): number {
  return (((b[p] as number) << 24) | ((b[p + 1] as number) << 16) | ((b[p + 2] as number) << 8) | (b[p + 3] as number)) >>> 0;
}

/** Text of the character-string at `p` (RFC 1035 §3.3). */
function charString(b: Uint8Array, p: number): string {
  return bytesText(b, p + 1, p + 1 + (b[p] as number));
}

function soa(b: Uint8Array, s: number): SoaData {
  const r = skipName(b, s);
  const p = skipName(b, r);
  return {
    mname: readName(b, s), rname: readName(b, r), serial: u32(b, p), refresh: u32(b, p + 4),
    retry: u32(b, p + 8), expire: u32(b, p + 12), minimum: u32(b, p + 16),
  };
}

function srv(b: Uint8Array, s: number): SrvData {
  return { priority: u16(b, s), weight: u16(b, s + 2), port: u16(b, s + 4), target: readName(b, s + 6) };
}

function txt(b: Uint8Array, s: number, e: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let p = s; p < e; p += 1 + (b[p] as number)) out.push(b.slice(p + 1, p + 1 + (b[p] as number)));
  return out;
}

function naptr(b: Uint8Array, s: number): NaptrData {
  const p1 = s + 4;
  const p2 = p1 + 1 + (b[p1] as number);
  const p3 = p2 + 1 + (b[p2] as number);
  const p4 = p3 + 1 + (b[p3] as number);
  return {
    order: u16(b, s), preference: u16(b, s + 2), flags: charString(b, p1),
    services: charString(b, p2), regexp: charString(b, p3), replacement: readName(b, p4),
  };
}

function caa(b: Uint8Array, s: number, e: number): CaaData {
  const v = s + 2 + (b[s + 1] as number);
  return { flags: b[s] as number, tag: bytesText(b, s + 2, v), value: bytesText(b, v, e) };
}

function svcb(b: Uint8Array, s: number, e: number): SvcbData {
  const params: { key: number; value: Uint8Array }[] = [];
  let p = skipName(b, s + 2);
  while (p < e) {
    const len = u16(b, p + 2);
    params.push({ key: u16(b, p), value: b.slice(p + 4, p + 4 + len) });
    p += 4 + len;
  }
  return { priority: u16(b, s), target: readName(b, s + 2), params };
}

/**
 * The value of the checked rdata `[s, e)` of a record of `type`, in the
 * shape of `RecordDataMap` (RFC 1035 §3.3–3.4, RFC 3596, RFC 2782, RFC 3403,
 * RFC 8659, RFC 9460); any other type gets a copy of its bytes (RFC 3597).
 */
export function decodeRdata(type: number, b: Uint8Array, s: number, e: number): unknown {
  switch (type) {
    case 1: return formatIPv4(b, s);
    case 28: return formatIPv6(b, s);
    case 2: case 5: case 12: case 39: return readName(b, s);
    case 6: return soa(b, s);
    case 13: return { cpu: charString(b, s), os: charString(b, s + 1 + (b[s] as number)) };
    case 15: return { preference: u16(b, s), exchange: readName(b, s + 2) };
    case 16: return txt(b, s, e);
    case 33: return srv(b, s);
    case 35: return naptr(b, s);
    case 64: case 65: return svcb(b, s, e);
    case 257: return caa(b, s, e);
    default: return b.slice(s, e);
  }
}
