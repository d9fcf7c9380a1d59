/**
 * Validation of resolver options: every option is checked once, at
 * construction, and a bad one throws `EBADOPTION` (DESIGN.md rule 8).
 */
import { DnsError } from './errors.js';
import type { ResolverOptions } from './types.js';

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
}

function num(value: unknown, name: string, fallback: number, min: number, max: number, integer: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const kind = integer ? 'an integer' : 'a number';
    throw new DnsError('EBADOPTION', `option ${name} must be ${kind} in ${min}..${max}, got ${String(value)}`);
  }
  return value;
}

function bool(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new DnsError('EBADOPTION', `option ${name} must be a boolean`);
  return value;
}

const DAY = 86_400_000;

/** Check every option and fill in defaults. */
export function settingsFrom(o: ResolverOptions): Settings {
  if (typeof o !== 'object' || o === null) throw new DnsError('EBADOPTION', 'options must be an object');
  const timeout = num(o.timeout, 'timeout', 400, 1, DAY, false);
  const minTimeout = num(o.minTimeout, 'minTimeout', Math.min(100, timeout), 1, DAY, false);
  const maxTimeout = num(o.maxTimeout, 'maxTimeout', Math.max(4000, timeout), minTimeout, DAY, false);
  return {
    timeout,
    minTimeout,
    maxTimeout,
    backoff: num(o.backoff, 'backoff', 1.25, 1, 16, false),
    deadline: num(o.deadline, 'deadline', 5000, 1, DAY, false),
    attempts: num(o.attempts, 'attempts', 6, 1, 100, true),
    edns: bool(o.edns, 'edns', true),
    ednsPayload: num(o.ednsPayload, 'ednsPayload', 1232, 512, 65535, true),
    recursionDesired: bool(o.recursionDesired, 'recursionDesired', true),
    maxInFlight: num(o.maxInFlight, 'maxInFlight', 100_000, 1, 10_000_000, true),
    recentLimit: num(o.recentLimit, 'recentLimit', 4096, 0, 10_000_000, true),
    trace: bool(o.trace, 'trace', false),
  };
}
