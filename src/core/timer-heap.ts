/**
 * A binary min-heap of timers keyed by small integer ids, ordered by
 * (deadline, insertion order) so that ties break deterministically (ARCHITECTURE.md
 * rule 10). Everything lives in typed arrays: a re-arm or removal moves
 * numbers in contiguous memory and never touches the objects the timers
 * belong to, which keeps its cost flat with 100,000 timers armed.
 */

export class TimerHeap {
  private at = new Float64Array(64);
  private seq = new Float64Array(64);
  private ids = new Int32Array(64);
  /** Position of each id in the heap, -1 when not armed. */
  private pos = new Int32Array(64).fill(-1);
  private n = 0;
  private nextSeq = 0;

  get size(): number {
    return this.n;
  }

  /** The earliest deadline, or undefined. */
  peekAt(): number | undefined {
    return this.n === 0 ? undefined : this.at[0];
  }

  /** The id of the earliest timer; only meaningful when `size > 0`. */
  peekId(): number {
    return this.ids[0] as number;
  }

  /** Arm (or re-arm) timer `id` at `at`; a re-armed timer goes after others with the same deadline. */
  set(id: number, at: number): void {
    if (id >= this.pos.length) this.growPos(id);
    let i = this.pos[id] as number;
    if (i < 0) {
      if (this.n === this.ids.length) this.growHeap();
      i = this.n++;
      this.ids[i] = id;
      this.pos[id] = i;
    }
    this.at[i] = at;
    this.seq[i] = this.nextSeq++;
    this.sift(i);
  }

  /** Remove timer `id`, which must be armed. */
  delete(id: number): void {
    const i = this.pos[id] as number;
    this.pos[id] = -1;
    const last = --this.n;
    if (i === last) return;
    this.move(last, i);
    this.sift(i);
  }

  /** True when the timer at heap slot `j` fires before one at `at` armed as `seq`. */
  private before(j: number, at: number, seq: number): boolean {
    const a = this.at[j] as number;
    return a < at || (a === at && (this.seq[j] as number) < seq);
  }

  private move(from: number, to: number): void {
    this.at[to] = this.at[from] as number;
    this.seq[to] = this.seq[from] as number;
    const id = this.ids[from] as number;
    this.ids[to] = id;
    this.pos[id] = to;
  }

  /** Restore heap order around slot `i`: its timer moves up past later parents, or down past earlier children. */
  private sift(i: number): void {
    const at = this.at[i] as number;
    const seq = this.seq[i] as number;
    const id = this.ids[i] as number;
    for (let p = (i - 1) >> 1; i > 0 && !this.before(p, at, seq); p = (i - 1) >> 1) {
      this.move(p, i);
      i = p;
    }
    for (let c = 2 * i + 1; c < this.n; c = 2 * i + 1) {
      if (c + 1 < this.n && this.before(c + 1, this.at[c] as number, this.seq[c] as number)) c++;
      if (!this.before(c, at, seq)) break;
      this.move(c, i);
      i = c;
    }
    this.at[i] = at;
    this.seq[i] = seq;
    this.ids[i] = id;
    this.pos[id] = i;
  }

  private growHeap(): void {
    const size = this.ids.length * 2;
    const at = new Float64Array(size);
    const seq = new Float64Array(size);
    const ids = new Int32Array(size);
    at.set(this.at);
    seq.set(this.seq);
    ids.set(this.ids);
    this.at = at;
    this.seq = seq;
    this.ids = ids;
  }

  private growPos(id: number): void {
    const pos = new Int32Array(Math.max(this.pos.length * 2, id + 1)).fill(-1);
    pos.set(this.pos);
    this.pos = pos;
  }
}
