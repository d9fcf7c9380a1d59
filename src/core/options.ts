/**
 * Validation of resolver options: every option is checked once, at
 * construction, and a bad one throws `EBADOPTION` (ARCHITECTURE.md rule 8).
 */
import { DnsError } from './errors.js';
import type { ResolverOptions } from './types.js';
import type { CacheSettings } from './cache.js';
import { policyFrom, type PolicySettings } from './policy.js';

/** Options with every default filled in. */
export interface Settings {
  readonly timeout: number;
  readonly minTimeout: number;
  readonly maxTimeout: number;
  readonly backoff: number;
  readonly deadline: number;
  readonly attempts: number;
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
  /** Names, server selection, cookies and 0x20 (`policy.ts`). */
  readonly policy: PolicySettings;
}

/** A number option in `min..max`, or `fallback` when absent. Throws `EBADOPTION`. */
export function num(o: ResolverOptions, name: keyof ResolverOptions, fallback: number, min: number, max: number, integer: boolean): number {
  const value: unknown = o[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const kind = integer ? 'an integer' : 'a number';
    throw new DnsError('EBADOPTION', `option ${name} must be ${kind} in ${min}..${max}, got ${String(value)}`);
  }
  return value;
}

/** A boolean option, or `fallback` when absent. Throws `EBADOPTION`. */
export function bool(o: ResolverOptions, name: keyof ResolverOptions, fallback: boolean): boolean {
  const value: unknown = o[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new DnsError('EBADOPTION', `option ${name} must be a boolean`);
  return value;
}

const DAY = 86_400_000;

/** Check every option and fill in defaults. */
export function settingsFrom(o: ResolverOptions): Settings {
  if (typeof o !== 'object' || o === null) throw new DnsError('EBADOPTION', 'options must be an object');
  const timeout = num(o, 'timeout', 400, 1, DAY, false);
  const minTimeout = num(o, 'minTimeout', Math.min(100, timeout), 1, DAY, false);
  const maxTimeout = num(o, 'maxTimeout', Math.max(4000, timeout), minTimeout, DAY, false);
  return {
    timeout,
    minTimeout,
    maxTimeout,
    backoff: num(o, 'backoff', 1.25, 1, 16, false),
    deadline: num(o, 'deadline', 5000, 1, DAY, false),
    attempts: num(o, 'attempts', 6, 1, 100, true),
    edns: bool(o, 'edns', true),
    ednsPayload: num(o, 'ednsPayload', 1232, 512, 65535, true),
    recursionDesired: bool(o, 'recursionDesired', true),
    maxInFlight: num(o, 'maxInFlight', 100_000, 1, 10_000_000, true),
    recentLimit: num(o, 'recentLimit', 4096, 0, 10_000_000, true),
    trace: bool(o, 'trace', false),
    cache: bool(o, 'cache', true),
    cacheSettings: cacheSettingsFrom(o),
    coalesce: bool(o, 'coalesce', true),
    maxCnameChain: num(o, 'maxCnameChain', 8, 1, 64, true),
    policy: policyFrom(o, bool(o, 'edns', true)),
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
