/** attempt-index.ts: chains of attempts under one key, and a bounded memory of finished keys. */
import { describe, expect, it } from 'vitest';
import { AttemptIndex } from '../../../src/core/attempt-index.js';
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
});
