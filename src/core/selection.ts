/**
 * Server selection: which server a query asks first, in what order it moves
 * on, and which servers are demoted. Per server the core keeps a smoothed
 * RTT (`rto.ts`), a count of failures in a row (timeouts, transport errors,
 * REFUSED, malformed answers; not SERVFAIL, which is about the name more
 * often than the server) and how often its attempts go unanswered.
 *
 * - A server is demoted after a number of failures in a row: `demoteAfter`
 *   on a clean link, more on a lossy one, as many as make a live server's
 *   chance of that many misses in a row under 1 in 1000 at the share of
 *   attempts it leaves unanswered (`loss`), at most 16 (RFC 1035 §7.2
 *   "prefer servers that answer", as unbound's and BIND's selection avoid a
 *   dead server). Only misses of attempts sent after its last response
 *   count: when 50 queries give up on a server at once, one response since
 *   they were sent shows it alive (those misses are loss, not failure). Any
 *   answer (NOERROR or NXDOMAIN) clears the count.
 * - A query walks its order round after round (`nextPosition`), skipping
 *   servers that failed it and, while a healthy one is left, demoted ones:
 *   a demoted server is asked at most once per query, as its first send.
 * - A share `probeShare` of new queries, drawn from the random source, asks
 *   one demoted server first (a probe), so a server that came back is seen.
 * - `rotate` (resolv.conf(5)): each new query starts one server further along
 *   the list, round-robin.
 * An order is a permutation of the server indexes; `undefined` stands for
 * the configured order, the common case, which allocates nothing. The
 * fields `failures`, `misses`, `loss` and `lastResponse` of `ServerState`
 * are changed here only.
 */
import type { ServerState } from './servers.js';

/** The selection settings (see `ResolverOptions`). */
export interface SelectionSettings {
  readonly rotate: boolean;
  readonly race: boolean;
  readonly demoteAfter: number;
  /** Share of new queries that probe a demoted server, in 1/65536. */
  readonly probeShare: number;
}

/** A live server's chance of `threshold` misses in a row that the threshold allows. */
const FALSE_VERDICT = 1e-3;
/** The most failures in a row a demotion waits for, however lossy the link. */
const MAX_THRESHOLD = 16;
/** Weight of one attempt's outcome in `loss`. */
const LOSS_GAIN = 1 / 16;

/** Failures in a row that demote `server`: `demoteAfter`, more on a lossy link, at most 16 (or `demoteAfter` when larger). */
export function demoteThreshold(s: SelectionSettings, server: ServerState): number {
  const p = server.loss;
  if (!(p > 0)) return s.demoteAfter;
  const k = p >= 1 ? MAX_THRESHOLD : Math.ceil(Math.log(FALSE_VERDICT) / Math.log(p));
  return Math.max(s.demoteAfter, Math.min(k, MAX_THRESHOLD));
}

/** True when `server` is demoted. */
export function isDemoted(s: SelectionSettings, server: ServerState): boolean {
  return server.failures >= demoteThreshold(s, server);
}

/** Failures of a demoted server past its threshold, counting the one that demoted it (1, 2, ...); 0 when healthy. */
export function failuresPast(s: SelectionSettings, server: ServerState): number {
  return Math.max(0, server.failures - demoteThreshold(s, server) + 1);
}

/**
 * The order of servers for a new query: healthy servers first (rotated by
 * `turn` with `rotate`), demoted ones after; with a probe, one demoted server
 * first. `random` is the random source (16 bits a draw; an object, not a
 * closure per query, issue 13), drawn only when some server is demoted and
 * some is healthy; a probe is counted in `stats.probes`.
 * Returns `undefined` for the configured order.
 */
