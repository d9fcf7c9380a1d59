/**
 * The resends only UDP and TCP need, given to a core with their policies
 * (`policies.ts`) so a DoH bundle leaves them out; each is a transition of
 * the machine (`machine.ts`), which calls it with itself:
 * - over TCP after a truncated answer over UDP (RFC 7766 §5; the `udp`
 *   policy);
 * - after BADCOOKIE (RFC 7873 §5.3): once more over UDP with the server
 *   cookie just learned, then over TCP (the `cookies` policy);
 * - without 0x20 after a second answer in the wrong case (`case0x20.ts`;
 *   the `case0x20` policy).
 */
import { caseMissed } from './case0x20.js';
import type { QueryErrorCode } from './errors.js';
import { peerOf, type Attempt, type Query } from './query.js';
import { rto, tcpTimeout } from './rto.js';
import type { ScheduleSettings } from './schedule.js';
import type { ServerState } from './servers.js';
import type { TRACE_EVENTS } from './trace-events.js';
import type { Protocol, ResolverStats, TraceEvent } from './types.js';

/** What a resend needs of the machine (`Machine` is one). */
export interface Resender {
  readonly stats: ResolverStats;
  readonly settings: { readonly schedule: ScheduleSettings };
  readonly tracer: typeof TRACE_EVENTS | undefined;
  send(q: Query, server: ServerState, transport: Protocol, t: number, timeout: number): void;
  serverFailed(a: Attempt, t: number, code: QueryErrorCode, detail: string): void;
  note(e: TraceEvent | undefined): void;
}

/** TC=1 over UDP: ask the same server over TCP (`id`: the truncated answer's ID, for the trace). */
export function overTcp(m: Resender, a: Attempt, id: number, t: number): void {
  const q = a.query;
  m.stats.tcpFallbacks++;
  m.note(m.tracer?.tcpFallback(t, q.handle, peerOf(a), id));
  m.send(q, a.server, 'tcp', t, tcpTimeout(m.settings.schedule, a.server));
}

/** BADCOOKIE (RFC 7873 §5.3): ask again once with the server cookie just learned, then over TCP. */
export function afterBadCookie(m: Resender, a: Attempt, t: number): void {
  const q = a.query;
  m.stats.badCookies++;
  m.note(m.tracer?.badCookie(t, q.handle, peerOf(a), a.id));
  if (a.transport === 'tcp') return m.serverFailed(a, t, 'EBADRESP', 'BADCOOKIE over TCP');
  if (q.badCookies++ === 0) return m.send(q, a.server, 'udp', t, rto(m.settings.schedule, a.server));
  m.send(q, a.server, 'tcp', t, tcpTimeout(m.settings.schedule, a.server));
}

/**
 * A second answer in the wrong case from a 0x20 server (`case0x20.ts`):
 * it is asked again at once, and from then on, without 0x20.
 */
export function withoutCase(m: Resender, a: Attempt, t: number): void {
  const server = a.server;
  if (!caseMissed(server)) return;
  m.stats.caseFallbacks++;
  m.note(m.tracer?.caseFallback(t, a.query.handle, peerOf(a), a.id));
  m.send(a.query, server, a.transport, t, rto(m.settings.schedule, server));
}
