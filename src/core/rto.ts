/**
 * Retransmission timing: how long to wait for an attempt before the next send
 * of the plan. Per server, a smoothed RTT and its variance (RFC 6298 §2), the
 * timeout `SRTT + 4·RTTVAR` clamped to [minTimeout, maxTimeout], times
 * `backoff` per round. Each attempt has its own ID, so every sample is
 * unambiguous (no need for Karn's algorithm, RFC 6298 §3). The RTT fields
 * of `ServerState` (`srtt`, `rttvar`) are changed here only (and set back by
 * a snapshot's restore).
 */
import type { Settings } from './settings.js';
import type { ServerState } from './servers.js';

/**
 * Timeout in ms of an attempt to `server` in round `round` (0-based). A
 * server without an RTT sample borrows the estimate of the best sampled
 * server (`fallback`), so the first hedge to a fresh server is not a whole
 * initial timeout late; with no sample anywhere it is `timeout`.
 */
export function attemptTimeout(s: Settings, server: ServerState, round: number, fallback?: ServerState): number {
  const est = server.srtt === undefined ? fallback : server;
  const rto = est?.srtt === undefined ? s.timeout : est.srtt + 4 * est.rttvar;
  const base = Math.min(Math.max(rto, s.minTimeout), s.maxTimeout);
  return Math.min(base * s.backoff ** round, s.maxTimeout);
}

/** Timeout of a TCP attempt after truncation: connection set-up costs a round trip more. */
export function tcpTimeout(s: Settings, server: ServerState): number {
  return 2 * attemptTimeout(s, server, 0);
}

/** The sampled server with the lowest RTO, if any. */
export function bestSampled(servers: readonly ServerState[]): ServerState | undefined {
  let best: ServerState | undefined;
  for (const x of servers) {
    if (x.srtt === undefined) continue;
    if (best === undefined || x.srtt + 4 * x.rttvar < (best.srtt as number) + 4 * best.rttvar) best = x;
  }
  return best;
}

/** Fold one RTT sample (ms) into the server's estimate: RFC 6298 §2.2–2.3, α = 1/8, β = 1/4. */
export function sampleRtt(server: ServerState, r: number): void {
  if (server.srtt === undefined) {
    server.srtt = r;
    server.rttvar = r / 2;
  } else {
    server.rttvar = 0.75 * server.rttvar + 0.25 * Math.abs(server.srtt - r);
    server.srtt = 0.875 * server.srtt + 0.125 * r;
  }
}
