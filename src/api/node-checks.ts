/**
 * Node's checks of the promise API's arguments (`checks.ts`), for
 * `PromiseResolver` and so the Node driver and the simulator: Node's
 * validators word for word (`node-args.ts`), and c-ares's rule of which
 * names it sends at all (`node-text.ts`): any other name rejects `EBADNAME`.
 */
import type { ArgChecks } from './checks.js';
import { invalidArgValue, validateInt32, validateString } from './node-args.js';
import { sendable } from './sendable.js';

/** Whether c-ares would send `name` at all, the verdict kept per name (`sendable.ts`, issue 13). */
export { sendable };

/** Node's checks, word for word. */
export const NODE_CHECKS: ArgChecks = {
  string: validateString,
  invalidValue: (name, value) => invalidArgValue(name, value),
  int32: (value, name, min) => validateInt32(value, name, min),
  sendable,
};
