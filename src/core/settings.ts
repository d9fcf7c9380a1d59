/**
 * Settings: every option of a resolver checked once, at construction, with
 * its default filled in, and the checks of what a caller hands in later
 * (per-query options, received datagrams). A bad option or input throws
 * `EBADOPTION` (ARCHITECTURE.md rule 8) and changes nothing.
 *
 * Options are read in a fixed order (the transport and retry options, the
 * cache, then the resolution policy: names, server selection, cookies and
 * 0x20), so that of two bad options the same one is always reported. An
 * option that turns on a policy the core was built without (`policies.ts`)
 * throws `EBADOPTION` where it is read.
 */
import { DnsError } from './errors.js';
import type { CacheSettings } from './cache.js';
import type { ScheduleSettings } from './schedule.js';
import type { SelectionSettings } from './selection.js';
import { isEndpoint } from './servers.js';
import type { QueryOptions, Received, ResolverOptions } from './types.js';

/**
 * The policies of a core, as far as options care (`policies.ts`): whether
 * each one that an option turns on was given. (Not `Policies` itself: the
 * policies' code reads settings, and a file cycle would follow.)
 */
export interface GivenPolicies {
  /** The search policy checks the `search` option (`searchList`, `search.ts`). */
  readonly search?: { readonly list: (value: unknown) => readonly string[] };
  readonly case0x20?: unknown;
  readonly trace?: unknown;
}

/** Options with every default filled in. */
export interface Settings {
  /** The retransmission schedule: windows, backoff, tries (`schedule.ts`). */
  readonly schedule: ScheduleSettings;
  readonly deadline: number;
  readonly edns: boolean;
  readonly ednsPayload: number;
  readonly recursionDesired: boolean;
  readonly maxInFlight: number;
  readonly recentLimit: number;
  readonly trace: boolean;
  readonly cache: boolean;
  readonly cacheSettings: CacheSettings;
  readonly coalesce: boolean;
  readonly maxCnameChain: number;
  /** Names, server selection, cookies and 0x20. */
  readonly policy: PolicySettings;
}

/** Options of the resolution policy this side of the cache, with every default filled in. */
export interface PolicySettings extends SelectionSettings {
  readonly search: readonly string[];
  readonly ndots: number;
  readonly specialNames: boolean;
  readonly idn: boolean;
  readonly cookies: boolean;
  readonly case0x20: boolean | readonly number[];
}

/** A number option in `min..max`, or `fallback` when absent. Throws `EBADOPTION`. */
function num(o: ResolverOptions, name: keyof ResolverOptions, fallback: number, min: number, max: number, integer: boolean): number {
  const value: unknown = o[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const kind = integer ? 'an integer' : 'a number';
    throw new DnsError('EBADOPTION', `option ${name} must be ${kind} in ${min}..${max}, got ${String(value)}`);
  }
  return value;
}

