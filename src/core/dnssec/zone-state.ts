/**
 * What the validator knows about a name's place in the chain of trust
 * (RFC 4035 §4.3): the zone it belongs to with that zone's trusted keys
 * (secure), a proven insecure delegation above it (insecure), a failure
 * (bogus), or no trust anchor above it (indeterminate). Secure and insecure
 * states are cached by name (`KeyCache`), bounded in entries and in time by
 * the TTLs and signature expirations of the records that proved them.
 */
import type { DnsRecord } from '../codec/types.js';
import type { Dnskey } from './records.js';

/** RFC 4035 §4.3 security status of an answer. */
export type SecurityStatus = 'secure' | 'insecure' | 'bogus' | 'indeterminate';

export type ZoneState =
  | {
    readonly kind: 'secure';
    /** The zone (apex labels, lower case) whose keys are trusted. */
    readonly zone: Uint8Array[];
    readonly keys: Dnskey[];
    /** DS, DNSKEY and RRSIG records that proved it, from the anchor down. */
    readonly proof: DnsRecord[];
    /** Caller time (ms) after which it must be proved again: the smallest TTL used. */
    readonly expires: number;
    /** UNIX seconds of the earliest signature expiration used. */
    readonly validUntil: number;
  }
  | { readonly kind: 'insecure'; readonly code: number | undefined; readonly reason: string; readonly proof: DnsRecord[]; readonly expires: number; readonly validUntil: number }
  | { readonly kind: 'bogus'; readonly code: number; readonly reason: string }
  | { readonly kind: 'indeterminate'; readonly reason: string }
  | { readonly kind: 'error'; readonly code: string; readonly reason: string };

/** A cache of secure and insecure states by name (lower-case presentation), least recently used out first. */
export class KeyCache {
  private readonly map = new Map<string, ZoneState>();

  constructor(private readonly maxEntries: number) {}

  /** The live state of `key` at caller time `t` and UNIX time `unix`. */
  get(key: string, t: number, unix: number): ZoneState | undefined {
    const s = this.map.get(key);
    if (s === undefined) return undefined;
    if ((s.kind === 'secure' || s.kind === 'insecure') && (s.expires <= t || unix > s.validUntil)) {
      this.map.delete(key);
      return undefined;
    }
    this.map.delete(key);
    this.map.set(key, s);
    return s;
  }

  /** Remember a secure or insecure state. */
  set(key: string, s: ZoneState): void {
    if (this.maxEntries === 0 || (s.kind !== 'secure' && s.kind !== 'insecure')) return;
    this.map.delete(key);
    this.map.set(key, s);
    if (this.map.size > this.maxEntries) this.map.delete(this.map.keys().next().value as string);
  }

  clear(): void {
    this.map.clear();
  }
}
