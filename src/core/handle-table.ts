/**
 * Values by query handle, for the tables every query enters and leaves (the
 * loop's settle callbacks, a driver's transmissions): open addressing over a
 * key array and a value array, where a `Map` would do the same job.
 *
 * Why not a `Map` (issue 13, p99): V8 grows or compacts a `Map` by copying its
 * table into a new one, and the old table keeps its entries and a link to the
 * new one. With a query per entry, that copy happens every few hundred
 * queries. Once a table is in the old generation (after any full collection),
 * the chain of tables that follows it, and all their stale entries (a settled
 * query's callback, its promise, its answer), stays reachable for every minor
 * collection until the next full one: each scavenge promoted about 2 MB of
 * garbage and took 5× as long. Here a grown table is a plain new array that
 * nothing old links to, and a deleted entry is cleared at once.
 */

/**
 * What a table by query handle needs to be (the loop's waiting queries, the
 * query table's slots): a `Map` has it, and so does {@link HandleTable}.
 */
export interface HandleMap<T> {
  readonly size: number;
  get(handle: number): T | undefined;
  set(handle: number, value: T): unknown;
  delete(handle: number): unknown;
}

/** A map from handle (a positive integer, as the core hands out) to `T`. */
export class HandleTable<T> implements HandleMap<T> {
  /** Handles, 0 where empty; a power of two long, at most half full. */
  private keys = new Float64Array(16);
  private values: (T | undefined)[] = new Array<T | undefined>(16).fill(undefined);
  /** Entries kept. */
  size = 0;

  /** The value of `handle`, or undefined. */
  get(handle: number): T | undefined {
    const i = this.find(handle);
    return i < 0 ? undefined : this.values[i];
  }

  /** Set the value of `handle` (a positive integer). */
  set(handle: number, value: T): void {
    let i = this.find(handle);
    if (i < 0) {
      if (2 * ++this.size > this.keys.length) this.grow();
      const mask = this.keys.length - 1;
      for (i = this.home(handle); this.keys[i] !== 0; i = (i + 1) & mask);
      this.keys[i] = handle;
    }
    this.values[i] = value;
  }

  /** Remove `handle`; false when it had no value. Shifts its probe run back (no tombstones). */
  delete(handle: number): boolean {
    let i = this.find(handle);
    if (i < 0) return false;
    this.size--;
    const keys = this.keys;
    const mask = keys.length - 1;
    for (let j = (i + 1) & mask, k = keys[j] as number; k !== 0; j = (j + 1) & mask, k = keys[j] as number) {
      // The entry at j may fill the hole at i unless its home lies after i (cyclically, up to j).
      if (((j - this.home(k)) & mask) >= ((j - i) & mask)) {
        keys[i] = k;
        this.values[i] = this.values[j];
        i = j;
      }
    }
    keys[i] = 0;
    this.values[i] = undefined;
    return true;
  }

  /** The values, in no particular order. */
  list(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] !== 0) out.push(this.values[i] as T);
    return out;
  }

  /** Where `handle` is, or -1. */
  private find(handle: number): number {
    const mask = this.keys.length - 1;
    for (let i = this.home(handle); ; i = (i + 1) & mask) {
      const k = this.keys[i];
      if (k === handle) return i;
      if (k === 0) return -1;
    }
  }

  /** Where `handle`'s probe run starts: Fibonacci hashing of its low 32 bits. */
  private home(handle: number): number {
    return Math.imul(handle, 0x9e3779b1) >>> (Math.clz32(this.keys.length) + 1);
  }

  /** Double the room and put every entry back. */
  private grow(): void {
    const keys = this.keys;
    const values = this.values;
    this.keys = new Float64Array(keys.length * 2);
    this.values = new Array<T | undefined>(keys.length * 2).fill(undefined);
    const mask = this.keys.length - 1;
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j] as number;
      if (k === 0) continue;
      let i = this.home(k);
      while (this.keys[i] !== 0) i = (i + 1) & mask;
      this.keys[i] = k;
      this.values[i] = values[j];
    }
  }
}
