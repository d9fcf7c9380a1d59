/**
 * What an accepted response does to its query, as a table (h11's transition
 * tables): one row per case of the response's rcode class, its TC bit, the
 * attempt's transport, and whether the attempt carried EDNS and a cookie.
 * The rows do not overlap and cover every case; the machine (`machine.ts`)
 * carries out the action.
 */
import { BADCOOKIE, BADVERS, FORMERR, NOERROR, NOTIMP, NXDOMAIN } from './codec/rcode.js';
import type { Protocol } from './types.js';

/** How an accepted response's rcode counts (RFC 1035 §4.1.1, RFC 6891 §7, RFC 7873 §8). */
export type RcodeClass = 'answer' | 'edns-error' | 'bad-cookie' | 'failure';

/** What an accepted response does to its query. */
export type ResponseAction = 'finish' | 'tcp' | 'no-edns' | 'bad-cookie' | 'server-failed';

const RCODE_CLASS: Readonly<Record<number, RcodeClass>> = {
  [NOERROR]: 'answer', [NXDOMAIN]: 'answer', [FORMERR]: 'edns-error', [NOTIMP]: 'edns-error', [BADVERS]: 'edns-error', [BADCOOKIE]: 'bad-cookie',
};

/** The class of an rcode: NOERROR and NXDOMAIN answer; FORMERR, NOTIMP, BADVERS may be about EDNS; BADCOOKIE; the rest fail. */
export function rcodeClass(rcode: number): RcodeClass {
  return RCODE_CLASS[rcode] ?? 'failure';
}

/** A cell of {@link RESPONSE}: a value, or `'*'` for any. */
type Cell<T> = T | '*';
type Row = readonly [RcodeClass, Cell<boolean>, Cell<Protocol>, Cell<boolean>, Cell<boolean>, ResponseAction];

/** The response table: rcode class, TC, transport, EDNS, cookie → action. */
export const RESPONSE: readonly Row[] = [
  // rcode class    TC      transport  EDNS    cookie   action
  ['answer',        false,  '*',       '*',    '*',     'finish'],        // RFC 1035 §4.1.1: data, NODATA, NXDOMAIN
  ['answer',        true,   'udp',     '*',    '*',     'tcp'],           // RFC 7766 §5: truncated, ask that server over TCP
  // A stream has no size limit, so TC=1 over one is a broken server, not an answer: the next server
  // (RFC 7766 §8 has no truncation over TCP; RFC 7858 §3.3 frames TLS as TCP; RFC 8484 §5 DoH too).
  ['answer',        true,   'tcp',     '*',    '*',     'server-failed'],
  ['answer',        true,   'tls',     '*',    '*',     'server-failed'],
  ['answer',        true,   'doh',     '*',    '*',     'server-failed'],
  ['edns-error',    '*',    '*',       true,   '*',     'no-edns'],       // RFC 6891 §7: remember it, ask again without OPT
  ['edns-error',    '*',    '*',       false,  '*',     'server-failed'],
  ['bad-cookie',    '*',    '*',       '*',    true,    'bad-cookie'],    // RFC 7873 §5.3: resend once, then TCP
  ['bad-cookie',    '*',    '*',       '*',    false,   'server-failed'],
  ['failure',       '*',    '*',       '*',    '*',     'server-failed'], // SERVFAIL, REFUSED, others: the next server
];

function fits<T>(cell: Cell<T>, value: T): boolean {
  return cell === '*' || cell === value;
}

/** The action of the one row of {@link RESPONSE} that matches (an index loop: no closure per response, issue 13). */
export function responseAction(rcode: RcodeClass, tc: boolean, transport: Protocol, edns: boolean, cookie: boolean): ResponseAction {
  // The rows cover every case, so the loop always returns.
  for (let i = 0; ; i++) {
    const row = RESPONSE[i] as Row;
    if (row[0] === rcode && fits(row[1], tc) && fits(row[2], transport) && fits(row[3], edns) && fits(row[4], cookie)) return row[5];
  }
}
