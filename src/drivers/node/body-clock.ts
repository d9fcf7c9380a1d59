/**
 * The bridge's deadline on reading request bodies (`bodyTimeout`): one
 * coarse sweep for all requests instead of a timer each. A request is
 * watched from its headers to the end of its body; the sweep runs every
 * quarter of the timeout while anything is watched (and stops at the first
 * sweep that finds nothing), so a body that never ends is cut between 1×
 * and 1.25× the timeout. A watch left behind by a request that went away
 * expires harmlessly.
 *
 * Watches are kept in a doubly linked list in the order they began (so the
 * oldest come first): watching and unwatching are a few pointer writes, with
 * no hash table to grow, shrink or rehash on every request (a `Set` here
 * cost the bridge's POST path a measurable share of its GC time).
 */

/** One request body being read. */
export interface Watch {
  readonly since: number;
  readonly expire: () => void;
  prev: Watch | undefined;
  next: Watch | undefined;
  /** Still in the list. */
  linked: boolean;
}

/** Deadlines of request bodies. */
export class BodyClock {
  private head: Watch | undefined;
  private tail: Watch | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly timeout: number) {}

  /** Call `expire` once if the body is not done within the timeout. */
  watch(expire: () => void): Watch {
    const w: Watch = { since: performance.now(), expire, prev: this.tail, next: undefined, linked: true };
    if (this.tail === undefined) this.head = w;
    else this.tail.next = w;
    this.tail = w;
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.sweep(), Math.max(10, this.timeout / 4));
      this.timer.unref();
    }
    return w;
  }

  unwatch(w: Watch): void {
    if (!w.linked) return;
    w.linked = false;
    if (w.prev === undefined) this.head = w.next;
    else w.prev.next = w.next;
    if (w.next === undefined) this.tail = w.prev;
    else w.next.prev = w.prev;
    w.prev = undefined;
    w.next = undefined;
  }

  /** Forget every request and stop the sweep. */
  clear(): void {
    for (let w = this.head; w !== undefined;) {
      const next = w.next;
      this.unwatch(w);
      w = next;
    }
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private sweep(): void {
    const cutoff = performance.now() - this.timeout;
    while (this.head !== undefined && this.head.since <= cutoff) {
      const w = this.head;
      this.unwatch(w);
      w.expire();
    }
    if (this.head === undefined) this.clear();
  }
}
