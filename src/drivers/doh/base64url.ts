/**
 * Unpadded base64url (RFC 4648 §5), as RFC 8484 §4.1 writes a DNS message
 * in the `dns` parameter of a GET. No `Buffer`, no `btoa`: plain tables, so
 * the same code runs in browsers, workers, Deno, Bun and Node.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** Unpadded base64url of `bytes` (RFC 4648 §5, RFC 8484 §4.1). */
export function base64urlEncode(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const x of bytes) {
    acc = ((acc << 8) | x) & 0xffff;
    for (bits += 8; bits >= 6; ) out += ALPHABET[(acc >>> (bits -= 6)) & 63];
  }
  return bits > 0 ? out + ALPHABET[(acc << (6 - bits)) & 63] : out;
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
