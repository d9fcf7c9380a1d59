/**
 * Integers read from wire bytes in network order (RFC 1035 §2.3.2: most
 * significant byte first). The one reader of 16-bit fields that the walk,
 * the rdata layouts and the decoder share.
 */

/** The 16-bit unsigned integer at `p` (big-endian). The caller checked that `p + 1` is in bounds. */
export function u16(b: Uint8Array, p: number): number {
  return ((b[p] as number) << 8) | (b[p + 1] as number);
}
