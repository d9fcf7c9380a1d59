/**
 * NSEC and NSEC3 type bitmaps (RFC 4034 §4.1.2): windows of up to 256
 * types, each written only when it has a type, with trailing zero octets
 * left out.
 */
import { typeFromInput } from '../../core/codec/index.js';

/** The type bitmap of `types` (mnemonics or numbers). */
export function typeBitmap(types: readonly (string | number)[]): Uint8Array {
  const codes = [...new Set(types.map((t) => typeFromInput(t)))].sort((a, b) => a - b);
  const out: number[] = [];
  for (let i = 0; i < codes.length;) {
    const window = (codes[i] as number) >> 8;
    const bits = new Uint8Array(32);
    let last = 0;
    for (; i < codes.length && (codes[i] as number) >> 8 === window; i++) {
      const low = (codes[i] as number) & 0xff;
      bits[low >> 3] = (bits[low >> 3] as number) | (0x80 >> (low & 7));
      last = low >> 3;
    }
    out.push(window, last + 1, ...bits.subarray(0, last + 1));
  }
  return Uint8Array.from(out);
}
