/**
 * What the wall-clock drivers (Node, DoH) share of their platform: the one
 * timer they arm at the core's deadline, and the entropy they hand the core
 * (ARCHITECTURE.md rule 6). Nothing here imports `node:*`: Node 20, browsers,
 * workers, Deno and Bun all have `setTimeout` and Web Crypto on `globalThis`.
 */

/** Fills `bytes` from Web Crypto (`crypto.getRandomValues`): the `random` option of every driver's core. */
export function cryptoRandom(bytes: Uint8Array): Uint8Array {
  return globalThis.crypto.getRandomValues(bytes);
}

/** Runs `f` once the I/O already waiting has been read: Node's `setImmediate` (after the poll phase), else at once. */
const afterWaitingIo: (f: () => void) => void = typeof globalThis.setImmediate === 'function'
  ? (f) => void globalThis.setImmediate(f)
  : (f) => f();

/**
 * The one timer a driver arms at the core's deadline, on the wall clock
 * (`setTimeout`, in Node and in browsers). An armed timer is kept when the
 * deadline moves later (it fires early, the core finds nothing due and the
 * loop re-arms), so a busy loop does not churn `clearTimeout`/`setTimeout`.
 * In Node it fires after the I/O that is already waiting: when the event loop
 * was busy past a give-up, an answer that arrived meanwhile is read first,
 * so it wins instead of a needless retry (timers run before I/O in a turn
 * of libuv's loop).
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
      afterWaitingIo(fire);
    }, Math.max(1, Math.ceil(deadline - this.now())));
  }

  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.at = Infinity;
  }
}
