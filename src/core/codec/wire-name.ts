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
