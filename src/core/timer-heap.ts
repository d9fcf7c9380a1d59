/**
 * An indexed binary min-heap of timers ordered by (deadline, insertion order),
 * so that ties break deterministically (DESIGN.md rule 10). Each item carries
 * its own position, so re-arming and removal are O(log n).
 */

/** Something that can sit in the heap. `heapIndex` is -1 when it is not in it. */
export interface Timed {
  timerAt: number;
  timerSeq: number;
  heapIndex: number;
}

function before(a: Timed, b: Timed): boolean {
  return a.timerAt < b.timerAt || (a.timerAt === b.timerAt && a.timerSeq < b.timerSeq);
}

export class TimerHeap<T extends Timed> {
  private readonly items: T[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  /** The earliest item, or undefined. */
  peek(): T | undefined {
    return this.items[0];
  }

  /** Arm (or re-arm) `item` at `at`; a re-armed item goes after others with the same deadline. */
  set(item: T, at: number): void {
    item.timerAt = at;
    item.timerSeq = this.seq++;
    if (item.heapIndex < 0) {
      item.heapIndex = this.items.length;
      this.items.push(item);
      this.up(item.heapIndex);
    } else {
      this.up(item.heapIndex);
      this.down(item.heapIndex);
    }
  }

  /** Remove `item`, which must be armed. */
  delete(item: T): void {
    const i = item.heapIndex;
    const last = this.items.pop() as T;
    item.heapIndex = -1;
    if (last === item) return;
    this.items[i] = last;
    last.heapIndex = i;
    this.up(i);
    this.down(last.heapIndex);
  }

  private swap(i: number, j: number): void {
    const a = this.items[i] as T;
    const b = this.items[j] as T;
    this.items[i] = b;
    this.items[j] = a;
    a.heapIndex = j;
    b.heapIndex = i;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(this.items[i] as T, this.items[parent] as T)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && before(this.items[l] as T, this.items[m] as T)) m = l;
      if (r < n && before(this.items[r] as T, this.items[m] as T)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
