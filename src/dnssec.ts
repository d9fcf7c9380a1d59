/**
 * `sansdns/dnssec`: DNSSEC validation (RFC 4033-4035, RFC 5155, RFC 6840),
 * sans-IO. `ValidatingResolver` wraps the core with the same surface and
 * gives every answer a `security` status; `validatingCore` plugs it into a
 * promise resolver (`new DohResolver({ ..., core: validatingCore({ unixTime }) })`);
 * the Node driver and the simulator take `dnssec: true`. Imported only by
 * those who validate, so the DoH bundle stays without it.
 * @packageDocumentation
 */
export { ValidatingResolver } from './core/dnssec/validating-resolver.js';
export type { ValidatingResolverOptions, DnssecOptions } from './core/dnssec/options.js';
export type { ValidatedAnswer, ValidatedError, ValidatingEvent, ValidationStats } from './core/dnssec/events.js';
export type { SecurityStatus } from './core/dnssec/zone-state.js';
export type { ValidationLimits } from './core/dnssec/budget.js';
export { DEFAULT_LIMITS } from './core/dnssec/budget.js';
export { ROOT_ANCHORS } from './core/dnssec/anchors.js';
export { EDE, extendedErrors, type ExtendedError } from './core/dnssec/ede.js';
export { nobleVerifier } from './core/dnssec/noble-verifier.js';
export type { SignatureVerifier } from './core/dnssec/verifier.js';
export { validatingCore, type DnssecSwitch } from './api/dnssec.js';
