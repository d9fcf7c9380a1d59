/**
 * Server selection: which server a query asks first, and in what order it
 * moves on. Per server the core keeps a smoothed RTT (`rto.ts`) and a count
 * of consecutive failures (timeouts, transport errors, REFUSED, malformed
 * answers; not SERVFAIL, which is about the name more often than the server).
 *
 * - A server with `demoteAfter` failures in a row is demoted: it moves after
 *   the healthy servers in every new plan (as unbound's and BIND's server
 *   selection avoid a dead server, RFC 1035 §7.2 "prefer servers that answer").
 * - A share `probeShare` of new queries, drawn from the random source, asks
 *   one demoted server first (a probe). Any answer (NOERROR or NXDOMAIN)
 *   resets its count, so a server that came back is healthy again.
 * - `rotate` (resolv.conf(5)): each new query starts one server further along
 *   the list, round-robin.
 * A plan is a permutation of the server indexes; `undefined` stands for the
 * configured order, the common case, which allocates nothing. The failure
 * count of each server (`ServerState.failures`) is changed here only.
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

/** True when `server` is demoted. */
export function isDemoted(s: SelectionSettings, server: ServerState): boolean {
  return server.failures >= s.demoteAfter;
}

/**
 * The order of servers for a new query: healthy servers first (rotated by
 * `turn` with `rotate`), demoted ones after; with a probe, one demoted server
 * first. `draw` is the random source (16 bits), called only when some server
 * is demoted and some is healthy; a probe is counted in `stats.probes`.
 * Returns `undefined` for the configured order.
 */
export function planOrder(
  servers: readonly ServerState[], s: SelectionSettings, turn: number, draw: () => number, stats: { probes: number },
): number[] | undefined {
  const n = servers.length;
  let down = 0;
  for (const x of servers) if (isDemoted(s, x)) down++;
  if (down === 0 && !s.rotate) return undefined;
  const shift = s.rotate ? turn % n : 0;
  const healthy: number[] = [];
  const demoted: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = servers[(i + shift) % n] as ServerState;
    (isDemoted(s, x) ? demoted : healthy).push(x.index);
  }
  if (demoted.length === 0 || healthy.length === 0 || draw() >= s.probeShare) return [...healthy, ...demoted];
  stats.probes++;
  const probe = demoted.splice(draw() % demoted.length, 1) as [number];
  return [probe[0], ...healthy, ...demoted];
}

/** An answer (NOERROR or NXDOMAIN) from `server`: it is healthy again. */
export function noteAnswer(server: ServerState): void {
  server.failures = 0;
}

/** A failure of `server`: true when it is demoted by this one. */
export function noteFailure(s: SelectionSettings, server: ServerState): boolean {
  return ++server.failures === s.demoteAfter;
}
