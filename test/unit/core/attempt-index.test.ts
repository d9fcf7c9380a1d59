/** attempt-index.ts: chains of attempts under one key, and a bounded memory of finished keys. */
import { describe, expect, it } from 'vitest';
import { AttemptIndex, type IdSource } from '../../../src/core/attempt-index.js';
import { FreeIds } from '../../../src/core/free-ids.js';
import type { Attempt } from '../../../src/core/query.js';

function attempt(key: number): Attempt {
  return { key, next: undefined } as unknown as Attempt;
}

describe('AttemptIndex', () => {
  it('chains attempts that share a key, newest first, and unlinks any of them', () => {
    const index = new AttemptIndex(8);
    const [a, b, c] = [attempt(65536 + 7), attempt(65536 + 7), attempt(65536 + 7)];
    index.add(a);
    index.add(b);
    index.add(c);
    expect(index.size).toBe(3);
    expect(index.get(65536 + 7)).toBe(c);
    expect(c.next).toBe(b);
    index.retire(b);
    expect(c.next).toBe(a);
    expect(b.next).toBeUndefined();
    index.retire(c);
    expect(index.get(65536 + 7)).toBe(a);
    expect(index.has(65536 + 7)).toBe(true);
    index.retire(a);
    expect(index.has(65536 + 7)).toBe(false);
    expect(index.size).toBe(0);
  });

  it('keys DoH attempts by -token in a map, like the others', () => {
    const index = new AttemptIndex(8);
    const d = attempt(-42);
    index.add(d);
    expect(index.get(-42)).toBe(d);
    expect(index.get(-43)).toBeUndefined();
    expect(index.get(12345)).toBeUndefined();
    index.retire(d);
    expect(index.get(-42)).toBeUndefined();
    expect(index.isRecent(-42)).toBe(true);
    expect(index.isRecent(-43)).toBe(false);
  });

  it('remembers the last recentLimit finished keys, a key as often as it finished', () => {
    const index = new AttemptIndex(3);
    for (const key of [1, 2, 2, -5]) {
      const a = attempt(key);
      index.add(a);
      index.retire(a);
    }
    expect(index.recentSize).toBe(3);
    expect(index.isRecent(1)).toBe(false);
    expect(index.isRecent(2)).toBe(true);
    expect(index.isRecent(-5)).toBe(true);
    for (const key of [9, 9]) {
      const a = attempt(key);
      index.add(a);
      index.retire(a);
    }
    expect(index.isRecent(2)).toBe(false);
    expect(index.isRecent(-5)).toBe(true);
    expect(index.isRecent(9)).toBe(true);
    expect(index.recentSize).toBe(3);
  });

  it('remembers nothing with recentLimit 0', () => {
    const index = new AttemptIndex(0);
    const a = attempt(3);
    index.add(a);
    index.retire(a);
    expect(index.isRecent(3)).toBe(false);
    expect(index.recentSize).toBe(0);
  });

  it('unlinks the middle, the tail and the head of a chain without walking it, and ignores an attempt not in it', () => {
    const index = new AttemptIndex(8);
    const key = 2 * 65536 + 9;
    const [a, b, c] = [attempt(key), attempt(key), attempt(key)];
    for (const x of [a, b, c]) index.add(x);
    expect([c.prev, c.next, b.prev, b.next, a.prev, a.next]).toEqual([undefined, b, c, a, b, undefined]);
    index.retire(b); // the middle: c and a are linked both ways
    expect([c.next, a.prev]).toEqual([a, c]);
    index.retire(a); // the tail
    expect(c.next).toBeUndefined();
    index.add(a);
    index.retire(a); // the head with a successor
    expect(index.get(key)).toBe(c);
    expect(c.prev).toBeUndefined();
    expect(index.size).toBe(1);
    index.retire(a); // no longer in the index: nothing changes but the memory of its key
    expect(index.size).toBe(1);
    expect(index.get(key)).toBe(c);
    index.retire(c);
    expect(index.size).toBe(0);
  });
});

