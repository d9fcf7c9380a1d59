/**
 * Errors of sansdns.
 *
 * Two families share one class, told apart by `code`:
 * - caller mistakes, thrown synchronously (`EBADNAME`, `EBADTYPE`, `EBADCLASS`,
 *   `EBADSERVER`, `EBADOPTION`, `EBADTIME`, `EBADHANDLE`, `ELIMIT`, `EBADSNAPSHOT`);
 * - outcomes of a query, carried by its final `error` event (`ETIMEOUT`,
 *   `ECANCELLED`, `ESERVFAIL`, `EREFUSED`, `EBADRESP`, `EFORMERR`, `ENOTIMP`,
 *   `ECONNREFUSED`, `EBOGUS`, ...). Codes follow Node's `dns` module where one fits.
 */

/** Codes thrown synchronously for a caller mistake. */
export type CallerErrorCode =
  | 'EBADNAME'
  | 'EBADTYPE'
  | 'EBADCLASS'
  | 'EBADSERVER'
  | 'EBADOPTION'
  | 'EBADTIME'
  | 'EBADHANDLE'
  | 'ELIMIT'
  | 'EBADSNAPSHOT';

/** Codes carried by a query's final `error` event. */
export type QueryErrorCode =
  | 'ETIMEOUT'
  | 'ECANCELLED'
  | 'ESERVFAIL'
  | 'EREFUSED'
  | 'EBADRESP'
  | 'EFORMERR'
  | 'ENOTIMP'
  | 'ECONNREFUSED'
  | 'ENETUNREACH'
  | 'ECONNRESET'
  /** DNSSEC validation found the answer bogus (RFC 4035 §4.3, §5.5); see `dnssec/`. */
  | 'EBOGUS';

export type DnsErrorCode = CallerErrorCode | QueryErrorCode;

/**
 * Codes a driver reports for one failed transmission (`handleError`): a
 * socket error, a failed HTTP exchange, a response refused before the core
 * saw it. The two codes only the core decides (`ETIMEOUT`, `ECANCELLED`) are
 * not among them.
 */
export type TransportErrorCode = Exclude<QueryErrorCode, 'ETIMEOUT' | 'ECANCELLED'>;

const BRAND = Symbol.for('sansdns.DnsError');

/** The one error class of sansdns: a stable `code`, a message and an optional `cause`. */
export class DnsError extends Error {
  override readonly name = 'DnsError';
  readonly code: DnsErrorCode;
  readonly [BRAND] = true;

  constructor(code: DnsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * A {@link DnsError} for the final event of a query, built without capturing
 * a stack: it is made inside `handleTimeout` or `handleDatagrams`, where the
 * stack names only the resolver's own frames, and capturing one costs more
 * than the rest of a failure (100,000 queries timing out together, issue 18).
 * Its `stack` is its first line. Caller mistakes, thrown where the caller can
 * use a stack, keep theirs.
 */
export function outcomeError(code: DnsErrorCode, message: string): DnsError {
  const E = Error as { stackTraceLimit?: number | undefined };
  const limit = E.stackTraceLimit;
  E.stackTraceLimit = 0;
  const error = new DnsError(code, message);
  E.stackTraceLimit = limit;
  return error;
}

/** True for a {@link DnsError}, including one from another copy of the package. */
export function isDnsError(value: unknown): value is DnsError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
