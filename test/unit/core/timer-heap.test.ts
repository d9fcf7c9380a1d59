/** timer-heap.ts: earliest deadline first, ties in arming order, against a reference list under random operations. */
import { describe, expect, it } from 'vitest';
import { TimerHeap } from '../../../src/core/timer-heap.js';
import { testRandom } from '../../helpers/core-harness.js';

/** Pop every timer: ids in firing order. */
function drain(heap: TimerHeap): number[] {
  const out: number[] = [];
  while (heap.size > 0) {
    const id = heap.peekId();
    out.push(id);
    heap.delete(id);
  }
  return out;
}

describe('TimerHeap', () => {
  it('reports nothing when empty', () => {
    const heap = new TimerHeap();
    expect(heap.size).toBe(0);
    expect(heap.peekAt()).toBeUndefined();
  });

  it('fires the earliest deadline first; equal deadlines in the order they were armed', () => {
    const heap = new TimerHeap();
    heap.set(3, 50);
    heap.set(1, 20);
    heap.set(7, 50);
    heap.set(2, 20);
    expect(heap.peekAt()).toBe(20);
    expect(drain(heap)).toEqual([1, 2, 3, 7]);
  });

  it('moves a re-armed timer, behind the others of its new deadline', () => {
    const heap = new TimerHeap();
    heap.set(1, 10);
    heap.set(2, 30);
    heap.set(3, 30);
    heap.set(1, 30);
    expect(heap.size).toBe(3);
    expect(drain(heap)).toEqual([2, 3, 1]);
    heap.set(4, 100);
    heap.set(4, 5);
    expect(heap.peekAt()).toBe(5);
  });

  it('deletes from the middle and grows past its first 64 slots and ids', () => {
    const heap = new TimerHeap();
    for (let id = 0; id < 200; id++) heap.set(id * 3 + 1000, 1000 - id);
    heap.delete(3 * 150 + 1000);
    heap.delete(3 * 199 + 1000);
    expect(heap.size).toBe(198);
    expect(heap.peekAt()).toBe(802);
    const order = drain(heap);
    expect(order[0]).toBe(3 * 198 + 1000);
    expect(order).not.toContain(3 * 150 + 1000);
    expect(order.at(-1)).toBe(1000);
  });

  it('agrees with a sorted reference list under 5,000 random set/delete operations', () => {
    const fill = testRandom(7);
    const byte = (): number => {
      const b = new Uint8Array(1);
      fill(b);
      return b[0]!;
    };
    const heap = new TimerHeap();
    const model = new Map<number, { at: number; seq: number }>();
    let seq = 0;
    for (let i = 0; i < 5000; i++) {
      const id = byte() % 40;
      if (byte() % 4 === 0 && model.has(id)) {
        heap.delete(id);
        model.delete(id);
      } else {
        const at = byte() % 16;
        heap.set(id, at);
        model.set(id, { at, seq: seq++ });
      }
      const first = [...model.entries()].sort((a, b) => a[1].at - b[1].at || a[1].seq - b[1].seq)[0];
      expect(heap.size).toBe(model.size);
      expect(heap.peekAt()).toBe(first?.[1].at);
      if (first !== undefined) expect(heap.peekId()).toBe(first[0]);
    }
  });
});
