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
import { MAX_NAME_TEXT, quoteName } from './codec/name.js';

/** RFC 3492 §5 parameters: base 36, tmin 1, tmax 26, skew 38, damp 700, initial bias 72, initial n 128. */

/** RFC 3492 §6.1: bias adaptation. */
function adapt(d: number, points: number, first: boolean): number {
  d = first ? Math.floor(d / 700) : d >> 1;
  d += Math.floor(d / points);
  let k = 0;
  for (; d > 455; k += 36) d = Math.floor(d / 35);
  return k + Math.floor((36 * d) / (d + 38));
}

/** RFC 3492 §5: digit values 0–25 are a–z, 26–35 are 0–9. */
function digit(d: number): string {
  return String.fromCharCode(d < 26 ? 97 + d : 22 + d);
}

/**
 * Punycode encoding of a string of code points (RFC 3492 §6.3), without the
 * `xn--` prefix. `punycodeEncode('bücher')` is `'bcher-kva'`.
 */
function punycodeEncode(input: string): string {
  const cps = Array.from(input, (c) => c.codePointAt(0) as number);
  let out = input.replace(/[^\0-\x7f]/g, '');
  const basic = out.length;
  if (basic > 0) out += '-';
  let bias = 72;
  for (let n = 128, delta = 0, h = basic; h < cps.length; n++, delta++) {
    const m = Math.min(...cps.filter((c) => c >= n));
    delta += (m - n) * (h + 1);
    n = m;
    for (const c of cps) {
      if (c < n) delta++;
      if (c !== n) continue;
      // delta as a generalised variable-length integer (RFC 3492 §6.3)
      let q = delta;
      for (let k = 36; ; k += 36) {
        const t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
        if (q < t) break;
        out += digit(t + ((q - t) % (36 - t)));
        q = Math.floor((q - t) / (36 - t));
      }
      out += digit(q);
      bias = adapt(delta, h + 1, h === basic);
      delta = 0;
      h++;
    }
  }
  return out;
}

function bad(input: string, why: string): DnsError {
  return new DnsError('EBADNAME', `bad name ${quoteName(input)}: ${why}`);
}

/** What makes a U-label bad, and why (RFC 5892; RFC 5891 §5.4; §4.2.3.1 counts UTF-16 units, as before). */
const CHECKS: readonly (readonly [RegExp, string])[] = [
  [/[^\p{L}\p{M}\p{Nd}-]/u, 'holds a code point IDNA does not allow (RFC 5892)'],
  [/^\p{M}/u, 'starts with a combining mark (RFC 5891 §5.4)'],
  [/^-|-$|^..--/, 'has a hyphen first, last, or in positions 3 and 4 (RFC 5891 §4.2.3.1)'],
];

/** Any character beyond ASCII (one regular expression, not one per call: a literal is a new object each time it runs). */
const NON_ASCII = /[^\x00-\x7f]/;

/** One label to its A-label (or itself when it is ASCII). Throws `EBADNAME`. */
function toALabel(input: string, label: string): string {
  if (!NON_ASCII.test(label)) return label;
  const u = label.normalize('NFC').toLowerCase();
  // Punycode spends at least one character per code point: more than 59 cannot fit 63 with `xn--`.
  if (u.length > 59 && [...u].length > 59) throw bad(input, `label "${label.slice(0, 64)}…" is more than 63 bytes as an A-label (RFC 5890 §2.3.2.1)`);
  const a = `xn--${punycodeEncode(u)}`;
  const why = CHECKS.find(([re]) => re.test(u))?.[1] ?? (a.length > 63 ? `is ${a.length} bytes as an A-label, more than 63 (RFC 5890 §2.3.2.1)` : '');
  if (why) throw bad(input, `label "${label}" ${why}`);
  return a;
}

/**
 * A name as the caller wrote it, with every U-label replaced by its A-label
 * (RFC 5891 §4). Pure-ASCII input is returned as is (same string), so the
 * usual path costs one scan. Throws `DnsError('EBADNAME')` with the reason
 * for a label IDNA does not allow, for escapes mixed with non-ASCII text, or
 * for a name too long for 255 bytes on the wire: at once past
 * `MAX_NAME_TEXT` characters, else as soon as the A-labels so far are too
 * long, so the work is bounded whatever the input's length.
 */
export function toAscii(input: string): string {
  if (input.length > MAX_NAME_TEXT) throw bad(input, `${input.length} characters: longer than any name of 255 bytes on the wire`);
  if (!NON_ASCII.test(input)) return input;
  if (input.includes('\\')) throw bad(input, 'escapes cannot be mixed with non-ASCII text; write the A-label');
  const labels = input.split(/[.\u3002\uff0e\uff61]/);
  let out = '';
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i] as string;
    if (l === '' && i === labels.length - 1) return `${out}.`;
    out += (i === 0 ? '' : '.') + toALabel(input, l);
    // 253 characters without the final dot is 255 bytes on the wire (RFC 1035 §3.1).
    if (out.length > 253) throw bad(input, 'longer than 255 bytes on the wire');
  }
  return out;
}
