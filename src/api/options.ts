/**
 * The promise API's options and how they become the core's.
 *
 * Mapping of Node's options onto the core (documented, tested; the schedule
 * itself is `core/schedule.ts`):
 * - `tries` (per server) is the core's `attempts`: every try is sent before
 *   the deadline. Absent, there is no count: the core sends as many as the
 *   deadline allows, one per RTO (100 ms at 20 ms each way) to a server that
 *   answers, backed off to one that does not. Node's default of 4 is not
 *   applied: at 30% loss each way 4 tries answer 93% of queries, the
 *   deadline's worth (20 in 2 s) answer 99.9% and more, for the same
 *   datagrams per answer (a try costs one only when the ones before it
 *   went unanswered).
 * - `timeout` (ms; Node's per-try timeout, `-1`/`0` for the default) is how
 *   long a try waits at least: the core's `timeout` (the first wait) and
 *   `minTimeout`. With `tries` too, it is exactly each try's wait
 *   (`maxTimeout` as well), as in Node but without c-ares' doubling.
 * - The overall deadline of a query is `deadline` if given, else
 *   `timeout × tries × servers` when both are given (every try its whole
 *   wait), else the core's 5000 ms. A query never outlives it (unlike
 *   c-ares, whose doubling turns 5 s × 4 tries into 75 s); a `deadline` too
 *   short for `tries × servers` waits of `timeout` throws `EBADOPTION`.
 * - Node accepts any int32 `timeout` and `tries`; the core bounds a query to
 *   a day and to 100 tries per server, so larger values are cut to those
 *   bounds (the per-try wait to a day over the servers, the tries to what
 *   fits a day), never refused.
 */
import { ResolverCore as Core } from '../core/resolver.js';
import { DnsError } from '../core/errors.js';
import type { ResolverOptions, ServerInput } from '../core/types.js';
import type { TraceRecord } from '../trace/format.js';
import type { ArgChecks } from './checks.js';
import { NODE_CHECKS } from './node-checks.js';

/**
 * Builds the core for each server set; given the `trace` option. The Node
 * driver and the simulator pass `recordingCore` (`src/trace/recorder.ts`),
 * which records with `trace`; without it (the DoH driver's default) a `trace`
 * option throws `EBADOPTION`, so a bundle that never traces leaves the
 * recorder out.
 */
export type CoreFactory = (options: ResolverOptions, trace: ((record: TraceRecord) => void) | undefined) => Core;

/** Turns the `servers` argument (of the constructor and `setServers`) into core servers; throws like Node. */
export type ServersParser = (servers: readonly (string | ServerInput)[]) => ServerInput[];

/** The core without a recorder: `trace` needs `recordingCore`. */
export const plainCore: CoreFactory = (options, trace) => {
  if (trace !== undefined) throw new DnsError('EBADOPTION', 'option trace needs a recording core: pass core: recordingCore (from sansdns/trace)');
  return new Core(options);
};

/** Core options the API passes through unchanged. */
type PassThrough = Pick<ResolverOptions, 'edns' | 'ednsPayload' | 'recursionDesired' | 'maxInFlight' | 'minTimeout' | 'maxTimeout' | 'backoff' | 'recentLimit'
  | 'search' | 'ndots' | 'specialNames' | 'idn' | 'rotate' | 'race' | 'demoteAfter' | 'probeShare' | 'cookies' | 'case0x20'
  | 'cache' | 'cacheMaxEntries' | 'cacheMaxBytes' | 'minTtl' | 'maxTtl' | 'negativeMaxTtl' | 'failureTtl' | 'serveStale' | 'maxStale'
  | 'staleTtl' | 'coalesce' | 'maxCnameChain'>;

/** Options of the promise resolver: Node's, plus sansdns's. */
export interface PromiseResolverOptions extends Partial<PassThrough> {
  /** Node: per-try timeout in ms, `-1` for the default (see the mapping above). */
  readonly timeout?: number;
  /** Node: tries per server (Node's default 4; here, absent: as many as the deadline allows). */
  readonly tries?: number;
  /** Overall deadline of each query in ms (see the mapping above). */
  readonly deadline?: number;
  /** Servers, in Node's string syntax or as core server objects. */
  readonly servers?: readonly (string | ServerInput)[];
  /** Receives every input of the core, for a replayable bug report (JSON lines). */
  readonly trace?: (record: TraceRecord) => void;
}

