/**
 * The one timer a driver arms at the core's deadline, on the wall clock
 * (`setTimeout`, in Node and in browsers). An armed timer is kept when the
 * deadline moves later (it fires early, the core finds nothing due and the
 * loop re-arms), so a busy loop does not churn `clearTimeout`/`setTimeout`.
 */
export class WallTimer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private at = Infinity;

  constructor(private readonly now: () => number) {}

  /** Call `fire` at `deadline` (absolute, on `now`'s timeline), or disarm on `undefined`. */
  set(deadline: number | undefined, fire: () => void): void {
    if (deadline === undefined) return this.clear();
    if (this.timer !== undefined && this.at <= deadline) return;
    this.clear();
    this.at = deadline;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.at = Infinity;
      fire();
    }, Math.max(1, Math.ceil(deadline - this.now())));
  }

  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.at = Infinity;
  }
}
