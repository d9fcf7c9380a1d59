/**
 * Events of the validating resolver: the core's, with the security status
 * (RFC 4035 §4.3), the Extended DNS Errors the upstream server sent
 * (RFC 8914), the validator's own EDE for a bogus or insecure verdict, and
 * on request the records of the validation chain.
 */
import type { DnsRecord } from '../codec/types.js';
import type { AnswerEvent, ErrorEvent, TraceEvent } from '../types.js';
import type { ExtendedError } from './ede.js';
import type { SecurityStatus } from './zone-state.js';

/** A final answer, validated. */
export interface ValidatedAnswer extends AnswerEvent {
  readonly security: SecurityStatus;
  /** Extended DNS Errors of the response's OPT record (RFC 8914), as the server sent them. */
  readonly extendedErrors: readonly ExtendedError[];
  /** Why the answer is not secure (for insecure, indeterminate, and bogus with `checkingDisabled`). */
  readonly extendedError?: ExtendedError;
  /** With option `validationChain`: the DNSKEY, DS, RRSIG and NSEC/NSEC3 records that decided, anchor first. */
  readonly chain?: readonly DnsRecord[];
}

/** A final error: `EBOGUS` for a bogus answer, or the core's (or a chain fetch's) error. */
export interface ValidatedError extends ErrorEvent {
  readonly security?: SecurityStatus;
  /** The validator's Extended DNS Error (RFC 8914): INFO-CODE and the reason. */
  readonly extendedError?: ExtendedError;
}

export type ValidatingEvent = ValidatedAnswer | ValidatedError | TraceEvent;

/** Counters of validation since construction. */
export interface ValidationStats {
  secure: number;
  insecure: number;
  bogus: number;
  indeterminate: number;
  /** DNSKEY and DS queries sent through the core (cache hits included). */
  fetches: number;
  /** Signature verifications. */
  verifications: number;
  /** Validations that ended because a bound was reached (maxVerifications, maxNsec3Work, maxFetches, maxChainDepth). */
  bounded: number;
}