/** Per-call options beyond Node's. */
export interface CallOptions {
  /** Abort this query only; it rejects with `ECANCELLED`. */
  readonly signal?: AbortSignal;
  /** Overall deadline of this query in ms (default: the resolver's). */
  readonly timeout?: number;
}

/** Options of `query()`. */
export interface RawQueryOptions extends CallOptions {
  readonly class?: string | number;
  readonly checkingDisabled?: boolean;
  readonly dnssecOk?: boolean;
  /** Apply the search list to a relative name (default true for `query()`; `resolve*` never do, as Node's). */
  readonly search?: boolean;
}

export const NO_OPTIONS: RawQueryOptions = Object.freeze({});
const NO_SEARCH: RawQueryOptions = Object.freeze({ search: false });

/** The longest a query may last in the core (`deadline`, `timeout`), in ms. */
const DAY = 86_400_000;
/** The most tries per server the core sends (`attempts`). */
const MAX_TRIES = 100;

/** The core's options from Node's, for `servers`. Validates `timeout` and `tries` as Node does. */
export function coreOptions(o: PromiseResolverOptions, servers: readonly ServerInput[], random: (b: Uint8Array) => unknown): ResolverOptions {
  return checkedCoreOptions(o, servers, random, NODE_CHECKS);
}

/** {@link coreOptions}, validating `timeout` and `tries` with `checks` (`checks.ts`). */
export function checkedCoreOptions(
  o: PromiseResolverOptions, servers: readonly ServerInput[], random: (b: Uint8Array) => unknown, checks: ArgChecks,
): ResolverOptions {
  if (o.timeout !== undefined) checks.int32(o.timeout, 'options.timeout', -1);
  if (o.tries !== undefined) checks.int32(o.tries, 'options.tries', 1);
  // Node takes any int32; the core bounds a query to a day and 100 tries per server: the excess is cut, not refused.
  const count = Math.max(1, servers.length);
  const timeout = o.timeout === undefined || o.timeout === -1 || o.timeout === 0 ? undefined : Math.min(o.timeout, Math.floor(DAY / count));
  const tries = o.tries === undefined ? undefined : Math.min(o.tries, MAX_TRIES, timeout === undefined ? MAX_TRIES : Math.floor(DAY / (timeout * count)));
  const fixed = timeout !== undefined && tries !== undefined;
  const deadline = o.deadline ?? (fixed ? timeout * tries * count : undefined);
  const { trace: _t, timeout: _o, tries: _r, deadline: _d, servers: _s, ...rest } = o;
  return {
    ...rest, servers, random,
    ...(tries === undefined ? {} : { attempts: tries }),
    ...(timeout === undefined ? {} : { timeout, minTimeout: o.minTimeout ?? timeout }),
    ...(fixed ? { maxTimeout: o.maxTimeout ?? timeout } : {}),
    ...(deadline === undefined ? {} : { deadline }),
  };
}

/**
 * The loop's options for one call: only the options the loop knows (the
 * caller's object may carry `ttl` and more). `resolve*` pass `search: false`:
 * Node's `dns.resolve*` (c-ares `ares_query`) never apply the search list;
 * only `lookup` and `query()` do.
 */
export function loopOptions(o: RawQueryOptions, search: boolean): RawQueryOptions {
  if (o.signal === undefined && o.timeout === undefined && o.class === undefined && o.checkingDisabled === undefined && o.dnssecOk === undefined) {
    return search ? (o.search === false ? NO_SEARCH : NO_OPTIONS) : NO_SEARCH;
  }
  const out: { -readonly [K in keyof RawQueryOptions]: RawQueryOptions[K] } = {};
  if (!search || o.search === false) out.search = false;
  if (o.signal !== undefined) out.signal = o.signal;
  if (o.timeout !== undefined) out.timeout = o.timeout;
  if (o.class !== undefined) out.class = o.class;
  if (o.checkingDisabled !== undefined) out.checkingDisabled = o.checkingDisabled;
  if (o.dnssecOk !== undefined) out.dnssecOk = o.dnssecOk;
  return out;
}
