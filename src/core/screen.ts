/**
 * A response matched on the wire, screened by the policies that shaped its
 * attempt's datagram (ARCHITECTURE.md rule 9): the exact case of a 0x20 name
 * (`case0x20.ts`), then the client cookie (`cookies.ts`). Given with the
 * `udp` policy (`policies.ts`): only its attempts carry a 0x20 name or a
 * cookie, so a DoH core leaves this out.
 */
import { nameTextEquals } from './codec/wire-name.js';
import { questionCount } from './response-match.js';
import type { checkCookie } from './cookies.js';
import type { Attempt } from './query.js';
import type { Resender, withoutCase } from './resend.js';
import type { DropReason, Received } from './types.js';

interface CookieChecker {
  readonly check: typeof checkCookie;
}
interface CaseResender {
  readonly miss: typeof withoutCase;
}

/** What screening reaches of the machine (`Machine` is one): its cookie and 0x20 policies, its resends and drops. */
export interface ScreenHost extends Resender {
  readonly policies: { readonly cookies?: CookieChecker; readonly case0x20?: CaseResender };
  drop(reason: DropReason, d: Received, t: number): void;
}

/**
 * Whether the response `d` to `a` passes; else it is dropped here. Read on
 * the wire of a message the walk accepted (`opt`: its OPT record's TYPE
 * field, -1 without one, `walked.opt`), no message built (issue 13). An
 * answer to a 0x20 query whose question name is not, byte for byte, the
 * name sent (its text is not `caseName`) is dropped, and with a valid
 * cookie (when cookies are in use) counts as a miss of its server
 * (`withoutCase`); an answer whose cookie does not check is dropped.
 */
export function screen(m: ScreenHost, a: Attempt, d: Received, opt: number, t: number): boolean {
  const p = m.policies;
  const b = d.data;
  // A response without a question has no case to check.
  if (a.caseName !== undefined && questionCount(b) !== 0 && !nameTextEquals(b, 12, a.caseName)) {
    m.drop('wrong-case', d, t);
    if (a.cookie === undefined || (p.cookies as CookieChecker).check(a.server, a.cookie, b, opt)) (p.case0x20 as CaseResender).miss(m, a, t);
    return false;
  }
  if (a.cookie !== undefined && !(p.cookies as CookieChecker).check(a.server, a.cookie, b, opt)) {
    m.drop('bad-cookie', d, t);
    return false;
  }
  return true;
}
