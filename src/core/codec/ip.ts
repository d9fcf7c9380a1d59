/**
 * IP addresses, the one parser and formatter of the package: bytes to text
 * (RFC 1035 §3.4.1 dotted quad; RFC 5952 §4 for IPv6: lower case, longest
 * zero run compressed) and text to bytes (IPv4 in dotted-quad form, IPv6 in
 * any RFC 4291 §2.2 text form). The codec reads and writes A and AAAA rdata
 * with it; server strings, resolv.conf and hosts files normalise addresses
 * with {@link normalizeIP}, so that a peer reported by a socket matches the
 * configured server.
 */

const DOTTED = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/**
 * The text of the last IPv4 addresses formatted, one slot per last byte: at
 * `d` the text of an address ending in `d`, at `256 + d` its first three
 * bytes. A resolver reads the same addresses again and again, and a string is
 * immutable, so the same text is shared instead of built anew (issue 13: a
 * dotted quad costs five strings). Shared by every core of the process; at
 * most 256 short strings, and no result changes. Made at its full length, so
 * V8 keeps it a plain array (written out of order, it fell to a dictionary).
 */
const V4: (string | number)[] = new Array(512).fill(-1);

/** Dotted-quad text of the 4 bytes at `p` (RFC 1035 §3.4.1). */
export function formatIPv4(b: Uint8Array, p: number): string {
  const d = b[p + 3] as number;
  const head = ((b[p] as number) << 16) | ((b[p + 1] as number) << 8) | (b[p + 2] as number);
  if (V4[256 + d] === head) return V4[d] as string;
  V4[256 + d] = head;
  return (V4[d] = `${b[p] as number}.${b[p + 1] as number}.${b[p + 2] as number}.${d}`);
}

/** RFC 5952 §4 text of the 16 bytes at `p`: lower case, longest run (≥ 2) of zero groups compressed, first on ties. */
export function formatIPv6(b: Uint8Array, p: number): string {
  let best = -1;
  let bestLen = 1;
  let run = 0;
  for (let g = 0; g < 8; g++) {
    run = b[p + 2 * g] === 0 && b[p + 2 * g + 1] === 0 ? run + 1 : 0;
    if (run > bestLen) {
      bestLen = run;
      best = g - run + 1;
    }
  }
  let out = '';
  for (let g = 0; g < 8; g++) {
    if (g === best) {
      out += '::';
      g += bestLen - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += (((b[p + 2 * g] as number) << 8) | (b[p + 2 * g + 1] as number)).toString(16);
  }
  return out;
}

/** True for a dotted-quad IPv4 address (no leading zeros). */
export function isIPv4(text: string): boolean {
  return DOTTED.test(text);
}

/** The 4 bytes of a dotted-quad address (no leading zeros), or `undefined`. */
export function parseIPv4(text: string): Uint8Array | undefined {
  const m = DOTTED.exec(text);
  return m === null ? undefined : Uint8Array.of(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]));
}

/** Groups of one side of `::` into `out`; the last may be dotted IPv4. @returns the count or -1. */
function groups(part: string, out: Uint8Array, v4Allowed: boolean): number {
  if (part === '') return 0;
  const items = part.split(':');
  let g = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as string;
    const v4 = v4Allowed && i === items.length - 1 ? parseIPv4(item) : undefined;
    if (v4 !== undefined && 2 * g + 4 <= 16) {
      out.set(v4, 2 * g);
      return g + 2;
    }
    if (!HEX_GROUP.test(item) || 2 * g + 2 > 16) return -1;
    const v = parseInt(item, 16);
    out[2 * g] = v >>> 8;
    out[2 * g + 1] = v & 0xff;
    g++;
  }
  return g;
}

/** The 16 bytes of an IPv6 address in any RFC 4291 §2.2 text form, or `undefined`. */
export function parseIPv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = new Uint8Array(16);
  const h = groups(halves[0] as string, head, halves.length === 1);
  if (h < 0) return undefined;
  if (halves.length === 1) return h === 8 ? head : undefined;
  const tail = new Uint8Array(16);
  const t = groups(halves[1] as string, tail, true);
  if (t < 0 || h + t > 7) return undefined;
  head.set(tail.subarray(0, 2 * t), 16 - 2 * t);
  return head;
}

/** The eight 16-bit groups of an IPv6 address (see {@link parseIPv6}), or `undefined`. */
export function ipv6Groups(text: string): number[] | undefined {
  const b = parseIPv6(text);
  if (b === undefined) return undefined;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] as number) << 8) | (b[i + 1] as number));
  return groups;
}

/** An IP address in normal form (IPv4 as given, IPv6 per RFC 5952 §4); `undefined` when it is neither. */
export function normalizeIP(text: string): string | undefined {
  if (isIPv4(text)) return text;
  const b = parseIPv6(text);
  return b && formatIPv6(b, 0);
}
