/**
 * The checks of the promise API's own arguments (names, `rrtype`, the
 * options `timeout` and `tries`), injected into {@link BasePromiseResolver}
 * as the core's policies are into a core: `PromiseResolver` (and so the Node
 * driver and the simulator) gets Node's, word for word, with c-ares's rule
 * of which names it sends (`node-checks.ts`); the DoH driver gets the plain
 * ones below, which throw the same codes and classes with short messages and
 * leave names to the core, so a DoH page carries neither Node's message
 * builders nor c-ares's text rules.
 */
import { argError } from './errors.js';

/** How a promise resolver checks its arguments (Node's codes: `ERR_INVALID_ARG_TYPE`, `ERR_INVALID_ARG_VALUE`, `ERR_OUT_OF_RANGE`). */
export interface ArgChecks {
  /** Throws `ERR_INVALID_ARG_TYPE` (a TypeError) unless `value` is a string. */
  string(value: unknown, name: string): void;
  /** The `ERR_INVALID_ARG_VALUE` of argument `name`. */
  invalidValue(name: string, value: unknown): Error;
  /** Throws unless `value` is an integer in `min..2³¹−1`: `ERR_INVALID_ARG_TYPE`, or `ERR_OUT_OF_RANGE` (a RangeError). */
  int32(value: unknown, name: string, min: number): void;
  /** Whether a call sends `name` at all; `false` rejects it `EBADNAME` before the core sees it. */
  sendable(name: string): boolean;
}

/** `argument` or, for a dotted name (`options.family`), `property`. */
const kind = (name: string): string => (name.includes('.') ? 'property' : 'argument');

/** The checks of the DoH driver: Node's codes and classes, short messages; every name goes to the core's own checks. */
export const PLAIN_CHECKS: ArgChecks = {
  string(value, name) {
    if (typeof value !== 'string') throw argError('ERR_INVALID_ARG_TYPE', `The "${name}" ${kind(name)} must be of type string`);
  },
  invalidValue: (name) => argError('ERR_INVALID_ARG_VALUE', `The ${kind(name)} '${name}' is invalid`),
  int32(value, name, min) {
    if (typeof value !== 'number') throw argError('ERR_INVALID_ARG_TYPE', `The "${name}" ${kind(name)} must be of type number`);
    if (!Number.isInteger(value) || value < min || value > 2 ** 31 - 1) {
      throw argError('ERR_OUT_OF_RANGE', `The value of "${name}" is out of range. It must be an integer >= ${min}`, 'range');
    }
  },
  sendable: () => true,
};
