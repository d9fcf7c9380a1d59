/**
 * The window of bulk mode: at most `concurrency` questions in flight, and
 * results printed in input order through a reorder buffer that a slow
 * question can fill only up to `reorder` entries: question `seq` starts
 * only when `seq < next to print + reorder`. So memory is bounded by the
 * options, never by the input. `--unordered` prints each result as it
 * comes, with no buffer and no such wait.
 */

/**
 * Results waiting for an earlier one, at most this many per question in
 * flight (and at least {@link MIN_REORDER}): room for about one retry's
 * worth of results behind a question that needed one, so a retry does not
 * stall the run. A held result is one formatted line (~100 bytes).
 */
export const REORDER_FACTOR = 64;
/** The reorder buffer's size when few questions are in flight. */
export const MIN_REORDER = 4096;

/** Options of a {@link Window}. */
export interface WindowOptions {
  readonly concurrency: number;
  /** Print in input order (the default) or as results come. */
  readonly ordered: boolean;
}

/** What a window went through (for tests and the bench). */
export interface WindowStats {
  maxInFlight: number;
  /** Most results held at once waiting for an earlier one. */
  maxBuffered: number;
}

/** Admission and ordered output of numbered results. */
export class Window {
  readonly stats: WindowStats = { maxInFlight: 0, maxBuffered: 0 };
  /** Most results the reorder buffer may hold. */
  readonly reorder: number;
  private inFlight = 0;
  private nextOut = 0;
  private readonly held = new Map<number, string>();
  private wake: (() => void) | undefined;

  constructor(private readonly o: WindowOptions, private readonly emit: (text: string) => void) {
    this.reorder = Math.max(MIN_REORDER, o.concurrency * REORDER_FACTOR);
  }

  private canStart(seq: number): boolean {
    return this.inFlight < this.o.concurrency && (!this.o.ordered || seq < this.nextOut + this.reorder);
  }

  /** Resolves when result `seq` may start; `settle` runs the simulator on (a no-op on the network). */
  async admit(seq: number, settle: () => void): Promise<void> {
    while (!this.canStart(seq)) {
      settle();
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    this.inFlight++;
    if (this.inFlight > this.stats.maxInFlight) this.stats.maxInFlight = this.inFlight;
  }

  /** Result `seq` is done: print it, or hold it until every earlier one is printed. */
  done(seq: number, text: string): void {
    this.inFlight--;
    if (!this.o.ordered) this.emit(text);
    else {
      this.held.set(seq, text);
      if (this.held.size > this.stats.maxBuffered) this.stats.maxBuffered = this.held.size;
      for (let t = this.held.get(this.nextOut); t !== undefined; t = this.held.get(this.nextOut)) {
        this.held.delete(this.nextOut++);
        this.emit(t);
      }
    }
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Resolves when nothing is in flight. */
  async drain(settle: () => void): Promise<void> {
    while (this.inFlight > 0) {
      settle();
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}
