/** query-table.ts: handles never reused, slots reused last-in first-out, lookups by handle and slot. */
import { describe, expect, it } from 'vitest';
import { QueryTable } from '../../../src/core/query-table.js';
import { HandleTable } from '../../../src/core/handle-table.js';
import { STANDARD_POLICIES } from '../../../src/core/policies.js';

describe('QueryTable', () => {
  it('stores under the handle and slot it announced', () => {
    const table = new QueryTable<string>();
    expect(table.nextSlot()).toBe(0);
    const h = table.nextHandle();
    table.add('a');
    expect(table.get(h)).toBe('a');
    expect(table.bySlot(0)).toBe('a');
    expect(table.size).toBe(1);
    expect(table.issued(h)).toBe(true);
  });

  it('reuses the last freed slot first, under a handle never issued before', () => {
    const table = new QueryTable<string>();
    const handles: number[] = [];
    for (const v of ['a', 'b', 'c']) {
      handles.push(table.nextHandle());
      table.add(v);
    }
    table.delete(handles[0]!);
    table.delete(handles[2]!);
    expect(table.nextSlot()).toBe(2);
    const h = table.nextHandle();
    table.add('d');
    expect(handles).not.toContain(h);
    expect(table.bySlot(2)).toBe('d');
    expect(table.get(handles[2]!)).toBeUndefined();
    expect(table.get(h)).toBe('d');
    expect(table.nextSlot()).toBe(0);
    expect(table.values()).toEqual(['b', 'd']);
  });

  it('issues handles for queries that end in the call: never in flight, never reused', () => {
    const table = new QueryTable<string>();
    const seen = new Set<number>();
    for (let i = 0; i < 100; i++) {
      const h = table.issue();
      expect(seen.has(h)).toBe(false);
      seen.add(h);
      expect(table.issued(h)).toBe(true);
      expect(table.get(h)).toBeUndefined();
    }
    expect(table.size).toBe(0);
  });

  it('knows which handles were issued', () => {
    const table = new QueryTable<string>();
    expect(table.issued(1)).toBe(false);
    const h = table.issue();
    expect(table.issued(h)).toBe(true);
    expect(table.issued(h + 1)).toBe(false);
    expect(table.issued(0)).toBe(false);
    expect(table.issued(1.5)).toBe(false);
    expect(table.issued(Number.NaN)).toBe(false);
  });

  it('issues handles in start order, small integers however often a slot is reused (issue 13: no boxed numbers)', () => {
    const table = new QueryTable<number>();
    const live: number[] = [];
    for (let i = 0; i < 100; i++) {
      live.push(table.nextHandle());
      table.add(i);
    }
    // 100,000 queries through 100 slots: each slot reused about 1,000 times (a slot's generation × 2^24 left 2^31 at 128).
    for (let i = 100; i < 100_100; i++) {
      const k = (i * 7919) % live.length;
      const old = live[k] as number;
      table.delete(old);
      expect(table.get(old)).toBeUndefined();
      const h = table.nextHandle();
      expect(h).toBe(i + 1);
      table.add(i);
      live[k] = h;
    }
    expect(table.size).toBe(100);
    expect(Math.max(...live)).toBe(100_100);
    for (const h of live) expect(table.get(h)).toBe(h - 1);
    expect(table.issued(100_100)).toBe(true);
    expect(table.issued(100_101)).toBe(false);
  });

  it('ignores the deletion of a handle not in flight, and a stale handle never finds the query now in its slot', () => {
    const table = new QueryTable<string>();
    const a = table.nextHandle();
    table.add('a');
    table.delete(a);
    table.delete(a);
    table.delete(table.issue());
    expect(table.size).toBe(0);
    const b = table.nextHandle();
    expect(table.nextSlot()).toBe(0);
    table.add('b');
    expect(table.get(a)).toBeUndefined();
    expect(table.get(b)).toBe('b');
    expect(table.nextSlot()).toBe(1);
  });

  it('works the same over the HandleTable the udp policy gives (no outgrown Map tables for the scavenger, issue 13)', () => {
    const slots = STANDARD_POLICIES.udp!.slots();
    expect(slots).toBeInstanceOf(HandleTable);
    const table = new QueryTable<number>(slots);
    const live: number[] = [];
    for (let i = 0; i < 5000; i++) {
      if (live.length === 50) table.delete(live.splice((i * 31) % 50, 1)[0] as number);
      const h = table.nextHandle();
      table.add(h * 2);
      live.push(h);
    }
    expect(table.size).toBe(50);
    expect(slots.size).toBe(50);
    for (const h of live) expect(table.get(h)).toBe(h * 2);
    expect(table.get(1)).toBeUndefined();
  });
});
