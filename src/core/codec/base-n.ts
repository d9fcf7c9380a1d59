/**
 * Bytes as text, the data encodings of RFC 4648: base16 (§8, lower-case hex:
 * trace records, dig's generic rdata of RFC 3597 §5), base64 (§4, padded:
 * cache snapshots) and base64url (§5, unpadded, as RFC 8484 §4.1 writes a
 * DNS message in the `dns` parameter of a GET). No `Buffer`: plain tables,
 * so the same code runs in browsers, workers, Deno, Bun and Node.
 */

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Value of each base64url character, -1 for the rest (built only in a bundle that decodes). */
const LOOKUP = /* @__PURE__ */ ((): Int16Array => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) table[BASE64URL.charCodeAt(i)] = i;
  return table;
})();

/** Lower-case hex of bytes (RFC 4648 §8). */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] as number).toString(16).padStart(2, '0');
  return s;
}

/** Bytes of hex text (two digits a byte). */
export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Unpadded base64 of `bytes` in `alphabet`. */
function encode(bytes: Uint8Array, alphabet: string): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const x of bytes) {
    acc = ((acc << 8) | x) & 0xffff;
    for (bits += 8; bits >= 6; ) out += alphabet[(acc >>> (bits -= 6)) & 63];
  }
  return bits > 0 ? out + alphabet[(acc << (6 - bits)) & 63] : out;
}

/** Unpadded base64url of `bytes` (RFC 4648 §5, RFC 8484 §4.1). */
export function base64urlEncode(bytes: Uint8Array): string {
  return encode(bytes, BASE64URL);
}

/**
 * Bytes of unpadded base64url, strictly: only the 64 characters of the URL
 * alphabet, no padding, no whitespace, no length of the form 4n+1, and no
 * stray bits in the last character. `undefined` for anything else.
 */
export function base64urlDecode(text: string): Uint8Array | undefined {
  const n = text.length;
  if (n % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((n * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? (LOOKUP[c] as number) : -1;
    if (v < 0) return undefined;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  // Leftover bits must be zero (canonical encoding, RFC 4648 §3.5).
  if ((acc & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

/** Padded base64 of `bytes` (RFC 4648 §4): what `btoa` writes for them. */
export function base64Encode(bytes: Uint8Array): string {
  const s = encode(bytes, BASE64);
  return s + '='.repeat((4 - (s.length % 4)) % 4);
}

/**
 * Bytes of base64 text, as `atob` reads it (the forgiving decode of the
 * HTML standard: ASCII whitespace skipped, padding optional); `undefined`
 * when it is not base64.
 */
export function base64Decode(text: string): Uint8Array | undefined {
  let s: string;
  try {
    s = atob(text);
  } catch {
    return undefined;
  }
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
