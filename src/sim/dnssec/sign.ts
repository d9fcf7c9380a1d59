/**
 * RRSIG records made by the simulator (RFC 4034 §3.1, §3.1.8.1): the signed
 * data is built by the validator's own canonical-form code, so a test that
 * signs here and validates there checks both against each other, and the
 * BIND interop tests check both against a third implementation.
 */
import type { DnsRecord } from '../../core/codec/types.js';
import { bigEndian, concatBytes } from '../../core/dnssec/bytes.js';
import { canonicalLabels, nameWire, sigLabelCount } from '../../core/dnssec/names.js';
import { readRrsig } from '../../core/dnssec/records.js';
import { groupRRsets, signedData } from '../../core/dnssec/rrset.js';
import { signBytes, type SimKey } from './keys.js';

/** A decoded RRSIG record. */
export type RrsigRecord = Extract<DnsRecord, { type: 'RRSIG' }>;

/** When a signature is valid, in UNIX seconds (RFC 4034 §3.1.5). */
export interface Validity {
  readonly inception: number;
  readonly expiration: number;
}

/**
 * The RRSIG over `records` (one RRset) made by `key` of zone `zone`. With
 * `wildcard`, the RRset is signed as the wildcard it was expanded from: the
 * Labels field counts the wildcard's labels (RFC 4034 §3.1.3).
 */
export function signRRset(records: readonly DnsRecord[], key: SimKey, zone: string, validity: Validity, ttl?: number, signatureLabels?: number): RrsigRecord {
  const set = groupRRsets(records)[0];
  if (set === undefined || groupRRsets(records).length !== 1) throw new Error('signRRset takes exactly one RRset');
  const first = records[0] as DnsRecord;
  const originalTtl = ttl ?? first.ttl;
  const labels = signatureLabels ?? sigLabelCount(canonicalLabels(first.name));
  const head = Uint8Array.from([
    ...bigEndian(set.type, 2), key.algorithm, labels, ...bigEndian(originalTtl, 4), ...bigEndian(validity.expiration % 2 ** 32, 4),
    ...bigEndian(validity.inception % 2 ** 32, 4), ...bigEndian(key.tag, 2), ...nameWire(zone),
  ]);
  const probe: DnsRecord = { name: first.name, type: 'RRSIG', class: first.class, ttl: originalTtl, data: head };
  const data = signedData(set, readRrsig(probe) as NonNullable<ReturnType<typeof readRrsig>>) as Uint8Array;
  return { name: first.name, type: 'RRSIG', class: first.class, ttl: originalTtl, data: concatBytes([head, signBytes(key, data)]) };
}
