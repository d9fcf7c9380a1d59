/**
 * The retransmission schedule: how long a query waits after each send, how
 * many sends it may make, and when it stops sending. Pure functions of the
 * settings, of what the core has learned about each server and of the
 * query's clock; the state they read is changed by the resolver's machine.
 *
 * Theory of operation
 * -------------------
 * A query owns a deadline `D` (absolute; the resolver's `deadline` or the
 * call's) and a budget of sends. Each send is an attempt with its own ID to
 * one server; it opens a *window*, the time the query waits before its next
 * send. An attempt given up on stays live until the query ends, so its late
 * answer still wins (hedging): over UDP a retry costs a datagram, never an
 * answer, and steady retries cost about 1/p datagrams per answer when each
 * try succeeds with probability p and the window is at least the RTT.
 *
 * Why steady. At 30% loss each way a try succeeds with p = 0.7 × 0.7 =
 * 0.49, independently of the tries before it: losing one says nothing
 * about the next, so waiting longer each time (exponential backoff) only
 * spends the deadline. k tries fail together with 0.51^k: 7 tries answered
 * within 1 s give p99 under 1 s, 11 tries within 2 s give 99.9%. So the
 * window after a send to a server that *answers* (other queries, or this
 * one late) is its RTO, `SRTT + 4·RTTVAR` (RFC 6298 §2), clamped to
 * [`minTimeout`, `maxTimeout`], the same in every round: 100 ms at 20 ms
 * each way, 20 sends in 2 s at most, ~2.04 sent per answer (targets: ≥
 * 99.9% answered, p99 ≤ 1 s, ≤ 2.3 per query; 1.00 without loss, since no
 * window is shorter than the RTT it was measured from).
 *
 * Why back off anyway. A server that answers nothing at all is not lossy,
 * it is down (or cut off): retrying it steadily only multiplies the load on
 * whatever is broken. The core tells the two apart per server with two
 * figures it keeps across queries:
 * - `failures`: timeouts and failed responses in a row, reset by an answer;
 * - `loss`: the smoothed share of attempts left unanswered within their
 *   window, folded in only when a response ends a run of misses (so a dead
 *   server's endless run never raises it, and a run counts at most the
 *   threshold below).
 * A server is *demoted* after `threshold` failures in a row: `demoteAfter`
 * (default 3) on a clean link, more on a lossy one, as many as make a live
 * server's chance of that many misses in a row under 1 in 1000 (0.51 loss:
 * 11), at most 16. A demoted server's window grows by `backoff` (default 2)
 * for each failure past the threshold, up to `maxTimeout`; its first
 * answer ends all of it.
 *
 * Whom to ask. A query walks its order of servers (`selection.ts`: healthy
 * first, rotated with `rotate`, one demoted server first as a probe for a
 * share `probeShare` of queries) round after round, skipping servers that
 * failed it (an rcode or a transport error) and, while some server is
 * healthy, demoted ones: a demoted server is asked at most once per query,
 * as that query's probe, and the probe's window is the RTO of the healthy
 * server asked next, so a probe costs its query one healthy RTO at most.
 * When every server left is demoted, the walk asks them all, backed off.
 *
 * How many sends. The budget is explicit:
 * - `attempts` given (Node's `tries`): `attempts × servers` sends, every one
 *   sent unless the query ends first. To fit them all before the deadline a
 *   window is cut to an equal share of what is left, `(D − t) / (sends left
 *   + 1)`; shares only grow from one send to the next, so the last try has
 *   as long as the first. A fixed window (`minTimeout = maxTimeout`: the
 *   promise API maps Node's per-try `timeout` onto both) is not cut: it must
 *   fit, `attempts × servers × timeout ≤ D − start`, or the option is
 *   refused (`EBADOPTION`, at construction for the resolver's deadline, at
 *   `query` for a call's).
 * - `attempts` absent: as many as the deadline allows, at most
 *   `⌈(D − start) / minTimeout⌉` (times the servers with `race`); a send is
 *   not made when its answer could not arrive before the deadline (less
 *   than the server's `SRTT + RTTVAR` left): the query then waits for its
 *   live attempts until `D`.
 * Protocol follow-ups (TC=1 to TCP, a resend without EDNS, after BADCOOKIE,
 * without 0x20) answer a response and are outside the budget; each needs a
 * response of its own.
 *
 * The first window of a fresh resolver (no RTT sample anywhere) is
 * `timeout` (default 400 ms); a server without a sample borrows the
 * estimate of the best sampled server.
 */
import { DnsError } from './errors.js';

/** What the schedule reads of a server (`ServerState` holds it). */
export interface LinkState {
  /** Smoothed RTT and its variance in ms (RFC 6298 §2); undefined before a sample. */
  readonly srtt: number | undefined;
  readonly rttvar: number;
  /** Timeouts and failed responses in a row; reset by an answer. */
  readonly failures: number;
  /** Timeouts since the server last sent any response. */
  readonly misses: number;
  /** Smoothed share of attempts unanswered within their window, while the server answered (0..1). */
  readonly loss: number;
}

