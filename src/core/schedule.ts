/**
 * The retransmission schedule: how long a query waits after each send, how
 * many sends it may make, and when it stops sending. Pure functions of the
 * settings, of what the core has learned about each server (kept by
 * `rto.ts` and `selection.ts`) and of the query's clock; the machine
 * (`machine.ts`) applies them.
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
 * 99.9% answered, p99 ≤ 1 s, ≤ 2.3 per query).
 *
 * How patient. The same silence means two things: on a link that loses
 * nothing, a try unanswered after one RTO is late (a busy host, a queue),
 * and a retry is a wasted datagram; on a lossy one it is most likely lost.
 * So a healthy server's window is its RTO stretched by `patience`: 2× while
 * none of its attempts goes unanswered, down to 1× from 20% unanswered
 * (`loss`, below). Without loss no retry goes out before twice the RTO:
 * 1.00 datagram per query, even when the RTT wanders.
 *
 * Why back off anyway. A server that answers nothing at all is not lossy,
 * it is down (or cut off): retrying it steadily only multiplies the load on
 * whatever is broken. `selection.ts` tells the two apart per server, from
 * what it keeps across queries:
 * - `failures`: timeouts and failed responses in a row, reset by an answer;
 *   a timeout counts only when its attempt was sent after the server's last
 *   response (50 queries giving up at once on a server that answered since
 *   say nothing about it);
 * - `loss`: the smoothed share of attempts left unanswered within their
 *   window, folded in only when a response ends a run of misses (so a dead
 *   server's endless run never raises it).
 * A server is *demoted* after `demoteAfter` (default 3) failures in a row on
 * a clean link, more on a lossy one, as many as make a live server's chance
 * of that many misses in a row under 1 in 1000 (0.51 loss: 11), at most 16.
 * A demoted server's window grows by `backoff` (default 2) for each failure
 * past that, up to `maxTimeout`; its first answer ends all of it.
 *
 * Whom to ask. A query walks its order of servers (`selection.ts`: healthy
 * first, rotated with `rotate`, one demoted server first as a probe for a
 * share `probeShare` of queries) round after round, skipping servers that
 * failed it (an rcode or a transport error) and, while some server is
 * healthy, demoted ones: a demoted server is asked at most once per query,
 * as that query's first send (a probe, or a server demoted since the query
 * began), and the probe's window is the RTO of the healthy server asked
 * next, so a probe costs its query one healthy RTO at most.
 * When every server left is demoted, the walk asks them all, backed off.
 *
 * How many sends. The budget is explicit, in steps (a step is one send, or
 * with `race` one round: a send to each server the walk allows):
 * - `attempts` given (Node's `tries`): `attempts × servers` steps
 *   (`attempts` rounds with `race`), every one made unless the query ends
 *   first. To fit them all before the deadline a window is cut to an equal
 *   share of what is left, `(D − t) / (steps left + 1)`; shares only grow
 *   from one step to the next, so the last try has as long as the first. A
 *   fixed window (`minTimeout = maxTimeout`: the promise API maps Node's
 *   `timeout` onto both when `tries` is given too) is not cut: it must fit,
 *   `attempts × servers × timeout ≤ D − start`, or the option is refused
 *   (`EBADOPTION`, at construction for the resolver's deadline, at `query`
 *   for a call's).
 * - `attempts` absent: as many as the deadline allows, at most
 *   `⌈(D − start) / minTimeout⌉` steps; a step is not made when its answer
 *   could not arrive before the deadline (less than the server's
 *   `SRTT + RTTVAR` left): the query then waits for its live attempts
 *   until `D`. The first send of a query is always made.
 * Protocol follow-ups (TC=1 to TCP, a resend without EDNS, after BADCOOKIE,
 * without 0x20) answer a response and are outside the budget; each needs a
 * response of its own.
 *
 * The first window of a fresh resolver (no RTT sample anywhere) is
 * `timeout` (default 400 ms); a server without a sample borrows the
 * estimate of the best sampled server.
 */
