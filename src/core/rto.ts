/**
 * Retransmission timing: how long to wait for an attempt before the next send
 * of the plan. Per server, a smoothed RTT and its variance (RFC 6298 §2), the
 * timeout `SRTT + 4·RTTVAR` clamped to [minTimeout, maxTimeout], times
 * `backoff` per round. Each attempt has its own ID, so every sample is
 * unambiguous (no need for Karn's algorithm, RFC 6298 §3).
 */
import type { Settings } from './options.js';
import type { ServerState } from './servers.js';

/** Timeout in ms of an attempt to `server` in round `round` (0-based). */
export function attemptTimeout(s: Settings, server: ServerState, round: number): number {
  const rto = server.srtt === undefined ? s.timeout : server.srtt + 4 * server.rttvar;
  const base = Math.min(Math.max(rto, s.minTimeout), s.maxTimeout);
  return Math.min(base * s.backoff ** round, s.maxTimeout);
}

/** Timeout of a TCP attempt after truncation: connection set-up costs a round trip more. */
export function tcpTimeout(s: Settings, server: ServerState): number {
  return 2 * attemptTimeout(s, server, 0);
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