/** A source that hands out these 16-bit values, in order. */
function draws(values: number[]): IdSource & { used: number } {
  const src = { used: 0, u16: () => values[src.used++] as number };
  return src;
}

describe('AttemptIndex.freshId (issue 13: unique IDs per slot while in flight, O(1))', () => {
  const live = (index: AttemptIndex, slot: number, id: number): Attempt => {
    const a = attempt(slot * 65536 + id);
    index.add(a);
    return a;
  };

  it('takes the first draw when it is free: one draw, as a plain redraw loop would', () => {
    const index = new AttemptIndex(8);
    const src = draws([1234]);
    expect(index.freshId(3, src)).toBe(1234);
    expect(src.used).toBe(1);
  });

  it('draws again while the ID is live on that slot (only that slot), up to 4 draws', () => {
    const index = new AttemptIndex(8);
    live(index, 1, 10);
    live(index, 1, 11);
    live(index, 1, 12);
    expect(index.freshId(1, draws([10, 11, 77]))).toBe(77);
    expect(index.freshId(2, draws([10]))).toBe(10);
    // Retired, the ID is free again.
    const a = live(index, 1, 500);
    index.retire(a);
    expect(index.freshId(1, draws([500]))).toBe(500);
  });

  it('after 4 taken draws, picks a free ID uniformly from two more draws instead of sharing a key', () => {
    const index = new AttemptIndex(8);
    for (const id of [5, 6, 7, 8]) live(index, 0, id);
    const src = draws([5, 6, 7, 8, 0, 0]);
    const id = index.freshId(0, src);
    expect(src.used).toBe(6);
    expect([5, 6, 7, 8]).not.toContain(id);
    expect(index.freshId(0, draws([5, 6, 7, 8, 0xffff, 0xffff]))).not.toBe(id);
  });

  it('with every ID of the slot live, takes the first draw (the question decides, in a chain)', () => {
    const index = new AttemptIndex(0);
    for (let id = 0; id < 65536; id++) live(index, 4, id);
    const src = draws([42, 43]);
    expect(index.freshId(4, src)).toBe(42);
    expect(src.used).toBe(1);
    const twin = live(index, 4, 42);
    expect(index.get(4 * 65536 + 42)?.next?.key).toBe(4 * 65536 + 42);
    index.retire(twin);
    expect(index.freshId(4, draws([42, 43]))).toBe(42);
    const only = index.get(4 * 65536 + 42) as Attempt;
    index.retire(only);
    // Its last holder gone, 42 is the one free ID: any draw picks it.
    expect(index.freshId(4, draws([1, 2, 3, 4, 0xffff, 0xffff]))).toBe(42);
  });
});

describe('FreeIds', () => {
  it('starts full, removes and adds in O(1), ignores a second remove or add', () => {
    const f = new FreeIds();
    expect(f.count).toBe(65536);
    f.remove(9);
    f.remove(9);
    expect(f.count).toBe(65535);
    expect(f.has(9)).toBe(false);
    expect(f.has(10)).toBe(true);
    f.add(9);
    f.add(9);
    expect(f.count).toBe(65536);
    expect(f.has(9)).toBe(true);
  });

  it('picks only free IDs, every one reachable, the place scaled from 32 random bits', () => {
    const f = new FreeIds();
    for (let id = 0; id < 65536; id++) if (id % 1000 !== 0) f.remove(id);
    expect(f.count).toBe(66);
    const seen = new Set<number>();
    for (let i = 0; i < 66; i++) {
      const bits = Math.floor(((i + 0.5) / 66) * 4294967296);
      seen.add(f.pick(Math.floor(bits / 65536), bits % 65536));
    }
    expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: 66 }, (_, i) => i * 1000));
    expect(f.pick(0xffff, 0xffff) % 1000).toBe(0);
  });
});
