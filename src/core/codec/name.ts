/**
 * Domain names given by the caller: parsing presentation text into labels,
 * and comparing names.
 */

import { DnsError } from '../errors.js';
import { labelsText, readEscape } from './text.js';

/** A name parsed by {@link parseName}. */
export interface ParsedName {
  /** Canonical presentation form without the trailing dot; the root is `.`. Case preserved. */
  readonly name: string;
  /** The labels' bytes, most specific first; empty for the root. */
  readonly labels: readonly Uint8Array[];
  /** Length of the uncompressed wire form, root byte included (≤ 255, RFC 1035 §3.1). */
  readonly wireLength: number;
}

/**
 * The longest text (in UTF-16 code units) that can name anything of at most
 * 255 bytes on the wire, so longer input is refused after one length check
 * (issue 18: a 200,000-character name cost seconds, or a RangeError).
 * Presentation text spends at most 4 characters per wire byte (`\DDD`): at
 * most 1,013 for 255 bytes. An internationalised name spends at most 8 per
 * byte of its A-label form: each code point of the A-label's U-label comes
 * from at most 4 code points before NFC (the longest canonical
 * decomposition, U+1F82), each at most 2 code units; 8 × 253 + 1 < 2,048.
 */
export const MAX_NAME_TEXT = 2048;

const ROOT: ParsedName = Object.freeze({ name: '.', labels: Object.freeze([]) as readonly Uint8Array[], wireLength: 1 });
const label = new Uint8Array(64);

/** The caller's text as an error message quotes it: at most 255 characters of it. */
export function quoteName(input: string): string {
  return JSON.stringify(input.length > 255 ? `${input.slice(0, 255)}…` : input);
}

function bad(input: string, why: string): DnsError {
  return new DnsError('EBADNAME', `bad name ${quoteName(input)}: ${why}`);
}

/** Byte value of the character at `i`, with escapes; advances past it. */
function nextByte(input: string, at: { i: number }): number {
  const c = input.charCodeAt(at.i);
  if (c === 0x5c) {
    const v = readEscape(input, at.i + 1);
    if (v < 0) throw bad(input, `bad escape at ${at.i}`);
    const d = input.charCodeAt(at.i + 1);
    at.i += d >= 0x30 && d <= 0x39 ? 4 : 2;
    return v;
  }
  if (c < 0x20 || c > 0x7e) throw bad(input, `character ${c} at ${at.i} is not printable ASCII (escape it as \\DDD)`);
  at.i += 1;
  return c;
}

function pushLabel(input: string, labels: Uint8Array[], n: number, wire: number): number {
  const total = wire + n + 1;
  if (total > 255) throw bad(input, 'longer than 255 bytes on the wire');
  labels.push(label.slice(0, n));
  return total;
}

/**
 * Parse a caller-supplied name in presentation format (RFC 1035 §5.1):
 * labels separated by dots, with `\.`, `\\`, `\X` and `\DDD` escapes.
 * A trailing dot is allowed and changes nothing; `""` and `"."` are the root.
 *
 * Throws `DnsError('EBADNAME')` for a non-string, an empty label (`a..b`,
 * `.a`), a label over 63 bytes or a name over 255 bytes on the wire
 * (RFC 1035 §2.3.4; text over {@link MAX_NAME_TEXT} characters at once), a bad escape, or a character outside printable ASCII
 * (internationalised names must be given as A-labels, RFC 5890).
 */
export function parseName(input: string): ParsedName {
  if (typeof input !== 'string') throw new DnsError('EBADNAME', 'name must be a string');
  if (input === '' || input === '.') return ROOT;
  if (input.length > MAX_NAME_TEXT) throw bad(input, `${input.length} characters: longer than any name of 255 bytes on the wire`);
  const labels: Uint8Array[] = [];
  let wire = 1;
  let n = 0;
  let plain = true;
  const at = { i: 0 };
  while (at.i < input.length) {
    if (input.charCodeAt(at.i) === 0x2e) {
      if (n === 0) throw bad(input, 'empty label');
      wire = pushLabel(input, labels, n, wire);
      n = 0;
      at.i += 1;
      continue;
    }
    const c = input.charCodeAt(at.i);
    if (c === 0x5c || c === 0x20) plain = false;
    if (n === 63) throw bad(input, 'label longer than 63 bytes');
    label[n++] = nextByte(input, at);
  }
  if (n > 0) wire = pushLabel(input, labels, n, wire);
  // A plain name ending in a separator (n === 0) loses its trailing dot.
  const name = plain ? (n === 0 ? input.slice(0, -1) : input) : labelsText(labels);
  return { name, labels, wireLength: wire };
}

/**
 * Compare two names in canonical presentation form (as returned by
 * {@link parseName} and the decoder). Without `caseSensitive`, ASCII letters
 * compare equal regardless of case (RFC 4343 §3); other bytes exactly.
 */
export function namesEqual(a: string, b: string, caseSensitive: boolean): boolean {
  if (a === b) return true;
  if (caseSensitive || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x >= 0x41 && x <= 0x5a) x |= 0x20;
    if (y >= 0x41 && y <= 0x5a) y |= 0x20;
    if (x !== y) return false;
  }
  return true;
}
