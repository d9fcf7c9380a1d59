/**
 * Small pure helpers of the resolver: counters, rcode mapping and the checks
 * of caller input that `resolver.ts` runs before it changes any state.
 */
import { DnsError, type QueryErrorCode } from './errors.js';
import type { QueryOptions, Received, ResolverStats } from './types.js';

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

/** The error code of a failure rcode (RFC 1035 §4.1.1, RFC 6895 §2.3). */
export function rcodeError(rcode: number): QueryErrorCode {
  switch (rcode) {
    case 1:
      return 'EFORMERR';
    case 2:
      return 'ESERVFAIL';
    case 4:
      return 'ENOTIMP';
    case 5:
      return 'EREFUSED';
    default:
      return 'EBADRESP';
  }
}

function isEndpoint(peer: unknown): boolean {
  if (typeof peer !== 'object' || peer === null) return false;
  const p = peer as Record<string, unknown>;
  if (p.transport === 'doh') return typeof p.url === 'string';
  return (p.transport === 'udp' || p.transport === 'tcp' || p.transport === 'tls') && typeof p.address === 'string' && typeof p.port === 'number';
}

/** Check the shape of what a driver hands in (not its bytes). Throws `EBADOPTION`. */
export function validateReceived(datagrams: readonly Received[]): void {
  if (!Array.isArray(datagrams)) throw new DnsError('EBADOPTION', 'handleDatagrams takes an array of datagrams');
  for (const d of datagrams as unknown[]) {
    const r = d as Partial<Received> | null;
    if (typeof r !== 'object' || r === null || !(r.data instanceof Uint8Array) || !isEndpoint(r.peer)) {
      throw new DnsError('EBADOPTION', 'each datagram is { data: Uint8Array, peer: Endpoint, token? }');
    }
  }
}

/** The overall timeout of one query: the per-query option, else the resolver's. */
export function queryTimeout(options: QueryOptions, resolverDeadline: number): number {
  const t = options.timeout;
  if (t === undefined) return resolverDeadline;
  if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0 || t > 86_400_000) {
    throw new DnsError('EBADOPTION', `query option timeout must be a number of ms in (0, 86400000], got ${String(t)}`);
  }
  return t;
}
