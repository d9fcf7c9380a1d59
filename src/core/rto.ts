/**
 * Retransmission timeouts (RFC 6298 §2): per server, a smoothed RTT and its
 * variance, and the RTO `SRTT + 4·RTTVAR` clamped to [minTimeout,
 * maxTimeout]. Each attempt has its own ID, so every sample is unambiguous
 * (no need for Karn's algorithm, RFC 6298 §3). How the schedule uses the
 * RTO (steady windows, backoff of a demoted server, fitting explicit tries
 * into the deadline) is `schedule.ts`. The RTT fields of `ServerState`
 * (`srtt`, `rttvar`) are changed here only (and set back by a snapshot's
 * restore).
 */
import type { ServerState } from './servers.js';

/** The settings an RTO is clamped by. */
export interface RtoSettings {
  /** RTO before any RTT sample, ms. */
  readonly timeout: number;
  readonly minTimeout: number;
  readonly maxTimeout: number;
}

/** What an RTO is computed from. */
export interface RttEstimate {
  /**
   * Smoothed RTT and its variance in ms (RFC 6298 §2); `NaN` before a sample
   * (always a number, so V8 updates it in place: `undefined` here made every
   * sample store a new heap number, issue 13).
   */
  readonly srtt: number;
  readonly rttvar: number;
}

/** Whether `e` has had an RTT sample (its `srtt` is not `NaN`, the one number unequal to itself). */
export function sampled(e: RttEstimate): boolean {
  return e.srtt === e.srtt;
}

/**
 * The RTO of `server` in ms, clamped to [minTimeout, maxTimeout]. A server
 * without an RTT sample borrows the estimate of the best sampled server
 * (`fallback`), so the first hedge to a fresh server is not a whole initial
 * timeout late; with no sample anywhere it is `timeout`.
 */
export function rto(s: RtoSettings, server: RttEstimate, fallback?: RttEstimate): number {
  const est = sampled(server) ? server : fallback;
  const raw = est === undefined || !sampled(est) ? s.timeout : est.srtt + 4 * est.rttvar;
  return Math.min(Math.max(raw, s.minTimeout), s.maxTimeout);
}

/** Timeout of a TCP attempt after truncation: connection set-up costs a round trip more. */
export function tcpTimeout(s: RtoSettings, server: RttEstimate): number {
  return 2 * rto(s, server);
}

/** The sampled server with the lowest RTO, if any. */
export function bestSampled(servers: readonly ServerState[]): ServerState | undefined {
  let best: ServerState | undefined;
  for (let i = 0; i < servers.length; i++) {
    const x = servers[i] as ServerState;
    if (!sampled(x)) continue;
    if (best === undefined || x.srtt + 4 * x.rttvar < best.srtt + 4 * best.rttvar) best = x;
  }
  return best;
}

/** Fold one RTT sample (ms) into the server's estimate: RFC 6298 §2.2–2.3, α = 1/8, β = 1/4. */
export function sampleRtt(server: ServerState, r: number): void {
  if (!sampled(server)) {
    server.srtt = r;
    server.rttvar = r / 2;
  } else {
    server.rttvar = 0.75 * server.rttvar + 0.25 * Math.abs(server.srtt - r);
    server.srtt = 0.875 * server.srtt + 0.125 * r;
  }
}
