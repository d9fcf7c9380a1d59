/**
 * Internationalised names: U-labels in, A-labels out (IDNA2008, RFC 5891
 * §4–5, with the UTS #46 habits callers expect: dots U+3002, U+FF0E and
 * U+FF61 separate labels, upper case is folded to lower case, text is NFC).
 * Punycode is RFC 3492, written here (no dependency).
 *
 * The checks are the basic ones of RFC 5891 §5.4 and RFC 5892, not the whole
 * derived-property table: a U-label holds letters, marks, digits and hyphens
 * only (`\p{L}`, `\p{M}`, `\p{Nd}`, `-`), does not start with a mark
 * (RFC 5891 §5.4), has no hyphen first or last and none in both positions 3
 * and 4 (RFC 5891 §4.2.3.1), and its A-label fits 63 bytes (RFC 5890 §2.3.2.1).
 * Bidi (RFC 5893) and contextual rules (RFC 5892 Appendix A) are not checked.
 */
import { DnsError } from './errors.js';

const BASE = 36;
const TMIN = 1;
const TMAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;

/** RFC 3492 §6.1: bias adaptation. */
function adapt(delta: number, points: number, first: boolean): number {
  let d = first ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / points);
  let k = 0;
  while (d > ((BASE - TMIN) * TMAX) >> 1) {
    d = Math.floor(d / (BASE - TMIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - TMIN + 1) * d) / (d + SKEW));
}

function digit(d: number): string {
  return String.fromCharCode(d < 26 ? 0x61 + d : 0x16 + d);
}

/** Write `q` as a generalised variable-length integer (RFC 3492 §6.3). */
function writeVarint(q: number, bias: number, out: string[]): void {
  for (let k = BASE; ; k += BASE) {
    const t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
    if (q < t) return void out.push(digit(q));
    out.push(digit(t + ((q - t) % (BASE - t))));
    q = Math.floor((q - t) / (BASE - t));
  }
}

/**
 * Punycode encoding of a string of code points (RFC 3492 §6.3), without the
 * `xn--` prefix. `punycodeEncode('bücher')` is `'bcher-kva'`.
 */
export function punycodeEncode(input: string): string {
  const cps = Array.from(input, (c) => c.codePointAt(0) as number);
  const out: string[] = cps.filter((c) => c < 0x80).map((c) => String.fromCharCode(c));
  const basic = out.length;
  if (basic > 0) out.push('-');
  let n = INITIAL_N;
  let delta = 0;
  let bias = INITIAL_BIAS;
  for (let h = basic; h < cps.length; n++, delta++) {
    const m = Math.min(...cps.filter((c) => c >= n));
    delta += (m - n) * (h + 1);
    n = m;
    for (const c of cps) {
      if (c < n) delta++;
      if (c !== n) continue;
      writeVarint(delta, bias, out);
      bias = adapt(delta, h + 1, h === basic);
      delta = 0;
      h++;
    }
  }
  return out.join('');
}

function bad(input: string, why: string): DnsError {
  return new DnsError('EBADNAME', `bad name ${JSON.stringify(input)}: ${why}`);
}

const ALLOWED = /^[\p{L}\p{M}\p{Nd}-]+$/u;
const LEADING_MARK = /^\p{M}/u;

/** One label to its A-label (or itself when it is ASCII). Throws `EBADNAME`. */
function toALabel(input: string, label: string): string {
  if (!/[^\x00-\x7f]/.test(label)) return label;
  const u = label.normalize('NFC').toLowerCase();
  if (!ALLOWED.test(u)) throw bad(input, `label "${label}" holds a code point IDNA does not allow (RFC 5892)`);
  if (LEADING_MARK.test(u)) throw bad(input, `label "${label}" starts with a combining mark (RFC 5891 §5.4)`);
  if (u.startsWith('-') || u.endsWith('-')) throw bad(input, `label "${label}" starts or ends with a hyphen (RFC 5891 §4.2.3.1)`);
  if (u.slice(2, 4) === '--') throw bad(input, `label "${label}" has hyphens in positions 3 and 4 (RFC 5891 §4.2.3.1)`);
  const a = `xn--${punycodeEncode(u)}`;
  if (a.length > 63) throw bad(input, `label "${label}" is ${a.length} bytes as an A-label, more than 63 (RFC 5890 §2.3.2.1)`);
  return a;
}

/**
 * A name as the caller wrote it, with every U-label replaced by its A-label
 * (RFC 5891 §4). Pure-ASCII input is returned as is (same string), so the
 * usual path costs one scan. Throws `DnsError('EBADNAME')` with the reason
 * for a label IDNA does not allow, or for escapes mixed with non-ASCII text.
 */
export function toAscii(input: string): string {
  if (!/[^\x00-\x7f]/.test(input)) return input;
  if (input.includes('\\')) throw bad(input, 'escapes cannot be mixed with non-ASCII text; write the A-label');
  return input.split(/[.\u3002\uff0e\uff61]/).map((l, i, all) => (l === '' && i === all.length - 1 ? l : toALabel(input, l))).join('.');
}
