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
import { plainCore, type CoreFactory } from './options.js';

/** The plain core under a validator: `trace` needs the recorder, given as `validatingCore`'s second argument. */
const plainInner: CoreFactory = (options, trace) => {
  if (trace !== undefined) throw new DnsError('EBADOPTION', 'option trace with DNSSEC needs a recording core: pass core: validatingCore(options, recordingCore) (recordingCore from sansdns/trace)');
  return plainCore(options, undefined);
};

/**
 * A core factory for `PromiseResolver` (the `core` option of `DohResolver`)
 * that validates with `options` (RFC 4035 §5). Answers get `security`;
 * bogus ones reject with `EBOGUS`. `inner` builds the core it wraps, given
 * the `trace` option: `recordingCore` (from `sansdns/trace`) records the
 * core that meets the network, the validator's DNSKEY and DS fetches
 * included, so the trace replays byte for byte; the default, the plain
 * core, throws `EBADOPTION` with `trace` (naming this call with the
 * recorder) and keeps the recorder out of a bundle.
 */
export function validatingCore(options: DnssecOptions, inner: CoreFactory = plainInner): CoreFactory {
  return (core, trace) => {
    // The validating resolver has the core's whole public surface (query, cancel, handle*, poll*, stats, getServers, learned).
    return new ValidatingResolver({ ...core, ...options, core: (o) => inner(o, trace) }) as unknown as Core;
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
