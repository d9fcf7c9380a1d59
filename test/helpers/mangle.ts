/**
 * Edits of a valid message for property tests: overwritten bytes and forged
 * compression pointers, as `codec-hostile.test.ts` makes them (shared by the
 * wire-matching and wire-screening properties).
 */
import fc from 'fast-check';

/** Up to three edits: (position, byte, whether it writes a compression pointer). */
export const editsArb = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()), { maxLength: 3 });

/** A copy of `b` with `edits` applied. */
export function mangle(b: Uint8Array, edits: readonly (readonly [number, number, boolean])[]): Uint8Array {
  const c = b.slice();
  for (const [at, v, pointer] of edits) {
    const i = at % (c.length - 1);
    c[i] = pointer ? 0xc0 | (v & 0x3f) : v;
    if (pointer) c[i + 1] = v;
  }
  return c;
}
