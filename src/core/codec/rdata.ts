/**
 * Rdata layouts, described once and walked two ways: checking (the walk,
 * before anything is decoded: a region `[s, e)` passes only if its layout
 * fills it exactly, names inside obey {@link checkName}) and decoding (values
 * read from a region the check passed, so nothing can run out of bounds).
 * Types without a shape get a copy of their rdata (RFC 3597; the caller's
 * buffer may be reused by a driver).
 *
 * A layout is a list of fields, each an op character then the key it is
 * decoded to (empty key: the field is the whole value):
 * - `1` `2` `4`: unsigned integers of that many bytes; `a` / `A`: an IPv4 /
 *   IPv6 address (RFC 1035 §3.4.1, RFC 3596 §2.2);
 * - `n`: a name, compression allowed; `N`: a name without compression
 *   (RFC 3597 §4, RFC 4034, RFC 9460 §2.2);
 * - `s`: a character-string (RFC 1035 §3.3) as text; `t`: the same, not empty
 *   (the CAA tag, RFC 8659 §4.1; the NSEC3 hash, RFC 5155 §3.2);
 * - to the end of the rdata: `r` text, `*` any bytes, `T` one or more
 *   character-strings (TXT, RFC 1035 §3.3.14), `P` SvcParams in strictly
 *   increasing key order (RFC 9460 §2.2), `B` NSEC type bitmap windows,
 *   ascending, 1–32 octets each (RFC 4034 §4.1.2), `O` EDNS options
 *   (RFC 6891 §6.1.2).
 */

import { BAD_RDATA, TRUNCATED, checkName } from './check-name.js';
import { formatIPv4, formatIPv6 } from './ip.js';
import { u16 } from './bytes.js';
import { bytesText, readName } from './text.js';

/** Fixed-size fields: width and reader. */
const FIXED: Readonly<Record<string, readonly [number, (b: Uint8Array, p: number) => unknown]>> = {
  1: [1, (b, p) => b[p]],
  2: [2, u16],
  4: [4, (b, p) => (u16(b, p) * 65536) + u16(b, p + 2)],
  a: [4, formatIPv4],
  A: [16, formatIPv6],
};

const SVCB = '2priority Ntarget Pparams';

/** Layouts of the types decoded into a shape (`RecordDataMap`). */
const SHAPES = layouts({
  1: 'a', 28: 'A', 2: 'n', 5: 'n', 12: 'n', 39: 'n', 16: 'T',
  6: 'nmname nrname 4serial 4refresh 4retry 4expire 4minimum',
  13: 'scpu sos',
  15: '2preference nexchange',
  33: '2priority 2weight 2port ntarget',
  35: '2order 2preference sflags sservices sregexp nreplacement',
  64: SVCB, 65: SVCB,
  257: '1flags ttag rvalue',
});

/** Layouts checked but handed out raw: DS, DNSKEY, SSHFP, TLSA (minimum sizes), RRSIG, NSEC, NSEC3. */
const RAW = layouts({
  43: '4 *', 48: '4 *', 44: '2 *', 52: '2 1 *',
  46: '4 4 4 4 2 N *', 47: 'N B', 50: '1 1 2 s t B',
});

function layouts(table: Record<number, string>): Map<number, readonly string[]> {
  return new Map(Object.entries(table).map(([k, v]) => [Number(k), v.split(' ')]));
}

/** Check (and, given `out`, read) a field that runs to `e`. @returns the end offset or a code. */
function runToEnd(op: string, b: Uint8Array, p: number, e: number, out?: unknown[]): number {
  if (op === 'r' || op === '*') return e;
  if (op === 'T' && p === e) return BAD_RDATA;
  const head = op === 'T' ? 1 : op === 'B' ? 2 : 4;
  let prev = -1;
  while (p < e) {
    if (p + head > e) return BAD_RDATA;
    const key = op === 'B' ? (b[p] as number) : u16(b, p);
    const len = op === 'T' ? (b[p] as number) : op === 'B' ? (b[p + 1] as number) : u16(b, p + 2);
    if ((op === 'P' || op === 'B') && key <= prev) return BAD_RDATA;
    if (op === 'B' && (len === 0 || len > 32)) return BAD_RDATA;
    prev = key;
    out?.push(op === 'T' ? b.slice(p + 1, p + 1 + len) : { key, value: b.slice(p + 4, p + 4 + len) });
    p += head + len;
  }
  return p === e ? p : BAD_RDATA;
}

/**
 * Walk `layout` over `[s, e)`; given `out`, also read each field into it.
 * @returns 0, or a negative walk code.
 */
function walkLayout(layout: readonly string[], b: Uint8Array, s: number, e: number, out?: Record<string, unknown>): number {
  let p = s;
  for (const f of layout) {
    const op = f[0] as string;
    const at = p;
    const fixed = FIXED[op];
    let v: unknown;
    if (fixed !== undefined) {
      p += fixed[0];
      if (p > e) return BAD_RDATA;
      if (out) v = fixed[1](b, at);
    } else if (op === 'n' || op === 'N') {
      p = checkName(b, p, e, op === 'n');
      if (p < 0) return p === TRUNCATED ? BAD_RDATA : p;
      if (out) v = readName(b, at);
    } else if (op === 's' || op === 't') {
      if (p >= e || (op === 't' && b[p] === 0)) return BAD_RDATA;
      p += 1 + (b[p] as number);
      if (p > e) return BAD_RDATA;
      if (out) v = bytesText(b, at + 1, p);
    } else {
      const items: unknown[] | undefined = out && [];
      p = runToEnd(op, b, p, e, items);
      if (p < 0) return p;
      if (out) v = op === 'r' ? bytesText(b, at, e) : items;
    }
    if (out) out[f.slice(1)] = v;
  }
  return p === e ? 0 : BAD_RDATA;
}

/**
 * Check the rdata `[s, e)` of a record of `type` (OPT excluded).
 * @returns 0, or a negative walk code.
 */
export function checkRdata(type: number, b: Uint8Array, s: number, e: number): number {
  const layout = SHAPES.get(type) ?? RAW.get(type);
  return layout === undefined ? 0 : walkLayout(layout, b, s, e);
}

const OPTIONS = ['O'];

/** OPT options: code, length, data, filling the rdata exactly (RFC 6891 §6.1.2). */
export function checkOptions(b: Uint8Array, s: number, e: number): number {
  return walkLayout(OPTIONS, b, s, e);
}

/**
 * The value of the checked rdata `[s, e)` of a record of `type`, in the
 * shape of `RecordDataMap` (RFC 1035 §3.3–3.4, RFC 3596, RFC 2782, RFC 3403,
 * RFC 8659, RFC 9460); any other type gets a copy of its bytes (RFC 3597).
 */
export function decodeRdata(type: number, b: Uint8Array, s: number, e: number): unknown {
  // The hot path of resolve4/resolve6: what the layouts `a` and `A` read, without the layout walk's record.
  if (type === 1) return formatIPv4(b, s);
  if (type === 28) return formatIPv6(b, s);
  const layout = SHAPES.get(type);
  if (layout === undefined) return b.slice(s, e);
  const out: Record<string, unknown> = {};
  walkLayout(layout, b, s, e, out);
  return '' in out ? out[''] : out;
}
