/**
 * What the command reports for one question: the answer or the error, the
 * time it took, the datagrams it cost, and (with `--trace`) its timeline.
 */
import type { Endpoint, TraceWhat } from '../index.js';
import type { Message } from '../codec.js';

/** One line of a timeline: a trace event of the core, timed from the query's start. */
export interface TimelineEntry {
  /** ms since the query started. */
  readonly offset: number;
  readonly what: TraceWhat;
  readonly peer: Endpoint | undefined;
  readonly id: number | undefined;
  readonly size: number | undefined;
  readonly detail: string;
}

interface Common {
  /** The name as asked. */
  readonly name: string;
  /** The type's name (`A`, `TYPE65534`). */
  readonly type: string;
  /** ms from the query's start to its final event. */
  readonly elapsed: number;
  /** Datagrams (and TCP messages, DoH requests) sent for it. */
  readonly sent: number;
  /** The core's trace events for it, when traced. */
  readonly timeline: readonly TimelineEntry[] | undefined;
}

/** A response was accepted (any rcode the core treats as an answer: NOERROR, NODATA, NXDOMAIN). */
export interface AnswerOutcome extends Common {
  readonly kind: 'answer';
  readonly message: Message;
  readonly server: Endpoint;
  /** Bytes of the accepted response, when traced. */
  readonly size: number | undefined;
}

/** No answer: the core's stable code and its message. */
export interface ErrorOutcome extends Common {
  readonly kind: 'error';
  readonly code: string;
  readonly message: string;
}

export type Outcome = AnswerOutcome | ErrorOutcome;

/** Error codes that mean a server did respond (SERVFAIL, REFUSED, FORMERR, NOTIMP, a bad response). */
const RESPONDED = new Set(['ESERVFAIL', 'EREFUSED', 'EFORMERR', 'ENOTIMP', 'EBADRESP']);

/** True when some response arrived for the question, whatever its rcode (dig's exit status 0). */
export function responded(o: Outcome): boolean {
  return o.kind === 'answer' || RESPONDED.has(o.code);
}

/** Exit status of a single question: 0 when a response arrived, 9 when none did (as dig). */
export function exitStatus(o: Outcome): 0 | 9 {
  return responded(o) ? 0 : 9;
}

const RCODES: readonly string[] = [
  'NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE',
];

/** The mnemonic of an rcode (RFC 6895 §2.3), or `RCODE<n>`. */
export function rcodeName(rcode: number): string {
  return RCODES[rcode] ?? (rcode === 16 ? 'BADVERS' : `RCODE${rcode}`);
}
