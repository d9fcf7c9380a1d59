/**
 * Queries in flight by handle. Handles are issued in order, 1, 2, 3, ...,
 * so one is never issued twice and stays a small integer (a V8 Smi up to
 * 2^30, about a billion queries): an earlier layout, a slot's generation
 * times 2^24 plus the slot, passed 2^31 after a slot's 128th reuse, and from
 * then on every handle stored in a transmit, an event or a table was a boxed
 * number, about 6 allocations per query (issue 13). A query lives in a slot;
 * finished slots are reused last-in first-out, so the memory a new query
 * touches is warm. A handle finds its slot through the table the core is
 * given: the `udp` policy gives a `HandleTable` (`handle-table.ts`), as the
 * Node driver's own tables are. A `Map` (the default, so the DoH app carries
 * no second table class) leaves a chain of outgrown tables behind it, and
 * once one of them is in the old generation every later one is promoted by
 * the next scavenge: after a full GC, ~300 KB per scavenge here (issue 13).
 */
import type { HandleMap } from './handle-table.js';

export class QueryTable<T> {
  private readonly items: (T | undefined)[] = [];
  private readonly free: number[] = [];
  /** The handle the next query gets. */
  private next = 1;

  /** @param slots the slot of each handle in flight (default: a `Map`; see the file's comment). */
  constructor(private readonly slots: HandleMap<number> = new Map<number, number>()) {}

  get size(): number {
    return this.slots.size;
  }

  /** The slot the next `add` will use. */
  nextSlot(): number {
    return this.free.length > 0 ? (this.free[this.free.length - 1] as number) : this.items.length;
  }

  /** The handle the next `add` will be known by. */
  nextHandle(): number {
    return this.next;
  }

  /** Store `value` under the handle `nextHandle()` returned, in the slot `nextSlot()` returned. */
  add(value: T): void {
    const slot = this.free.pop() ?? this.items.length;
    this.items[slot] = value;
    this.slots.set(this.next++, slot);
  }

  /** Issue a handle for a query that ends within the call that starts it (a cache hit): never reused, never in flight. */
  issue(): number {
    return this.next++;
  }

  /** True when `handle` was ever issued (by `issue`, or by `nextHandle` and then `add`). */
  issued(handle: number): boolean {
    return Number.isInteger(handle) && handle >= 1 && handle < this.next;
  }

  /** The value in `slot`. */
  bySlot(slot: number): T | undefined {
    return this.items[slot];
  }

  /** The value of `handle` while it is in flight. */
  get(handle: number): T | undefined {
    const slot = this.slots.get(handle);
    return slot === undefined ? undefined : this.items[slot];
  }

  /** End `handle`: its slot is free for the next `add`. Nothing when it is not in flight. */
  delete(handle: number): void {
    const slot = this.slots.get(handle);
    if (slot === undefined) return;
    this.slots.delete(handle);
    this.items[slot] = undefined;
    this.free.push(slot);
  }

  /** Every value in flight, in slot order. */
  values(): T[] {
    const out: T[] = [];
    for (const v of this.items) if (v !== undefined) out.push(v);
    return out;
  }
}
