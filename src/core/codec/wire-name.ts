/**
 * Names compared on the wire, and the text of a known name reused (issue 13):
 * a response's question is matched against the query's own bytes without
 * building a string, and a name in the response that is, byte for byte, the
 * name we asked for gets the text we already hold instead of a new string.
 * Both read messages the walk accepted (`walk.ts`), so every pointer moves
 * strictly backwards and every label is in bounds.
 */

import { readName } from './text.js';

/**
 * Whether the name at `ao` in `a` equals the name at `bo` in `b`, compression
 * followed in both (RFC 1035 §4.1.4): byte for byte when `caseSensitive`, else
 * with ASCII letters folded (RFC 4343 §3), as `namesEqual` compares their text.
 */
export function wireNamesEqual(a: Uint8Array, ao: number, b: Uint8Array, bo: number, caseSensitive: boolean): boolean {
  for (;;) {
    let la = a[ao] as number;
    while (la >= 0xc0) {
      ao = ((la & 0x3f) << 8) | (a[ao + 1] as number);
      la = a[ao] as number;
    }
    let lb = b[bo] as number;
    while (lb >= 0xc0) {
      bo = ((lb & 0x3f) << 8) | (b[bo + 1] as number);
      lb = b[bo] as number;
    }
    if (la !== lb) return false;
    if (la === 0) return true;
    for (let i = 1; i <= la; i++) {
      let x = a[ao + i] as number;
      let y = b[bo + i] as number;
      if (x === y) continue;
      if (caseSensitive) return false;
      if (x >= 0x41 && x <= 0x5a) x |= 0x20;
      if (y >= 0x41 && y <= 0x5a) y |= 0x20;
      if (x !== y) return false;
    }
    ao += la + 1;
    bo += la + 1;
  }
}

/** The next byte of `text` is `c`. */
function next(text: string, k: number, c: number): boolean {
  return text.charCodeAt(k) === c;
}

/**
 * Whether the presentation text of the name at `offset` in `b` (what
 * `readName` gives) is `text`, compared as it would be written, without
 * building it (issue 13: the 0x20 screen compares a response's question name
 * with the case the attempt sent). Escapes as `readName` writes them
 * (RFC 1035 §5.1): `\.` and `\\` in a label, `\DDD` outside printable ASCII.
 */
export function nameTextEquals(b: Uint8Array, offset: number, text: string): boolean {
  let k = 0;
  for (let i = offset; ;) {
    const len = b[i] as number;
    if (len >= 0xc0) {
      i = ((len & 0x3f) << 8) | (b[i + 1] as number);
      continue;
    }
    if (len === 0) return k === 0 ? text === '.' : k === text.length;
    if (k !== 0 && !next(text, k++, 0x2e)) return false;
    for (let j = i + 1; j <= i + len; j++) {
      const c = b[j] as number;
      if (c < 0x21 || c >= 0x7f) {
        if (!next(text, k, 0x5c) || !next(text, k + 1, 0x30 + ((c / 100) | 0)) || !next(text, k + 2, 0x30 + (((c / 10) | 0) % 10)) || !next(text, k + 3, 0x30 + (c % 10))) return false;
        k += 4;
        continue;
      }
      if ((c === 0x5c || c === 0x2e) && !next(text, k++, 0x5c)) return false;
      if (!next(text, k++, c)) return false;
    }
    i += len + 1;
  }
}

/** A name we hold both ways: its wire form at `offset` in `wire`, and its presentation `text` (`readName` of it). */
export interface KnownName {
  readonly wire: Uint8Array;
  readonly offset: number;
  readonly text: string;
}

/**
 * Presentation text of the name at `offset` in `b` (as `readName`): the text
 * of `known` when the name is byte for byte that one, without a new string.
 */
export function nameText(b: Uint8Array, offset: number, known: KnownName | undefined): string {
  if (known !== undefined && wireNamesEqual(b, offset, known.wire, known.offset, true)) return known.text;
  return readName(b, offset);
}
