/**
 * Node's callback shape over a promise: the callback runs in a microtask of
 * its own, outside the promise's reactions, so a callback that throws
 * surfaces as an uncaught exception, as it does from node:dns, and never as
 * an unhandled rejection of a promise the caller cannot see.
 */

/** Call `ok` with `p`'s value or `fail` with its error, each outside the promise chain. */
export function settleOutside<T>(p: Promise<T>, ok: (value: T) => void, fail: (error: Error) => void): void {
  p.then((value) => queueMicrotask(() => ok(value)), (error: Error) => queueMicrotask(() => fail(error)));
}
