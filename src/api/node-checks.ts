/**
 * Node's checks of the promise API's arguments (`checks.ts`), for
 * `PromiseResolver` and so the Node driver and the simulator: Node's
 * validators word for word (`node-args.ts`), and c-ares's rule of which
 * names it sends at all (`node-text.ts`): any other name rejects `EBADNAME`.
 */
import { MAX_NAME_TEXT } from '../core/codec/name.js';
import { toAscii } from '../core/idna.js';
import type { ArgChecks } from './checks.js';
import { invalidArgValue, validateInt32, validateString } from './node-args.js';
import { aresSends } from './node-text.js';

/** Whether c-ares would send `name` at all (host name characters, after IDNA); it rejects `EBADNAME` otherwise. */
export function sendable(name: string): boolean {
  // Longer than any DNS name: the core refuses it with EBADNAME after one length check (issue 18); scanning it
  // here first made a 200,000-character name cost 42 times a short bad one.
  if (name.length > MAX_NAME_TEXT) return true;
  let ascii = name;
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(name)) {
    try {
      ascii = toAscii(name);
    } catch {
      return true; // the core rejects it with its own EBADNAME
    }
  }
  return aresSends(ascii);
}

/** Node's checks, word for word. */
export const NODE_CHECKS: ArgChecks = {
  string: validateString,
  invalidValue: (name, value) => invalidArgValue(name, value),
  int32: (value, name, min) => validateInt32(value, name, min),
  sendable,
};
