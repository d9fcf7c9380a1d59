/**
 * The bridge's deadline on reading request bodies (`bodyTimeout`): one
 * coarse sweep for all requests instead of a timer each. A request is
 * watched from its headers to the end of its body; the sweep runs every
 * quarter of the timeout while anything is watched (and stops at the first
 * sweep that finds nothing), so a body that never ends is cut between 1×
 * and 1.25× the timeout. A watch left behind by a request that went away
 * expires harmlessly.
 */

interface Watch {
  readonly since: number;
  readonly expire: () => void;
}

/** Deadlines of request bodies. */
export class BodyClock {
  private readonly watched = new Set<Watch>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly timeout: number) {}

  /** Call `expire` once if the body is not done within the timeout. */
  watch(expire: () => void): Watch {
    const w = { since: performance.now(), expire };
    this.watched.add(w);
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.sweep(), Math.max(10, this.timeout / 4));
      this.timer.unref();
    }
    return w;
  }

  unwatch(w: Watch): void {
    this.watched.delete(w);
  }

  /** Forget every request and stop the sweep. */
  clear(): void {
    this.watched.clear();
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private sweep(): void {
    const cutoff = performance.now() - this.timeout;
    for (const w of this.watched) {
      if (w.since > cutoff) break;
      this.watched.delete(w);
      w.expire();
    }
    if (this.watched.size === 0) this.clear();
  }
}
