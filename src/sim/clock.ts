/**
 * A virtual clock: milliseconds on a timeline the simulation owns. It only
 * moves when told to, and never backwards (ARCHITECTURE.md rule 1).
 */

/** Virtual time in ms. Starts at `start` (default 0). */
export class VirtualClock {
  private t: number;

  constructor(start = 0) {
    if (!Number.isFinite(start)) throw new RangeError(`clock start must be finite, got ${start}`);
    this.t = start;
  }

  /** The current virtual time. */
  now(): number {
    return this.t;
  }

  /** Move to `at`; a time in the past leaves the clock where it is. Returns the new time. */
  advanceTo(at: number): number {
    if (!Number.isFinite(at)) throw new RangeError(`cannot advance the clock to ${at}`);
    if (at > this.t) this.t = at;
    return this.t;
  }

  /** Move forward by `ms` (≥ 0). Returns the new time. */
  advanceBy(ms: number): number {
    if (!(ms >= 0)) throw new RangeError(`cannot advance the clock by ${ms}`);
    return this.advanceTo(this.t + ms);
  }
}
