/**
 * RRsets and the data an RRSIG signs (RFC 4034 §3.1.8.1, §6.3): the RRSIG
 * rdata without its signature, then each RR of the set in canonical form
 * (owner lower-cased, or the wildcard it was expanded from when the RRSIG's
 * Labels field is smaller than the owner's label count; the class; the
 * RRSIG's Original TTL; rdata in canonical form), sorted by rdata as
 * left-justified octets, duplicates removed.
 */
import type { DnsRecord } from '../codec/types.js';
import { bigEndian, bytesEqual, compareBytes, concatBytes } from './bytes.js';
import { canonicalLabels, compareNames, labelsWire, sigLabelCount, suffix, wildcardOf } from './names.js';
import { canonicalRdata, typeCode } from './rdata-wire.js';
import { readRrsig, type Rrsig } from './records.js';

/** An RRset: records sharing owner, type and class (RFC 2181 §5), and the RRSIGs covering it. */
export interface RRset {
  /** Owner as first seen (presentation, case as received). */
  readonly name: string;
  /** Owner labels, lower-cased. */
  readonly labels: Uint8Array[];
  readonly type: number;
  readonly class: number;
  readonly records: DnsRecord[];
  readonly sigs: Rrsig[];
}

/** Group records into RRsets (RRSIGs are attached later, see `attachSigs`), in order of first appearance. */
export function groupRRsets(records: readonly DnsRecord[]): RRset[] {
  const sets = new Map<string, RRset>();
  for (const r of records) {
    if (r.type === 'RRSIG') continue;
    const labels = canonicalLabels(r.name);
    const type = typeCode(r);
    const key = `${type}/${r.class}/${labels.join('.')}`;
    let set = sets.get(key);
    if (set === undefined) sets.set(key, (set = { name: r.name, labels, type, class: r.class, records: [], sigs: [] }));
    set.records.push(r);
  }
  return [...sets.values()];
}

/**
 * The signed data of `set` under `sig` (RFC 4034 §3.1.8.1), or `undefined`
 * when the Labels field is larger than the owner's label count (such an
 * RRSIG can never be valid, RFC 4035 §5.3.1).
 */
export function signedData(set: RRset, sig: Rrsig): Uint8Array | undefined {
  const count = sigLabelCount(set.labels);
  if (sig.labels > count) return undefined;
  const owner = labelsWire(sig.labels < count ? wildcardOf(suffix(set.labels, sig.labels)) : set.labels);
  const rdatas = set.records.map(canonicalRdata).sort(compareBytes);
  const fixed = concatBytes([owner, bigEndian(set.type, 2), bigEndian(set.class, 2), bigEndian(sig.originalTtl, 4)]);
  const parts: Uint8Array[] = [sig.head];
  let prev: Uint8Array | undefined;
  for (const rdata of rdatas) {
    if (prev !== undefined && bytesEqual(prev, rdata)) continue;
    parts.push(fixed, bigEndian(rdata.length, 2), rdata);
    prev = rdata;
  }
  return concatBytes(parts);
}

/** Group `records` into RRsets and attach the RRSIGs among them that cover each (same owner, class and type). */
export function withSigs(records: readonly DnsRecord[]): RRset[] {
  const sets = groupRRsets(records);
  for (const r of records) {
    const sig = readRrsig(r);
    if (sig === undefined) continue;
    const owner = canonicalLabels(r.name);
    const set = sets.find((s) => s.type === sig.typeCovered && s.class === r.class && compareNames(s.labels, owner) === 0);
    set?.sigs.push(sig);
  }
  return sets;
}
