/**
 * Trace events (option `trace`, ARCHITECTURE.md rule 12): what each send, timer,
 * fallback, failure, drop and search step was, and why, in words. One
 * builder per kind of {@link TraceWhat}; the machine, the surface and the
 * search run call them where the thing happens.
 *
 * Traces are a policy (`policies.ts`): a core built without it refuses
 * `trace: true`, and a bundle whose core never traces (the DoH resolver's,
 * whose promise API has no way to turn them on) leaves the words out.
 */
import { readId } from './codec/index.js';
import type { DropReason, Endpoint, TraceEvent, TraceWhat } from './types.js';

function event(what: TraceWhat, at: number, handle: number | undefined, peer: Endpoint | undefined, id: number | undefined, detail: string, size?: number): TraceEvent {
  return { kind: 'trace', at, what, handle, peer, id, size, detail };
}

/** The builders of trace events, by kind. */
export const TRACE_EVENTS = {
  /** An attempt's datagram was queued; its give-up timer is armed `timeout` ms out. */
  send: (at: number, handle: number, peer: Endpoint, id: number, size: number, timeout: number): TraceEvent =>
    event('send', at, handle, peer, id, `size ${size}, timer ${Math.round(timeout)} ms`, size),
  /** The give-up timer of the current attempt fired. */
  timeout: (at: number, handle: number, peer: Endpoint): TraceEvent => event('timeout', at, handle, peer, undefined, 'attempt timed out'),
  /** TC=1 over UDP: the same server is asked over TCP (RFC 7766 §5). */
  tcpFallback: (at: number, handle: number, peer: Endpoint, id: number): TraceEvent =>
    event('tcp-fallback', at, handle, peer, id, 'TC=1: asking again over TCP'),
  /** FORMERR, NOTIMP or BADVERS to EDNS: asked again without OPT (RFC 6891 §7). */
  ednsFallback: (at: number, handle: number, peer: Endpoint, id: number, rcode: number): TraceEvent =>
    event('edns-fallback', at, handle, peer, id, `rcode ${rcode} to EDNS: asking again without it`),
  /** A BADCOOKIE answer (RFC 7873 §5.3). */
  badCookie: (at: number, handle: number, peer: Endpoint, id: number): TraceEvent => event('bad-cookie', at, handle, peer, id, 'BADCOOKIE'),
  /** A server lost the 0x20 case twice: asked again, and from now on, without it. */
  caseFallback: (at: number, handle: number, peer: Endpoint, id: number): TraceEvent =>
    event('case-fallback', at, handle, peer, id, 'case not preserved twice: asking again without 0x20'),
  /** A server failed the query (`detail`: the rcode, the malformed reason or the transport error). */
  serverFailed: (at: number, handle: number, peer: Endpoint, id: number, detail: string): TraceEvent =>
    event('server-failed', at, handle, peer, id, detail),
  /** A server failed `failures` times in a row and is demoted (`selection.ts`). */
  demoted: (at: number, peer: Endpoint, failures: number): TraceEvent =>
    event('demoted', at, undefined, peer, undefined, `${failures} failures in a row: asked after the healthy servers`),
  /** The query's deadline passed. */
  deadline: (at: number, handle: number, detail: string): TraceEvent => event('deadline', at, handle, undefined, undefined, detail),
  /** A response matched an attempt of the query. */
  receive: (at: number, handle: number, peer: Endpoint, id: number, rcode: number, tc: boolean, size: number): TraceEvent =>
    event('receive', at, handle, peer, id, `rcode ${rcode}${tc ? ' TC' : ''}`, size),
  /** A datagram was dropped for `reason`. */
  drop: (at: number, peer: Endpoint, data: Uint8Array, reason: DropReason, detail: string | undefined): TraceEvent =>
    event('drop', at, undefined, peer, readId(data), detail === undefined ? reason : `${reason} (${detail})`, data.length),
  /** A search moves on from a candidate that had no data (`search.ts`). */
  search: (at: number, handle: number, nodata: boolean, from: string, to: string): TraceEvent =>
    event('search', at, handle, undefined, undefined, `${nodata ? 'NODATA' : 'NXDOMAIN'} for ${from}: asking ${to}`),
};
