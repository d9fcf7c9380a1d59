/**
 * `--rate N`: at most N questions started per second, evenly spaced (not
 * in bursts of a second's worth). A run that fell behind (a stalled
 * consumer) catches up by at most a tenth of a second's worth at once.
 */

/** Waits for `ms` milliseconds. */
export type Sleep = (ms: number) => Promise<void>;

export const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Spaces starts `1000 / rate` ms apart on `clock`. */
export class Pacer {
  private origin: number | undefined;
  private started = 0;

  constructor(private readonly rate: number, private readonly clock: () => number, private readonly wait: Sleep = sleep) {}

  /** Resolves when one more start is allowed (at once when the run is behind its schedule). */
  async take(): Promise<void> {
    const now = this.clock();
    const step = 1000 / this.rate;
    this.origin ??= now;
    let due = this.origin + this.started * step;
    if (due < now - 100) {
      // Behind by more than 100 ms: move the schedule, so the catch-up burst stays small.
      this.origin = now - 100 - this.started * step;
      due = now - 100;
    }
    this.started++;
    // Timers are good to a millisecond: starts due within the next one go now.
    if (due > now + 1) await this.wait(due - now);
  }
}
