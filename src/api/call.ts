/**
 * One call of the promise API waiting for its query's final event: the
 * resolving functions of its promise and what shapes its result, in one
 * object the loop settles (`Settler`, `loop.ts`). Issue 13: the call costs
 * its promise, that promise's resolving functions and this object; no
 * closure per call (the executor is shared, the shapers are module
 * functions), and no copy of the caller's options.
 */
import type { AnswerEvent } from '../core/types.js';
import { nodeDnsError, withExtendedError, type NodeDnsError } from './errors.js';
import type { FinalEvent, Settler } from './loop.js';
import { answerOf, empty } from './outcome.js';
import { addressesOf, ofType, shape, type ShapedType, type Typed } from './shapes.js';

/** Turns a call's final event into its result, or throws the call's Node-shaped error. */
export type Shaper = (call: Call, event: FinalEvent) => unknown;

/** The resolving functions of the promise being built: set by {@link capture}, read at once by the {@link Call}. */
let resolveNext!: (value: unknown) => void;
let rejectNext!: (error: unknown) => void;
/** The one executor of every call's promise (no closure per call). */
function capture(resolve: (value: unknown) => void, reject: (error: unknown) => void): void {
  resolveNext = resolve;
  rejectNext = reject;
}

/** A call waiting for its final event; `promise` settles with `shaper`'s result for it, or its throw. */
export class Call implements Settler {
  // Fields assigned in the constructor, not declared as class fields: the DoH page's bytes (`declare` emits nothing).
  declare readonly promise: Promise<unknown>;
  declare private readonly resolve: (value: unknown) => void;
  declare private readonly reject: (error: unknown) => void;
  declare private readonly shaper: Shaper;
  declare readonly type: string;
  declare readonly syscall: string;
  declare readonly hostname: string;
  declare readonly ttl: boolean;

  /**
   * @param shaper the result of the final event (`addressesResult`, `typedResult`, ...).
   * @param type the record type asked, as the shaper needs it.
   * @param syscall Node's syscall for the call's errors (`queryA`).
   * @param hostname the name the call's errors report.
   * @param ttl `resolve4`/`resolve6` with `{ ttl: true }`.
   */
  constructor(shaper: Shaper, type: string, syscall: string, hostname: string, ttl: boolean) {
    this.shaper = shaper;
    this.type = type;
    this.syscall = syscall;
    this.hostname = hostname;
    this.ttl = ttl;
    this.promise = new Promise(capture);
    this.resolve = resolveNext;
    this.reject = rejectNext;
  }

  /**
   * The final event arrived (from a drain): settle the promise. Errors built
   * here are made with stack capture off: inside a drain a stack names only
   * sansdns's frames, and capturing one per failure is the larger part of
   * the cost of 100,000 queries failing together (issue 18). Their `stack`
   * is their first line, as for the errors Node's `dns` builds in a c-ares
   * callback.
   */
  settle(event: FinalEvent): void {
    const E = Error as { stackTraceLimit?: number | undefined };
    const limit = E.stackTraceLimit;
    E.stackTraceLimit = 0;
    try {
      this.resolve(this.shaper(this, event));
    } catch (error) {
      this.reject(error);
    } finally {
      E.stackTraceLimit = limit;
    }
  }
}

/**
 * The `resolve*` of one type: the records of the type on the answer's CNAME
 * chain, shaped; for `resolve4`/`resolve6`, addresses (or with TTLs) built in
 * one pass over the answer.
 */
export const typedResult: Shaper = (c, event) => {
  const answer = answerOf(event, c.syscall, c.hostname);
  const type = c.type;
  const out = type === 'A' || type === 'AAAA' ? addressesOf(answer.records, type, c.ttl) : ofType(answer.records, type as ShapedType).records;
  if (out.length === 0) return empty(type, answer, c.syscall, c.hostname); // SOA throws
  return type === 'A' || type === 'AAAA' ? out : shape(type as ShapedType, out as Typed<ShapedType>[]);
};

/** The answer event, with NXDOMAIN turned into `ENOTFOUND`. */
export const answerResult: Shaper = (c, event) => answerOf(event, c.syscall, c.hostname);

/** The answer event of any rcode; an error event as Node's error. */
export const eventResult: Shaper = (c, event): AnswerEvent => {
  if (event.kind === 'answer') return event;
  throw withExtendedError(nodeDnsError(event.code, c.syscall, c.hostname, event.error), event) satisfies NodeDnsError;
};
