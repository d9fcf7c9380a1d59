/**
 * Options of the validating resolver (on top of the core's), checked once at
 * construction: a bad one throws `EBADOPTION` (DESIGN.md rule 8).
 */
import { DnsError } from '../errors.js';
import type { ResolverOptions } from '../types.js';
import { Anchors, ROOT_ANCHORS } from './anchors.js';
import { DEFAULT_LIMITS, type ValidationLimits } from './budget.js';
import { nobleVerifier } from './noble-verifier.js';
import type { SignatureVerifier } from './verifier.js';

/** DNSSEC options. */
export interface DnssecOptions extends Partial<ValidationLimits> {
  /**
   * Wall-clock time for signature validity (RFC 4034 §3.1.5): maps the
   * caller's `now` (ms, the timeline of every input) to UNIX seconds. The
   * core reads no clock, so this is required: a driver passes
   * `(now) => (Date.now() - performance.now() + now) / 1000` (computed once),
   * the simulator its virtual epoch plus `now / 1000`.
   */
  readonly unixTime: (now: number) => number;
  /**
   * Trust anchors as DS or DNSKEY records in zone-file text (default: the
   * IANA root KSKs 20326 and 38696, `ROOT_ANCHORS`). Replaces the default;
   * add `ROOT_ANCHORS` to keep the root too.
   */
  readonly trustAnchors?: string;
  /** Names at and below which validation is off: answers are insecure (RFC 7646). */
  readonly negativeTrustAnchors?: readonly string[];
  /** Signature verifier (default: `nobleVerifier`, pure JavaScript); a driver may inject a native one. */
  readonly verifier?: SignatureVerifier;
  /** Validate SHA-1 algorithms 5 and 7 and SHA-1 DS digests (default true, RFC 8624 §3.1; see `algorithms.ts`). */
  readonly sha1?: boolean;
  /** Put the records that proved each answer on it, as `chain` (default false). */
  readonly validationChain?: boolean;
  /** Zones whose trusted keys (or proven insecurity) are remembered at most (default 1000); 0 turns it off. */
  readonly keyCacheEntries?: number;
}

/** Options of {@link ValidatingResolver}: the core's and the DNSSEC ones. */
export interface ValidatingResolverOptions extends ResolverOptions, DnssecOptions {}

/** DNSSEC settings with defaults filled in. */
export interface DnssecSettings {
  readonly unixTime: (now: number) => number;
  readonly anchors: Anchors;
  readonly verifier: SignatureVerifier;
  readonly sha1: boolean;
  readonly validationChain: boolean;
  readonly keyCacheEntries: number;
  readonly limits: ValidationLimits;
  readonly trace: boolean;
  /** The core's default query deadline (option `deadline`, 5000 ms by default). */
  readonly deadline: number;
}

function int(o: DnssecOptions, name: keyof DnssecOptions, fallback: number, min: number, max: number): number {
  const v: unknown = o[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new DnsError('EBADOPTION', `option ${name} must be an integer in ${min}..${max}, got ${String(v)}`);
  return v;
}

function flag(o: DnssecOptions, name: keyof DnssecOptions, fallback: boolean): boolean {
  const v: unknown = o[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new DnsError('EBADOPTION', `option ${name} must be a boolean`);
  return v;
}

/** Check the DNSSEC options. Throws `EBADOPTION`. */
export function dnssecSettings(o: ValidatingResolverOptions): DnssecSettings {
  if (typeof o !== 'object' || o === null) throw new DnsError('EBADOPTION', 'options must be an object');
  if (typeof o.unixTime !== 'function' || !Number.isFinite(o.unixTime(0))) {
    throw new DnsError('EBADOPTION', 'option unixTime must map now (ms) to UNIX seconds: the core reads no clock');
  }
  if (o.trustAnchors !== undefined && typeof o.trustAnchors !== 'string') throw new DnsError('EBADOPTION', 'option trustAnchors must be zone-file text');
  if (o.negativeTrustAnchors !== undefined && !Array.isArray(o.negativeTrustAnchors)) throw new DnsError('EBADOPTION', 'option negativeTrustAnchors must be an array of names');
  const v = o.verifier;
  if (v !== undefined && (typeof v !== 'object' || v === null || typeof v.verify !== 'function' || typeof v.supports !== 'function')) {
    throw new DnsError('EBADOPTION', 'option verifier must have verify() and supports()');
  }
  const sha1 = flag(o, 'sha1', true);
  const d = DEFAULT_LIMITS;
  return {
    unixTime: o.unixTime,
    anchors: new Anchors(o.trustAnchors ?? ROOT_ANCHORS, o.negativeTrustAnchors ?? []),
    verifier: v ?? nobleVerifier({ sha1 }),
    sha1,
    validationChain: flag(o, 'validationChain', false),
    keyCacheEntries: int(o, 'keyCacheEntries', 1000, 0, 1_000_000),
    limits: {
      maxVerifications: int(o, 'maxVerifications', d.maxVerifications, 1, 10_000),
      maxKeyTagCollisions: int(o, 'maxKeyTagCollisions', d.maxKeyTagCollisions, 1, 64),
      maxSignaturesPerRRset: int(o, 'maxSignaturesPerRRset', d.maxSignaturesPerRRset, 1, 64),
      maxNsec3Iterations: int(o, 'maxNsec3Iterations', d.maxNsec3Iterations, 0, 65535),
      maxNsec3Work: int(o, 'maxNsec3Work', d.maxNsec3Work, 1, 10_000_000),
      maxChainDepth: int(o, 'maxChainDepth', d.maxChainDepth, 1, 127),
      maxFetches: int(o, 'maxFetches', d.maxFetches, 1, 1000),
    },
    trace: o.trace === true,
    deadline: typeof o.deadline === 'number' ? o.deadline : 5000,
  };
}