import { DnsError } from './errors.js';
import { bestSampled, rto, sampled, type RttEstimate, type RtoSettings } from './rto.js';
import { failuresPast, nextHealthy, type SelectionSettings, type Walk } from './selection.js';
import type { ServerState } from './servers.js';

/** The schedule's settings (see `ResolverOptions`). */
export interface ScheduleSettings extends RtoSettings {
  /** Growth of a demoted server's window per failure past its threshold. */
  readonly backoff: number;
  /** Tries per server, honoured; undefined: as many as the deadline allows. */
  readonly attempts: number | undefined;
}

/** The share of unanswered attempts from which a healthy server's window is its bare RTO. */
const LOSSY = 0.2;

/**
 * How much longer than its RTO a healthy server's window is, from the share
 * `loss` of its attempts left unanswered: 2× on a clean link (a retry would
 * most likely beat an answer that is only late), down to 1× from 20% (an
 * unanswered try is then most likely lost: ask again at once).
 */
export function patience(loss: number): number {
  return 2 - Math.min(1, loss / LOSSY);
}

/**
 * The window after a send to `server`: its RTO, stretched by `patience` when
 * it is from RTT samples (`past` 0: healthy), at most `maxTimeout`; for a
 * demoted server, grown by `backoff` per failure `past` its threshold, up to
 * `maxTimeout`, or, for a probe (asked while `next` is healthy), `next`'s RTO.
 */
export function baseWindow(
  s: ScheduleSettings, server: RttEstimate & { readonly loss: number }, fallback: RttEstimate | undefined, past: number, next: RttEstimate | undefined,
): number {
  if (next !== undefined && past > 0) return rto(s, next, fallback);
  const known = sampled(server) || (fallback !== undefined && sampled(fallback));
  const stretch = past > 0 ? s.backoff ** past : known ? patience(server.loss) : 1;
  return Math.min(rto(s, server, fallback) * stretch, s.maxTimeout);
}

/**
 * The window cut to fit the budget: with `left` steps still to make after
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
export function answerMargin(s: ScheduleSettings, server: RttEstimate, fallback: RttEstimate | undefined): number {
  const est = sampled(server) ? server : fallback;
  return est === undefined || !sampled(est) ? s.minTimeout : est.srtt + est.rttvar;
}

/**
 * The most steps of a query of `span` ms to `servers` servers: a step is one
 * send, or with `race` one round (a send to every server left).
 */
export function sendBudget(s: ScheduleSettings, servers: number, race: boolean, span: number): number {
  if (s.attempts !== undefined) return s.attempts * (race ? 1 : servers);
  return Math.max(1, Math.ceil(span / s.minTimeout));
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

/** Where a query stands in its plan, as the schedule reads it. */
export interface PlanState extends Walk {
  /** Position of the next server of the walk. */
  readonly cursor: number;
  readonly deadline: number;
  /** Steps made, and the most it may make. */
  readonly planned: number;
  readonly budget: number;
}

/**
 * The window of a send of the plan to `server` at `t`, the step counted in
 * `q.planned` and the cursor moved past it: steady, backed off or a probe's
 * (`baseWindow`), cut to fit explicit tries (`fitWindow`).
 */
export function planWindow(s: ScheduleSettings, p: SelectionSettings, servers: readonly ServerState[], q: PlanState, server: ServerState, t: number): number {
  const past = failuresPast(p, server);
  const next = past > 0 ? nextHealthy(servers, p, q, q.cursor) : undefined;
  const window = baseWindow(s, server, bestSampled(servers), past, next);
  return fitWindow(window, t, q.deadline, s.attempts === undefined ? undefined : q.budget - q.planned);
}

/** Whether a step after the first is still worth making at `t`: always with explicit tries, else when an answer could arrive before the deadline. */
export function worthSending(s: ScheduleSettings, servers: readonly ServerState[], server: ServerState, t: number, deadline: number): boolean {
  return s.attempts !== undefined || t + answerMargin(s, server, bestSampled(servers)) <= deadline;
}
