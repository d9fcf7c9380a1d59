/**
 * Policies: the parts of resolution that only some transports or platforms
 * need, given to a core when it is built, so that a bundle whose core never
 * gets one leaves its code out (as it leaves out `snapshot`/`restore` and
 * the trace recorder unless it imports them):
 * - `cookies`: DNS cookies over UDP and TCP (RFC 7873, `cookies.ts`), and
 *   the resend after BADCOOKIE (`resend.ts`);
 * - `case0x20`: 0x20 case randomisation (`case0x20.ts`), and the resend
 *   without it after a second answer in the wrong case (`resend.ts`);
 * - `search`: the resolv.conf search list (`search.ts`), and the check
 *   of its option;
 * - `udp`: UDP and TCP servers, written `address[:port]` or as objects
 *   (`servers.ts`), the index of their attempts by slot and ID with the
 *   ID space (`attempt-index.ts`), their datagrams with a random ID, 0x20
 *   case and cookie (`attempt-wire.ts`), the screening of a matched
 *   response's case and cookie (`screen.ts`), RTT samples of UDP exchanges
 *   (`rto.ts`), and the resend over TCP after TC=1 (`resend.ts`); without
 *   it a core takes DoH servers only, matched by token (`token-index.ts`);
 * - `trace`: the words of trace events (`trace-events.ts`).
 * `Resolver` has every one ({@link STANDARD_POLICIES}): the Node driver,
 * the simulator and the command-line tool build that. The DoH driver builds
 * a `ResolverCore` without them: the core never sends a cookie over DoH (the
 * HTTPS connection authenticates the server), 0x20 guards against off-path
 * forgery that HTTPS already rules out, a browser has no resolv.conf, DoH
 * servers are URLs, and its promise API cannot turn trace events on.
 *
 * Without a policy, its option does nothing when it is on by default
 * (`cookies`: no cookie is sent) and throws `EBADOPTION` when the caller
 * turns it on (`case0x20`, a non-empty `search`, `trace: true`); a server
 * that is not DoH throws `EBADSERVER`.
 */
import { AttemptIndex } from './attempt-index.js';
import { newAttempt } from './attempt-wire.js';
import { applyCase, randomizeCase } from './case0x20.js';
import { checkCookie, clientCookie } from './cookies.js';
import { afterBadCookie, overTcp, withoutCase } from './resend.js';
import { sampleRtt } from './rto.js';
import { screen } from './screen.js';
import { SearchRun, searchList, type SearchHost } from './search.js';
import { queryTimeout, type Settings } from './settings.js';
import { Spares } from './spares.js';
import { HandleTable, type HandleMap } from './handle-table.js';
import { parseServer } from './servers.js';
import { TRACE_EVENTS } from './trace-events.js';
import type { ResolverEvent, ResolverStats, TraceEvent, Transmit } from './types.js';

/** DNS cookies (`cookies.ts`). */
export interface CookiePolicy {
  readonly client: typeof clientCookie;
  readonly check: typeof checkCookie;
  /** The resend after BADCOOKIE (`resend.ts`). */
  readonly bad: typeof afterBadCookie;
}

/** 0x20 case randomisation (`case0x20.ts`). */
export interface CasePolicy {
  readonly apply: typeof applyCase;
  readonly randomize: typeof randomizeCase;
  /** The resend without 0x20 after a second answer in the wrong case (`resend.ts`). */
  readonly miss: typeof withoutCase;
}

/** What a search reaches of the machine it runs in (`Machine` is one): handles, counters, traces, the output queue. */
export interface SearchMachine {
  readonly queries: { issue(): number };
  readonly stats: ResolverStats;
  readonly tracer: TracePolicy | undefined;
  note(e: TraceEvent | undefined): void;
  readonly events: ResolverEvent[];
  readonly transmits: Transmit[];
}

/** The search list (`search.ts`). */
export interface SearchPolicy {
  /** The `search` option checked and normalised. */
  readonly list: typeof searchList;
  /** The searches of one core, given the core's `ask` (a query for one name), its machine and settings. */
  readonly run: (ask: SearchHost['ask'], m: SearchMachine, s: Settings) => SearchRun;
}

/** UDP and TCP servers (`servers.ts`), and the index of their attempts with its ID space (`attempt-index.ts`). */
export interface UdpPolicy {
  readonly parse: typeof parseServer;
  readonly index: (recentLimit: number) => AttemptIndex;
  /** An attempt and its datagram, over any transport: ID, EDNS cut, 0x20 case and cookie (`attempt-wire.ts`). */
  readonly attempt: typeof newAttempt;
  /** The resend over TCP after TC=1 over UDP (`resend.ts`). */
  readonly tcp: typeof overTcp;
  /** An RTT sample of a UDP exchange (`rto.ts`): only UDP's round trips time the server alone. */
  readonly sample: typeof sampleRtt;
  /** A matched response's 0x20 case and cookie checked (`screen.ts`): only the attempts this policy makes carry them. */
  readonly screen: typeof screen;
  /** The finished queries and retired attempts a core reuses (`spares.ts`). */
  readonly spares: () => Spares;
  /** The query table's slots by handle (`query-table.ts`): a `HandleTable`, which leaves no outgrown tables behind. */
  readonly slots: () => HandleMap<number>;
}

/** Trace events (`trace-events.ts`). */
export type TracePolicy = typeof TRACE_EVENTS;

/** The policies a core is built with; a missing one is left out. */
export interface Policies {
  readonly cookies?: CookiePolicy;
  readonly case0x20?: CasePolicy;
  readonly search?: SearchPolicy;
  readonly udp?: UdpPolicy;
  readonly trace?: TracePolicy;
}

/** Every policy: what `Resolver` is built with. */
export const STANDARD_POLICIES: Policies = {
  cookies: { client: clientCookie, check: checkCookie, bad: afterBadCookie },
  case0x20: { apply: applyCase, randomize: randomizeCase, miss: withoutCase },
  search: {
    list: searchList,
    run: (ask, m, s) => new SearchRun({
      ask,
      issue: () => m.queries.issue(),
      timeout: (o) => queryTimeout(o, s.deadline),
      stats: m.stats,
      traceSearch: (at, handle, nodata, from, to) => m.note(m.tracer?.search(at, handle, nodata, from, to)),
      out: m,
    }, s.policy.search, s.policy.ndots),
  },
  udp: {
    parse: parseServer, index: (recentLimit) => new AttemptIndex(recentLimit), attempt: newAttempt, screen, tcp: overTcp,
    sample: sampleRtt, spares: () => new Spares(), slots: () => new HandleTable<number>(),
  },
  trace: TRACE_EVENTS,
};
