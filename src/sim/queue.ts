/**
 * A time-ordered queue: a binary min-heap keyed by (time, insertion order),
 * so equal times come out in the order they went in (ARCHITECTURE.md rule 10).
 */

interface Entry<T> {
  readonly at: number;
  readonly seq: number;
  readonly value: T;
}

function before<T>(x: Entry<T>, y: Entry<T>): boolean {
  return x.at < y.at || (x.at === y.at && x.seq < y.seq);
}

/** Values waiting for their time. */
export class TimeQueue<T> {
  private readonly heap: Entry<T>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** The earliest time in the queue, or `undefined` when empty. */
  peekTime(): number | undefined {
    return this.heap[0]?.at;
  }

  push(at: number, value: T): void {
    const h = this.heap;
    h.push({ at, seq: this.seq++, value });
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i] as Entry<T>, h[parent] as Entry<T>)) break;
      [h[i], h[parent]] = [h[parent] as Entry<T>, h[i] as Entry<T>];
      i = parent;
    }
  }

  /** Remove and return every value due at `now` (`at <= now`), earliest first. */
  popDue(now: number): { at: number; value: T }[] {
    const out: { at: number; value: T }[] = [];
    while (this.heap.length > 0 && (this.heap[0] as Entry<T>).at <= now) {
      const e = this.pop();
      out.push({ at: e.at, value: e.value });
    }
    return out;
  }

  private pop(): Entry<T> {
    const h = this.heap;
    const top = h[0] as Entry<T>;
    const last = h.pop() as Entry<T>;
    if (h.length === 0) return top;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l] as Entry<T>, h[m] as Entry<T>)) m = l;
      if (r < h.length && before(h[r] as Entry<T>, h[m] as Entry<T>)) m = r;
      if (m === i) return top;
      [h[i], h[m]] = [h[m] as Entry<T>, h[i] as Entry<T>];
      i = m;
    }
  }
}
