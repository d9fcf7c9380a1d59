/**
 * Text the way Node's resolver (c-ares) writes it, from the core's
 * presentation text (RFC 1035 §5.1):
 *
 * - names: c-ares escapes `"` `$` `(` `)` `.` `;` `@` `\` with a backslash,
 *   writes bytes below 0x20 and from 0x7f as `\DDD`, and leaves a space as it
 *   is; the core writes `\032` for a space and escapes only `.` and `\`.
 * - character-strings of NAPTR and CAA: Node gives the bytes as Latin-1; the
 *   core gives presentation text (`\\`, `\DDD`).
 * - IPv6: c-ares writes an address whose first 96 bits are zero (except `::`
 *   and `::N`) or whose first 80 are zero and next 16 are one with a dotted
 *   IPv4 tail (`::1.2.3.4`, `::ffff:1.2.3.4`), as `inet_ntop` does; the core
 *   writes RFC 5952 §4 text (`::102:304`). Everything else is the same.
 *
 * And the names c-ares sends at all: after IDNA, host name characters only
 * (`A-Z a-z 0-9 - _ / *`, any byte from 0x80), else `EBADNAME`.
 */

const RESERVED = new Set([0x22, 0x24, 0x28, 0x29, 0x2e, 0x3b, 0x40, 0x5c]);
const NEEDS_WORK = /[\\"$();@]/;

/** The bytes of presentation text: `\DDD` and `\X` decoded, other characters as their code units. */
function presentationBytes(text: string, each: (byte: number, escaped: boolean) => void): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x5c || i + 1 >= text.length) {
      each(c, false);
      continue;
    }
    const d = text.charCodeAt(i + 1);
    if (d >= 0x30 && d <= 0x39) {
      each(Number(text.slice(i + 1, i + 4)), true);
      i += 3;
    } else {
      each(d, true);
      i += 1;
    }
  }
}

const ddd = (b: number): string => `\\${String(b).padStart(3, '0')}`;

/** A name in the core's presentation text, as c-ares writes it (see above). Labels stay separated by bare dots. */
export function aresName(name: string): string {
  if (!NEEDS_WORK.test(name)) return name;
  let out = '';
  presentationBytes(name, (b, escaped) => {
    if (b === 0x2e && !escaped) out += '.';
    else if (b < 0x20 || b >= 0x7f) out += ddd(b);
    else out += RESERVED.has(b) ? `\\${String.fromCharCode(b)}` : String.fromCharCode(b);
  });
  return out;
}

/** A character-string in the core's presentation text as Latin-1 text of its bytes (Node's `OneByteString`). */
export function latin1String(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  presentationBytes(text, (b) => {
    out += String.fromCharCode(b);
  });
  return out;
}

/** An IPv6 address (RFC 5952 text, as the core writes it) as `inet_ntop` writes it (see above). */
export function ntop6(text: string): string {
  if (!text.startsWith('::')) return text;
  const rest = text.slice(2);
  const groups = rest === '' ? [] : rest.split(':');
  // ::a:b (first six groups zero, a ≠ 0) and ::ffff:a:b (first five zero) get a dotted tail.
  const mapped = groups.length === 3 && groups[0] === 'ffff';
  if (groups.length !== 2 && !mapped) return text;
  const [hi, lo] = mapped ? [groups[1], groups[2]] : [groups[0], groups[1]];
  if (hi === undefined || lo === undefined || rest.includes('.')) return text;
  const h = parseInt(hi, 16);
  const l = parseInt(lo, 16);
  const dotted = `${h >> 8}.${h & 0xff}.${l >> 8}.${l & 0xff}`;
  return mapped ? `::ffff:${dotted}` : `::${dotted}`;
}

/** Whether c-ares sends a query for `name` (ASCII after IDNA): every byte a host name character, escapes decoded. */
export function aresSends(name: string): boolean {
  let ok = true;
  presentationBytes(name, (b, escaped) => {
    if (b === 0x2e && !escaped) return;
    const hostChar = (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a)
      || b === 0x2d || b === 0x5f || b === 0x2f || b === 0x2a || b === 0x2e || b >= 0x80;
    if (!hostChar) ok = false;
  });
  return ok;
}
