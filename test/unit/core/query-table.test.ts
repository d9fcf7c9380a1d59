/** query-table.ts: handles never reused, slots reused last-in first-out, lookups by handle and slot. */
import { describe, expect, it } from 'vitest';
import { QueryTable } from '../../../src/core/query-table.js';

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
    expect(table.issued(h + 2 ** 24)).toBe(false);
    expect(table.issued(0)).toBe(false);
    expect(table.issued(1.5)).toBe(false);
    expect(table.issued(Number.NaN)).toBe(false);
  });
});
