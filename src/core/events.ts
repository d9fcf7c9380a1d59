/**
 * What the resolver reports: fresh counters, and the final events of queries
 * answered without a datagram of their own (from the cache, RFC 2308,
 * RFC 9520; from stale data, RFC 8767; or from the resolution of an identical
 * query they were coalesced with), and the error event every failure ends
 * with, whoever builds it (the machine, the cache path, a driver's loop).
 */
import { outcomeError, type QueryErrorCode } from './errors.js';
import { entryMessage, type Cache, type Entry, type Keys } from './cache.js';
import type { AnswerEvent, AnswerSource, ErrorEvent, QueryQuestion, ResolverStats } from './types.js';

/** Fresh zeroed counters. */
export function newStats(): ResolverStats {
  return {
    queriesStarted: 0,
    answered: 0,
    failed: 0,
    cancelled: 0,
    datagramsSent: 0,
    datagramsReceived: 0,
    retransmissions: 0,
    tcpFallbacks: 0,
    ednsFallbacks: 0,
    timeouts: 0,
    cacheHits: 0,
    cacheMisses: 0,
    staleAnswers: 0,
    cacheEvictions: 0,
    coalesced: 0,
    offChainRecords: 0,
    demotions: 0,
    probes: 0,
    badCookies: 0,
    caseFallbacks: 0,
    searched: 0,
    local: 0,
    dropped: { 'unknown-peer': 0, malformed: 0, 'not-response': 0, unmatched: 0, 'wrong-question': 0, late: 0, 'wrong-case': 0, 'bad-cookie': 0 },
    malformed: {},
  };
}

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

/**
 * The final event of a query that a live cache entry `e` answers within the
 * call (RFC 2308, RFC 9520), counted in `stats`. A remembered failure is
 * served stale when serve-stale has data (RFC 8767), else it is the error.
 */
export function hitEvent(
  stats: ResolverStats, cache: Cache, t: number, keys: Keys, e: Entry, handle: number, question: QueryQuestion,
): AnswerEvent | ErrorEvent {
  stats.queriesStarted++;
  stats.cacheHits++;
  if (e.kind !== 'failure') {
    stats.answered++;
    return cachedAnswer(handle, question, e, remainingTtl(e, t), 0, 'cache');
  }
  const stale = staleEvent(stats, cache, t, keys, handle, question, 0);
  if (stale !== undefined) return stale;
  stats.failed++;
  return errorEvent(handle, question, e.code as QueryErrorCode, 'failure remembered (option failureTtl, RFC 9520)', 0, 0, 'cache');
}

/** An answer from expired data, when serve-stale is on and there is some (RFC 8767 §4), counted in `stats`. */
export function staleEvent(
  stats: ResolverStats, cache: Cache, t: number, keys: Keys, handle: number, question: QueryQuestion, elapsed: number,
): AnswerEvent | undefined {
  const e = cache.stale(t, keys);
  if (e === undefined) return undefined;
  stats.staleAnswers++;
  stats.answered++;
  return cachedAnswer(handle, question, e, cache.s.staleTtl, elapsed, 'stale');
}
