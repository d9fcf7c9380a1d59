/**
 * A response matched on the wire, screened by the policies that shaped its
 * attempt's datagram (ARCHITECTURE.md rule 9): the exact case of a 0x20 name
 * (`case0x20.ts`), then the client cookie (`cookies.ts`). Given with the
 * `udp` policy (`policies.ts`): only its attempts carry a 0x20 name or a
 * cookie, so a DoH core leaves this out.
 */
import type { Message, Question } from './codec/types.js';
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
 * Whether the response `m` to `a` passes; else it is dropped here. An
 * answer to a 0x20 query in another case is dropped, and with a valid
 * cookie (when cookies are in use) counts as a miss of its server
 * (`withoutCase`); an answer whose cookie does not check is dropped.
 */
export function screen(m: ScreenHost, a: Attempt, message: Message, d: Received, t: number): boolean {
  const p = m.policies;
  if (a.caseName !== undefined && message.questions.length > 0 && (message.questions[0] as Question).name !== a.caseName) {
    m.drop('wrong-case', d, t);
    if (a.cookie === undefined || (p.cookies as CookieChecker).check(a.server, a.cookie, message)) (p.case0x20 as CaseResender).miss(m, a, t);
    return false;
  }
  if (a.cookie !== undefined && !(p.cookies as CookieChecker).check(a.server, a.cookie, message)) {
    m.drop('bad-cookie', d, t);
    return false;
  }
  return true;
}