/** A boolean option, or `fallback` when absent. Throws `EBADOPTION`. */
function bool(o: ResolverOptions, name: keyof ResolverOptions, fallback: boolean): boolean {
  const value: unknown = o[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new DnsError('EBADOPTION', `option ${name} must be a boolean`);
  return value;
}

const DAY = 86_400_000;

/** Check every option and fill in defaults, for a core built with `policies`. */
export function settingsFrom(o: ResolverOptions, policies: GivenPolicies): Settings {
  if (typeof o !== 'object' || o === null) throw new DnsError('EBADOPTION', 'options must be an object');
  const timeout = num(o, 'timeout', 400, 1, DAY, false);
  const minTimeout = num(o, 'minTimeout', Math.min(100, timeout), 1, DAY, false);
  const maxTimeout = num(o, 'maxTimeout', Math.max(4000, timeout), minTimeout, DAY, false);
  const backoff = num(o, 'backoff', 2, 1, 16, false);
  const attempts = o.attempts === undefined ? undefined : num(o, 'attempts', 1, 1, 100, true);
  return {
    schedule: { timeout, minTimeout, maxTimeout, backoff, attempts },
    deadline: num(o, 'deadline', 5000, 1, DAY, false),
    edns: bool(o, 'edns', true),
    ednsPayload: num(o, 'ednsPayload', 1232, 512, 65535, true),
    recursionDesired: bool(o, 'recursionDesired', true),
    maxInFlight: num(o, 'maxInFlight', 100_000, 1, 10_000_000, true),
    recentLimit: num(o, 'recentLimit', 4096, 0, 10_000_000, true),
    trace: needs('trace', bool(o, 'trace', false), (on) => on, policies),
    cache: bool(o, 'cache', true),
    cacheSettings: cacheSettingsFrom(o),
    coalesce: bool(o, 'coalesce', true),
    maxCnameChain: num(o, 'maxCnameChain', 8, 1, 64, true),
    policy: policyFrom(o, bool(o, 'edns', true), policies),
  };
}

const TTL_MAX = 2 ** 31 - 1;

/** The cache's bounds and clamps (RFC 2181 §8: TTLs up to 2^31 − 1 s). */
function cacheSettingsFrom(o: ResolverOptions): CacheSettings {
  const maxTtl = num(o, 'maxTtl', 86_400, 0, TTL_MAX, false);
  return {
    maxEntries: num(o, 'cacheMaxEntries', 10_000, 0, 10_000_000, true),
    maxBytes: num(o, 'cacheMaxBytes', 4 * 1024 * 1024, 0, 2 ** 40, true),
    minTtl: num(o, 'minTtl', 0, 0, maxTtl, false),
    maxTtl,
    negativeMaxTtl: num(o, 'negativeMaxTtl', 3600, 0, TTL_MAX, false),
    failureTtl: num(o, 'failureTtl', 5, 0, 300, false),
    serveStale: bool(o, 'serveStale', false),
    maxStale: num(o, 'maxStale', 86_400, 0, TTL_MAX, false),
    staleTtl: num(o, 'staleTtl', 30, 1, 86_400, false),
  };
}

function caseOption(value: unknown): boolean | readonly number[] {
  if (value === undefined || typeof value === 'boolean') return value === true;
  if (Array.isArray(value) && value.every((i) => Number.isInteger(i) && (i as number) >= 0)) return value as number[];
  throw new DnsError('EBADOPTION', 'option case0x20 must be a boolean or an array of server indexes');
}

/** The error of option `name` turned on in a core built without its policy. */
function needsPolicy(name: keyof GivenPolicies): DnsError {
  return new DnsError('EBADOPTION', `option ${name} needs the ${name} policy, which this core was built without (Resolver has every policy)`);
}

/** `value` of option `name`, when it leaves its policy off (`on` false) or the core has that policy. Throws `EBADOPTION`. */
function needs<T>(name: keyof GivenPolicies, value: T, on: (value: T) => boolean, policies: GivenPolicies): T {
  if (policies[name] === undefined && on(value)) throw needsPolicy(name);
  return value;
}

/**
 * The `search` option: checked by the search policy (`searchList`); a core
 * without it takes none or `[]`, and refuses anything else (`EBADOPTION`).
 */
function searchOption(value: unknown, policies: GivenPolicies): readonly string[] {
  if (policies.search !== undefined) return policies.search.list(value);
  if (value !== undefined && !(Array.isArray(value) && value.length === 0)) throw needsPolicy('search');
  return [];
}

/** The policy options: names (search list, `ndots`, special-use names, IDN), selection, cookies and 0x20. */
function policyFrom(o: ResolverOptions, edns: boolean, policies: GivenPolicies): PolicySettings {
  return {
    search: searchOption(o.search, policies),
    ndots: num(o, 'ndots', 1, 0, 15, true),
    specialNames: bool(o, 'specialNames', true),
    idn: bool(o, 'idn', true),
    rotate: bool(o, 'rotate', false),
    race: bool(o, 'race', false),
    demoteAfter: num(o, 'demoteAfter', 3, 1, 1000, true),
    probeShare: Math.round(num(o, 'probeShare', 0.05, 0, 1, false) * 65536),
    cookies: bool(o, 'cookies', true) && edns,
    case0x20: needs('case0x20', caseOption(o.case0x20), (c) => c !== false, policies),
  };
}

/** Check the arguments of `query` that nothing else checks: the name is a string, the options an object. */
export function checkQuery(name: unknown, options: QueryOptions): void {
  if (typeof name !== 'string') throw new DnsError('EBADNAME', 'name must be a string');
  if (typeof options !== 'object' || options === null) throw new DnsError('EBADOPTION', 'query options must be an object');
  if (options.search !== undefined && typeof options.search !== 'boolean') throw new DnsError('EBADOPTION', 'query option search must be a boolean');
}

/** The overall timeout of one query: the per-query option, else the resolver's. Throws `EBADOPTION`. */
export function queryTimeout(options: QueryOptions, resolverDeadline: number): number {
  const t = options.timeout;
  if (t === undefined) return resolverDeadline;
  if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0 || t > 86_400_000) {
    throw new DnsError('EBADOPTION', `query option timeout must be a number of ms in (0, 86400000], got ${String(t)}`);
  }
  return t;
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
