/**
 * Final events of queries answered without a datagram of their own: from the
 * cache (RFC 2308, RFC 9520), from stale data (RFC 8767), or from the
 * resolution of an identical query they were coalesced with.
 */
import { outcomeError, type QueryErrorCode } from './errors.js';
import { entryMessage, type Entry } from './cache.js';
import type { AnswerEvent, AnswerSource, ErrorEvent, QueryQuestion } from './types.js';

/** Remaining TTL in whole seconds of a live entry at `t`, rounded up (so a live entry never shows 0). */
export function remainingTtl(e: Entry, t: number): number {
  return Math.ceil((e.expires - t) / 1000);
}

/** The answer event of a query answered from entry `e` with records at `ttl` seconds. */
export function cachedAnswer(
  handle: number, question: QueryQuestion, e: Entry, ttl: number, elapsed: number, source: AnswerSource,
): AnswerEvent {
  const message = entryMessage(e, ttl, { name: question.name, type: question.type, class: question.class });
  return {
    kind: 'answer', handle, question, message, server: e.server as AnswerEvent['server'], elapsed, sent: 0,
    records: message.answers, source,
  };
}

/**
 * The error event of a query that failed with `code`: `sent` datagrams of
 * its own, or none and a `source` when it shared a remembered failure
 * (`cache`) or another query's (`coalesced`).
 */
export function errorEvent(
  handle: number, question: QueryQuestion, code: QueryErrorCode, detail: string, elapsed: number, sent: number,
  source?: 'cache' | 'coalesced',
): ErrorEvent {
  const error = outcomeError(code, `query${question.typeName} ${code} ${question.name}: ${detail}`);
  return { kind: 'error', handle, question, code, error, elapsed, sent, ...(source && { source }) };
}
