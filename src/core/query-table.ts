/**
 * Queries in flight by handle. A handle names a slot and the generation of
 * that slot: finished slots are reused last-in first-out, so the memory a new
 * query touches is warm, while a handle is never issued twice (the generation
 * grows on every reuse). Lookup is one array access whatever the number in
 * flight.
 */

const SLOT_SPACE = 2 ** 24;

export class QueryTable<T> {
  private readonly items: (T | undefined)[] = [];
  private readonly gens: number[] = [];
  private readonly free: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The slot the next `add` will use. */
  nextSlot(): number {
    return this.free.length > 0 ? (this.free[this.free.length - 1] as number) : this.items.length;
  }

  /** The handle the next `add` will be known by. */
  nextHandle(): number {
    const slot = this.nextSlot();
    const gen = slot < this.items.length ? (this.gens[slot] as number) + 1 : 0;
    return gen * SLOT_SPACE + slot + 1;
  }

  /** Store `value` under the handle `nextHandle()` returned. */
  add(value: T): void {
    const reused = this.free.pop();
    if (reused === undefined) {
      this.items.push(value);
      this.gens.push(0);
    } else {
      this.items[reused] = value;
      this.gens[reused] = (this.gens[reused] as number) + 1;
    }
    this.count++;
  }

  /** Issue a handle for a query that ends within the call that starts it (a cache hit): never reused, never in flight. */
  issue(): number {
    const handle = this.nextHandle();
    this.add(undefined as T);
    this.delete(handle);
    return handle;
  }

  /** True when `handle` was ever returned by `nextHandle` and then added. */
  issued(handle: number): boolean {
    if (!Number.isInteger(handle) || handle < 1) return false;
    const slot = (handle - 1) % SLOT_SPACE;
    const gen = Math.floor((handle - 1) / SLOT_SPACE);
    return slot < this.items.length && gen <= (this.gens[slot] as number);
  }

  /** The value in `slot`. */
  bySlot(slot: number): T | undefined {
    return this.items[slot];
  }

  get(handle: number): T | undefined {
    const slot = (handle - 1) % SLOT_SPACE;
    return this.gens[slot] === Math.floor((handle - 1) / SLOT_SPACE) ? this.items[slot] : undefined;
  }

  delete(handle: number): void {
    const slot = (handle - 1) % SLOT_SPACE;
    this.items[slot] = undefined;
    this.free.push(slot);
    this.count--;
  }

  /** Every value in flight, in slot order. */
  values(): T[] {
    const out: T[] = [];
    for (const v of this.items) if (v !== undefined) out.push(v);
    return out;
  }
}