/** The schedule's settings (see `ResolverOptions`). */
export interface ScheduleSettings {
  /** Window before any RTT sample, ms. */
  readonly timeout: number;
  readonly minTimeout: number;
  readonly maxTimeout: number;
  /** Growth of a demoted server's window per failure past its threshold. */
  readonly backoff: number;
  /** Failures in a row that demote a server on a clean link. */
  readonly demoteAfter: number;
  /** Tries per server, honoured; undefined: as many as the deadline allows. */
  readonly attempts: number | undefined;
}

/** A live server's chance of `threshold` misses in a row that the threshold allows. */
const FALSE_VERDICT = 1e-3;
/** The most failures in a row a demotion waits for, however lossy the link. */
const MAX_THRESHOLD = 16;
/** Weight of one attempt's outcome in `loss`. */
const LOSS_GAIN = 1 / 16;

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

/**
 * The RTO of `server` clamped to [minTimeout, maxTimeout]: RFC 6298 §2 from
 * its samples, else from `fallback`'s (the best sampled server), else `timeout`.
 */
export function rto(s: ScheduleSettings, server: LinkState, fallback?: LinkState): number {
  const est = server.srtt === undefined ? fallback : server;
  const raw = est?.srtt === undefined ? s.timeout : est.srtt + 4 * est.rttvar;
  return clamp(raw, s.minTimeout, s.maxTimeout);
}

/** Failures in a row that demote `server`: `demoteAfter`, more on a lossy link, at most 16. */
export function demoteThreshold(s: ScheduleSettings, server: LinkState): number {
  const p = server.loss;
  if (!(p > 0)) return s.demoteAfter;
  const k = p >= 1 ? MAX_THRESHOLD : Math.ceil(Math.log(FALSE_VERDICT) / Math.log(p));
  return Math.max(s.demoteAfter, Math.min(k, MAX_THRESHOLD));
}

/** True when `server` is demoted: asked after the healthy servers, backed off. */
export function isDemoted(s: ScheduleSettings, server: LinkState): boolean {
  return server.failures >= demoteThreshold(s, server);
}

/**
 * The window after a send to `server`: its RTO when it is healthy; grown by
 * `backoff` per failure past its threshold when demoted, up to `maxTimeout`;
 * for a probe (a demoted server asked while `next` is healthy), `next`'s RTO.
 */
export function baseWindow(s: ScheduleSettings, server: LinkState, fallback: LinkState | undefined, next: LinkState | undefined): number {
  if (!isDemoted(s, server)) return rto(s, server, fallback);
  if (next !== undefined) return rto(s, next, fallback);
  const past = server.failures - demoteThreshold(s, server) + 1;
  return Math.min(rto(s, server, fallback) * s.backoff ** past, s.maxTimeout);
}

/**
 * The window cut to fit the budget: with `left` sends still to make after
 * this one (explicit `attempts`), an equal share of the time to the deadline.
 * `left` undefined (no explicit attempts): the window as it is.
 */
export function fitWindow(window: number, t: number, deadline: number, left: number | undefined): number {
  if (left === undefined) return window;
  return Math.min(window, (deadline - t) / (left + 1));
}

/**
 * Time an answer from `server` needs, to decide whether a send is still worth
 * making: `SRTT + RTTVAR` from its samples (or `fallback`'s), else `minTimeout`.
 */
export function answerMargin(s: ScheduleSettings, server: LinkState, fallback: LinkState | undefined): number {
  const est = server.srtt === undefined ? fallback : server;
  return est?.srtt === undefined ? s.minTimeout : est.srtt + est.rttvar;
}

/** The most sends a query of `span` ms may make to `servers` servers (`race`: every server per step). */
export function sendBudget(s: ScheduleSettings, servers: number, race: boolean, span: number): number {
  if (s.attempts !== undefined) return s.attempts * servers;
  return Math.max(1, Math.ceil(span / s.minTimeout)) * (race ? servers : 1);
}

/**
 * Throws `EBADOPTION` when explicit `attempts` with a fixed window
 * (`minTimeout = maxTimeout`, a per-try timeout) cannot all wait their
 * window within a deadline of `span` ms; `what` names the deadline.
 */
export function checkFit(s: ScheduleSettings, servers: number, span: number, what: string): void {
  if (s.attempts === undefined || s.minTimeout < s.maxTimeout) return;
  const need = s.attempts * servers * s.minTimeout;
  if (need <= span) return;
  throw new DnsError('EBADOPTION', `${s.attempts} tries × ${servers} server${servers === 1 ? '' : 's'} × ${s.minTimeout} ms per try `
    + `= ${need} ms do not fit in the ${what} of ${span} ms: lower tries or the per-try timeout, or raise the deadline`);
}

/**
 * `loss` after a response that ends a run of `misses` timeouts: the run
 * (at most `threshold` of it) counted as misses, then the response as a hit.
 */
export function lossAfterResponse(loss: number, misses: number, threshold: number): number {
  const kept = (1 - loss) * (1 - LOSS_GAIN) ** Math.min(misses, threshold);
  return (1 - kept) * (1 - LOSS_GAIN);
}
