/** random.ts: the caller's bytes, drawn in blocks of 256, in order. */
import { describe, expect, it } from 'vitest';
import { RandomPool } from '../../../src/core/random.js';

describe('RandomPool', () => {
  it('requires a fill function (there is no default)', () => {
    expect(() => new RandomPool(undefined)).toThrow(expect.objectContaining({ code: 'EBADOPTION' }) as Error);
  });

  it('reads 16-bit values little-endian from blocks of 256 bytes, refilling when one runs out', () => {
    let calls = 0;
    const pool = new RandomPool((b: Uint8Array) => {
      calls++;
      for (let i = 0; i < b.length; i++) b[i] = (i + calls) & 0xff;
    });
    expect(pool.u16()).toBe(1 | (2 << 8));
    for (let i = 1; i < 128; i++) pool.u16();
    expect(calls).toBe(1);
    expect(pool.u16()).toBe(2 | (3 << 8));
    expect(calls).toBe(2);
  });

  it('draws bytes from the same stream, two per 16-bit value', () => {
    const pool = new RandomPool((b: Uint8Array) => b.forEach((_, i) => (b[i] = i)));
    expect([...pool.bytes(3)]).toEqual([0, 1, 2]);
    expect(pool.u16()).toBe(4 | (5 << 8));
  });
});
