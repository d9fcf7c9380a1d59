/**
 * The injection point of DNSSEC validation for the promise API: a core
 * factory that builds a `ValidatingResolver` around the core instead of the
 * plain one. Drivers that validate import this; a bundle that never does
 * (the DoH one) leaves the validator and its crypto out.
 */
import { DnsError } from '../core/errors.js';
import type { ResolverCore as Core } from '../core/resolver.js';
import { ValidatingResolver } from '../core/dnssec/validating-resolver.js';
import type { DnssecOptions } from '../core/dnssec/options.js';
import type { CoreFactory } from './options.js';

/**
 * A core factory for `PromiseResolver` (the `core` option of `DohResolver`)
 * that validates with `options` (RFC 4035 §5). Answers get `security`;
 * bogus ones reject with `EBOGUS`. Throws `EBADOPTION` with `trace`
 * (recording a validating core is not supported yet).
 */
export function validatingCore(options: DnssecOptions): CoreFactory {
  return (core, trace) => {
    if (trace !== undefined) throw new DnsError('EBADOPTION', 'option trace cannot be combined with DNSSEC validation yet');
    // The validating resolver has the core's whole public surface (query, cancel, handle*, poll*, stats, getServers, learned).
    return new ValidatingResolver({ ...core, ...options }) as unknown as Core;
  };
}

/** The `dnssec` option of a driver: `true` for the defaults, or DNSSEC options without `unixTime`, which the driver supplies. */
export type DnssecSwitch = boolean | Omit<DnssecOptions, 'unixTime'>;

/** DNSSEC options of a `dnssec` switch, or `undefined` when it is off. */
export function dnssecOf(option: DnssecSwitch | undefined, unixTime: (now: number) => number, extra: Partial<DnssecOptions> = {}): DnssecOptions | undefined {
  if (option === undefined || option === false) return undefined;
  if (option !== true && (typeof option !== 'object' || option === null)) throw new DnsError('EBADOPTION', 'option dnssec must be a boolean or an object of DNSSEC options');
  return { ...extra, ...(option === true ? {} : option), unixTime };
}
