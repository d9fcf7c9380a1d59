/**
 * Presentation text of wire bytes, and back.
 *
 * One convention serves names and character-strings (RFC 1035 §5.1,
 * RFC 4343 §2.1): printable ASCII stands for itself, `\\` is a backslash,
 * `\.` is a dot inside a label (names only), and every other byte (controls,
 * 0x7F–0xFF, and in names the space) is `\DDD`, three decimal digits. The
 * text is therefore pure ASCII and maps one-to-one onto the bytes.
 */

import { DnsError, type CallerErrorCode } from '../errors.js';

/**
 * Scratch for building strings. The longest text is an escaped 65535-byte
 * CAA value (4 characters a byte); names need at most 1020.
 */
let chars = new Uint16Array(1024);

function ensure(size: number): void {
  if (chars.length < size) chars = new Uint16Array(size);
}

/**
 * Append the presentation text of `b[start..end)` to the scratch at `pos`.
 * @returns the new scratch position.
 */
function escapeInto(b: Uint8Array, start: number, end: number, pos: number, forName: boolean): number {
  const low = forName ? 0x21 : 0x20;
  for (let i = start; i < end; i++) {
    const c = b[i] as number;
    if (c >= low && c < 0x7f) {
      if (c === 0x5c || (c === 0x2e && forName)) chars[pos++] = 0x5c;
      chars[pos++] = c;
    } else {
      chars[pos++] = 0x5c;
      chars[pos++] = 0x30 + ((c / 100) | 0);
      chars[pos++] = 0x30 + (((c / 10) | 0) % 10);
      chars[pos++] = 0x30 + (c % 10);
    }
  }
  return pos;
}

function scratchString(n: number): string {
  return String.fromCharCode.apply(null, chars.subarray(0, n) as unknown as number[]);
}

/**
 * Presentation text of the name at `offset` in a message the walk accepted
 * (RFC 1035 §4.1.4: follows compression pointers). Root is `.`; no trailing dot.
 */
export function readName(b: Uint8Array, offset: number): string {
  let pos = 0;
  let i = offset;
  for (;;) {
    const len = b[i] as number;
    if (len === 0) break;
    if (len >= 0xc0) {
      i = ((len & 0x3f) << 8) | (b[i + 1] as number);
      continue;
    }
    if (pos !== 0) chars[pos++] = 0x2e;
    pos = escapeInto(b, i + 1, i + 1 + len, pos, true);
    i += len + 1;
  }
  return pos === 0 ? '.' : scratchString(pos);
}

/** Presentation text (RFC 1035 §5.1) of one or more labels, as produced by `parseName`; not the root. */
export function labelsText(labels: readonly Uint8Array[]): string {
  let pos = 0;
  for (const label of labels) {
    if (pos !== 0) chars[pos++] = 0x2e;
    pos = escapeInto(label, 0, label.length, pos, true);
  }
  return scratchString(pos);
}

/** Presentation text of raw bytes `b[start..end)` (a character-string body, RFC 1035 §5.1). */
export function bytesText(b: Uint8Array, start: number, end: number): string {
  ensure((end - start) * 4);
  return scratchString(escapeInto(b, start, end, 0, false));
}

/**
 * Read one presentation escape (RFC 1035 §5.1: `\X` or `\DDD`) at `text[i]`, just after the backslash.
 * @returns the byte value and the index after the escape, or -1 when invalid.
 */
export function readEscape(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0x30 && c <= 0x39) {
    const d1 = text.charCodeAt(i + 1) - 0x30;
    const d2 = text.charCodeAt(i + 2) - 0x30;
    if (!(d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9)) return -1;
    const v = (c - 0x30) * 100 + d1 * 10 + d2;
    return v > 255 ? -1 : v;
  }
  return c >= 0x20 && c < 0x7f ? c : -1;
}

/**
 * Bytes of a presentation character-string (RFC 1035 §5.1; the inverse of {@link bytesText}): ASCII
 * only, with `\X` and `\DDD` escapes. Throws `DnsError(code)` otherwise, or
 * when longer than `max` bytes.
 */
export function textBytes(text: unknown, max: number, code: CallerErrorCode, what: string): Uint8Array {
  if (typeof text !== 'string') throw new DnsError(code, `${what} must be a string`);
  const out = new Uint8Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c === 0x5c) {
      c = readEscape(text, i + 1);
      if (c < 0) throw new DnsError(code, `${what}: bad escape at ${i}`);
      i += text.charCodeAt(i + 1) <= 0x39 && text.charCodeAt(i + 1) >= 0x30 ? 3 : 1;
    } else if (c < 0x20 || c > 0x7e) {
      throw new DnsError(code, `${what}: character ${c} must be written as \\DDD`);
    }
    out[n++] = c;
  }
  if (n > max) throw new DnsError(code, `${what} is ${n} bytes, more than ${max}`);
  return out.subarray(0, n);
}

/** Offset just after the name at `p` in a message the walk accepted (RFC 1035 §4.1.4). */
export function skipName(b: Uint8Array, p: number): number {
  for (;;) {
    const len = b[p] as number;
    if (len === 0) return p + 1;
    if (len >= 0xc0) return p + 2;
    p += len + 1;
  }
}
