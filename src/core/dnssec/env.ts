/**
 * What a validation step can reach: the verification context (verifier,
 * wall-clock time, budget), the caller's time, the anchors, the key cache,
 * and the DNSKEY and DS responses fetched so far. A step that needs a
 * response not fetched yet gets `undefined` from `response`, which records the
 * need; the step then returns {@link PENDING} and is run again when the
 * response arrives (the validating resolver asks for it through the core).
 */
import type { QueryErrorCode } from '../errors.js';
import type { AnswerEvent } from '../types.js';
import type { Anchors } from './anchors.js';
import type { VerifyContext } from './verify-rrset.js';
import type { KeyCache } from './zone-state.js';

/** A fetched DNSKEY or DS response: the core's final event for it. */
export type Fetched =
  | { readonly ok: true; readonly event: AnswerEvent }
  | { readonly ok: false; readonly code: QueryErrorCode; readonly detail: string };

/** Returned by a step that waits for a response. */
export const PENDING = 'pending';
export type Pending = typeof PENDING;

export interface Env {
  readonly ctx: VerifyContext;
  /** The caller's time (ms), for cache expiry. */
  readonly t: number;
  readonly anchors: Anchors;
  readonly cache: KeyCache;
  /** Accept DS digest type 1 (SHA-1); see `algorithms.ts`. */
  readonly sha1: boolean;
  /** The response to `name`/`type` (43 DS or 48 DNSKEY), or `undefined` (asked for, not here yet). */
  response(name: readonly Uint8Array[], type: 43 | 48): Fetched | undefined;
  /** Results of this validation kept across its runs (an RRset verified once is not verified again). */
  readonly memo: Map<string, unknown>;
  /** A verdict line for traces: which RRset, signature, key and rule. */
  log(line: string): void;
}
