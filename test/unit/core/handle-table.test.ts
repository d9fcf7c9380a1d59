/** handle-table.ts: the same answers as a `Map` under random operations, colliding handles, growth, and stale values cleared. */
import { describe, expect, it } from 'vitest';
import { HandleTable } from '../../../src/core/handle-table.js';
import { testRandom } from '../../helpers/core-harness.js';

/** Handles as the core makes them (generation × 2^24 + slot + 1), from a few slots so that many collide. */
function handleOf(gen: number, slot: number): number {
  return gen * 2 ** 24 + slot + 1;
}

describe('HandleTable', () => {
  it('is empty at first', () => {
    const t = new HandleTable<string>();
    expect(t.size).toBe(0);
    expect(t.get(1)).toBeUndefined();
    expect(t.delete(1)).toBe(false);
    expect(t.list()).toEqual([]);
  });

  it('sets, replaces and deletes, counting entries', () => {
    const t = new HandleTable<string>();
    t.set(5, 'a');
    t.set(handleOf(300, 4), 'b'); // above 2^32
    t.set(5, 'c');
    expect(t.size).toBe(2);
    expect(t.get(5)).toBe('c');
    expect(t.get(handleOf(300, 4))).toBe('b');
    expect(t.delete(5)).toBe(true);
    expect(t.delete(5)).toBe(false);
    expect(t.get(5)).toBeUndefined();
    expect(t.size).toBe(1);
  });

  it('keeps a handle whose value is undefined (a key without value, as a Map does)', () => {
    const t = new HandleTable<string | undefined>();
    t.set(9, undefined);
    expect(t.size).toBe(1);
    expect(t.list()).toEqual([undefined]);
    expect(t.delete(9)).toBe(true);
    expect(t.size).toBe(0);
  });

  it('agrees with a Map under 20,000 random set/get/delete operations, through growth', () => {
    const fill = testRandom(13);
    const bytes = new Uint8Array(4);
    const t = new HandleTable<number>();
    const ref = new Map<number, number>();
    for (let step = 0; step < 20_000; step++) {
      fill(bytes);
      // Up to 1,000 live handles early, fewer later: the table grows, then deletes shift runs back.
      const h = handleOf(bytes[0] as number & 7, ((bytes[1] as number) << 2 | (bytes[2] as number) & 3) % (step < 10_000 ? 1000 : 40));
      const op = (bytes[3] as number) % 3;
      if (op === 0) {
        t.set(h, step);
        ref.set(h, step);
      } else if (op === 1) {
        expect(t.delete(h)).toBe(ref.delete(h));
      } else {
        expect(t.get(h)).toBe(ref.get(h));
      }
      expect(t.size).toBe(ref.size);
    }
    for (const [h, v] of ref) expect(t.get(h)).toBe(v);
    expect(t.list().sort((a, b) => a - b)).toEqual([...ref.values()].sort((a, b) => a - b));
  });

  it('holds no value of a deleted handle (what a Map table copied on growth keeps, issue 13)', () => {
    const t = new HandleTable<object>();
    const kept = { kept: true };
    for (let i = 1; i <= 200; i++) t.set(i, { i });
    for (let i = 1; i <= 200; i++) if (i !== 77) t.delete(i);
    t.set(1000, kept);
    const values = (t as unknown as { values: unknown[] }).values;
    const held = values.filter((v) => v !== undefined);
    expect(held).toHaveLength(2);
    expect(held).toContain(kept);
    expect(held).toContainEqual({ i: 77 });
  });
});
