/**
 * What the command reports for one question: the answer or the error, the
 * time it took, the datagrams it cost, and (with `--trace`) its timeline.
 */
import type { Endpoint, TraceWhat } from '../index.js';
import { rcodeName, type Message } from '../codec.js';

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
  /** Datagrams (and TCP messages, DoH requests) sent for it; unknown for a failure seen without a mirror. */
  readonly sent: number | undefined;
  /** The core's trace events for it, when traced. */
  readonly timeline: readonly TimelineEntry[] | undefined;
}

/** A DNSSEC verdict on an answer (`--validate`). */
export interface Validation {
  /** RFC 4035 §4.3. */
  readonly security: 'secure' | 'insecure' | 'bogus' | 'indeterminate';
  /** Why it is not secure, as an Extended DNS Error (RFC 8914), when the validator says. */
  readonly extendedError?: { readonly code: number; readonly text: string };
}

/** A response as received. */
export interface Reply {
  readonly message: Message;
  readonly server: Endpoint;
  /** Bytes of the response, when a mirror saw it. */
  readonly size: number | undefined;
  /** With `--validate`: its DNSSEC status. */
  readonly validation?: Validation;
}

/** A response was accepted (any rcode the core treats as an answer: NOERROR, NODATA, NXDOMAIN). */
export interface AnswerOutcome extends Common, Reply {
  readonly kind: 'answer';
}

/** No answer: the core's stable code and its message. */
export interface ErrorOutcome extends Common {
  readonly kind: 'error';
  readonly code: string;
  readonly message: string;
  /**
   * The response that ended the question, when one did (REFUSED, SERVFAIL,
   * NOTIMP, FORMERR, another rcode, a bad CNAME chain) and a mirror saw it:
   * dig prints it, status header and all.
   */
  readonly reply: Reply | undefined;
}

export type Outcome = AnswerOutcome | ErrorOutcome;

/** An answer that `--validate` found bogus, or whose chain it could not fetch (indeterminate): nothing to trust. */
export function failedValidation(o: Outcome): o is AnswerOutcome & { readonly validation: Validation } {
  return o.kind === 'answer' && (o.validation?.security === 'bogus' || o.validation?.security === 'indeterminate');
}

/** Error codes that mean a server did respond, with the rcode each stands for (-1: a response the core refused). */
const RESPONDED: Readonly<Record<string, number>> = { EFORMERR: 1, ESERVFAIL: 2, ENOTIMP: 4, EREFUSED: 5, EBADRESP: -1 };

/** True when some response arrived for the question, whatever its rcode (dig's exit status 0). */
export function responded(o: Outcome): boolean {
  return o.kind === 'answer' || o.reply !== undefined || Object.hasOwn(RESPONDED, o.code);
}

/**
 * One word for an outcome, for bulk lines and summaries: the rcode's
 * mnemonic (`NODATA` for NOERROR without answers), `TIMEOUT`, or the
 * core's code for other failures (`ECONNREFUSED`, `EBADNAME`, ...).
 */
export function outcomeStatus(o: Outcome): string {
  if (failedValidation(o)) return o.validation.security === 'bogus' ? 'EBOGUS' : 'EINDETERMINATE';
  if (o.kind === 'answer') return o.message.rcode === 0 && o.message.answers.length === 0 ? 'NODATA' : rcodeName(o.message.rcode);
  if (o.reply !== undefined) return rcodeName(o.reply.message.rcode);
  const rcode = RESPONDED[o.code];
  if (rcode !== undefined && rcode >= 0) return rcodeName(rcode);
  return o.code === 'ETIMEOUT' ? 'TIMEOUT' : o.code;
}

/** Exit status of a single question: 0 when a response arrived, 9 when none did (as dig), or one that failed validation (`--validate`: bogus, or its chain could not be fetched). */
export function exitStatus(o: Outcome): 0 | 9 {
  if (failedValidation(o)) return 9;
  return responded(o) ? 0 : 9;
}

/** The mnemonic of an rcode (RFC 6895 §2.3) as dig names it, or `RCODE<n>`: the core's (`sansdns/codec`). */
export { rcodeName } from '../codec.js';

/** dig's status: the mnemonic, or `?n` for an rcode without one (dig 9.18). */
export function digStatus(rcode: number): string {
  const name = rcodeName(rcode);
  return name.startsWith('RCODE') ? `?${rcode}` : name;
}
