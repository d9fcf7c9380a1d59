/**
 * The TTLs of a secure answer (RFC 4035 §5.3.3): each RRset lives no longer
 * than the Original TTL of the RRSIG that covers it, nor past that
 * signature's expiration. The TTL field is not signed, so a path that
 * raises it must not lengthen what the signer allowed.
 */
import type { DnsRecord } from '../codec/types.js';
import { typeToName } from '../codec/rr-types.js';
import { readRrsig } from './records.js';

/** The RRset an RRSIG covers, or a record belongs to: owner (case folded) and type. */
const keyOf = (name: string, type: string): string => `${name.toLowerCase()}/${type}`;

/**
 * `records` with each TTL capped by the signatures of its RRset at `unixNow`
 * (UNIX seconds): the lowest Original TTL, and the seconds left until the
 * expiration (RFC 1982 serial arithmetic, RFC 4034 §3.1.5). The same array
 * when nothing is capped.
 */
export function capTtls(records: readonly DnsRecord[], unixNow: number): readonly DnsRecord[] {
  const caps = new Map<string, number>();
  for (const r of records) {
    const sig = readRrsig(r);
    if (sig === undefined) continue;
    const left = Math.max(0, (sig.expiration - Math.floor(unixNow)) | 0);
    const key = keyOf(r.name, typeToName(sig.typeCovered));
    caps.set(key, Math.min(caps.get(key) ?? Infinity, sig.originalTtl, left));
  }
  let changed = false;
  const out = records.map((r) => {
    const sig = readRrsig(r);
    const cap = caps.get(keyOf(r.name, sig === undefined ? r.type : typeToName(sig.typeCovered)));
    if (cap === undefined || r.ttl <= cap) return r;
    changed = true;
    return { ...r, ttl: cap };
  });
  return changed ? out : records;
}