export function planOrder(
  servers: readonly ServerState[], s: SelectionSettings, turn: number, random: { u16(): number }, stats: { probes: number },
): number[] | undefined {
  const n = servers.length;
  let down = 0;
  for (let i = 0; i < n; i++) if (isDemoted(s, servers[i] as ServerState)) down++; // no iterator per query (issue 13)
  if (down === 0 && !s.rotate) return undefined;
  const shift = s.rotate ? turn % n : 0;
  const healthy: number[] = [];
  const demoted: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = servers[(i + shift) % n] as ServerState;
    (isDemoted(s, x) ? demoted : healthy).push(x.index);
  }
  if (demoted.length === 0 || healthy.length === 0 || random.u16() >= s.probeShare) return [...healthy, ...demoted];
  stats.probes++;
  const probe = demoted.splice(random.u16() % demoted.length, 1) as [number];
  return [probe[0], ...healthy, ...demoted];
}

/** What a query's walk reads: its order and the servers that failed it. */
export interface Walk {
  readonly order: readonly number[] | undefined;
  readonly failed: readonly boolean[] | undefined;
}

/** The server at position `pos` of a walk (round `pos / n`). */
export function serverAt(servers: readonly ServerState[], walk: Walk, pos: number): ServerState {
  const n = servers.length;
  return servers[walk.order === undefined ? pos % n : (walk.order[pos % n] as number)] as ServerState;
}

/** The first healthy server that has not failed the query, in its walk from `from` on. */
export function nextHealthy(servers: readonly ServerState[], s: SelectionSettings, walk: Walk, from: number): ServerState | undefined {
  for (let pos = from; pos < from + servers.length; pos++) {
    const server = serverAt(servers, walk, pos);
    if (walk.failed?.[server.index] !== true && !isDemoted(s, server)) return server;
  }
  return undefined;
}

/**
 * The position in [from, end) of the next server to ask: not one that failed
 * the query, nor a demoted one while a healthy one is left, unless it is the
 * query's first (position 0: its probe). `undefined` when there is none.
 */
export function nextPosition(servers: readonly ServerState[], s: SelectionSettings, walk: Walk, from: number, end: number): number | undefined {
  const healthy = nextHealthy(servers, s, walk, from) !== undefined;
  for (let pos = from; pos < end; pos++) {
    const server = serverAt(servers, walk, pos);
    if (walk.failed?.[server.index] === true) continue;
    if (healthy && pos > 0 && isDemoted(s, server)) continue;
    return pos;
  }
  return undefined;
}

/** An answer (NOERROR or NXDOMAIN) from `server`: it is healthy again. */
export function noteAnswer(server: ServerState): void {
  server.failures = 0;
}

/**
 * A failure of `server` (a timeout or a failed response): true when it is
 * demoted by this one.
 */
export function noteFailure(s: SelectionSettings, server: ServerState): boolean {
  const was = isDemoted(s, server);
  server.failures++;
  return !was && isDemoted(s, server);
}

/**
 * An attempt to `server` sent at `sentAt` was given up on: a miss. Sent
 * before the server's last response, it was lost while the server was alive:
 * it goes into `loss` at once. Sent after, it may be the server that is gone:
 * it joins the run of `misses` folded in by the next response, and counts as
 * a failure (the return value).
 */
export function noteMiss(server: ServerState, sentAt: number): boolean {
  if (sentAt < server.lastResponse) {
    server.loss += LOSS_GAIN * (1 - server.loss);
    return false;
  }
  server.misses++;
  return true;
}

/**
 * `server` sent a response (any rcode) at `t`: the run of misses it ends (of
 * attempts sent after its previous response) is folded into `loss`, at most
 * the demotion threshold of it, then the response as a hit.
 */
export function noteResponse(s: SelectionSettings, server: ServerState, t: number): void {
  server.loss = lossAfterResponse(server.loss, server.misses, demoteThreshold(s, server));
  server.misses = 0;
  server.lastResponse = t;
}

/**
 * `loss` after a response that ends a run of `misses` timeouts: the run
 * (at most `threshold` of it) counted as misses, then the response as a hit.
 */
export function lossAfterResponse(loss: number, misses: number, threshold: number): number {
  const kept = (1 - loss) * (1 - LOSS_GAIN) ** Math.min(misses, threshold);
  return (1 - kept) * (1 - LOSS_GAIN);
}
