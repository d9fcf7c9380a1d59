/**
 * Virtual time that moves only while the caller's code is idle, as fake
 * timers do: each step of the simulated world runs in its own macrotask, so
 * every promise continuation the last step released (the caller's `await`s)
 * runs before time moves on, and any query it starts begins at the virtual
 * time it was started at. Calls made in the same tick start together:
 * 2,000 `resolve4` in one `Promise.all` overlap, as they would on a network.
 */

/** Schedules `f` after the current macrotask and every microtask it queued. */
type Macrotask = (f: () => void) => void;

const nextMacrotask: Macrotask = typeof globalThis.setImmediate === 'function'
  ? (f) => void globalThis.setImmediate(f)
  : (f) => void globalThis.setTimeout(f, 0);

/** Runs `step` once per macrotask while it reports more to do. */
export class IdleRunner {
  private scheduled = false;
  private steps = 0;

  /**
   * `step` advances the world to its next instant and reports whether
   * anything is left to do; `limit` bounds the steps of one busy period, and
   * `overrun` is told instead of a step past it (a livelock).
   */
  constructor(
    private readonly step: () => boolean,
    private readonly limit: number,
    private readonly overrun: (steps: number) => void,
  ) {}

  /** Something may be due: make sure a step is coming. Cheap when one is. */
  kick(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    nextMacrotask(() => this.run());
  }

  /** True while a step is scheduled. */
  get busy(): boolean {
    return this.scheduled;
  }

  private run(): void {
    this.scheduled = false;
    if (++this.steps > this.limit) {
      this.steps = 0;
      this.overrun(this.limit);
      return;
    }
    if (this.step()) this.kick();
    else this.steps = 0;
  }
}
