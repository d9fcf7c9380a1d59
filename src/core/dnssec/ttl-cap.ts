/**
 * The TTLs of a secure answer (RFC 4035 §5.3.3): each RRset lives no longer
 * than the Original TTL of the RRSIG that covers it, nor past that
 * signature's expiration. The TTL field is not signed, so a path that
 * raises it must not lengthen what the signer allowed.
 */
import type { DnsRecord } from '../codec/types.js';
import { typeToName } from '../codec/rr-types.js';
import { u16, u32 } from './bytes.js';

/**
 * The RRset a record belongs to, an RRSIG to the one it covers (its rdata's
 * first field, RFC 4034 §3.1.1): owner (case folded) and type.
 */
function rrsetOf(r: DnsRecord): string {
  return `${r.name.toLowerCase()}/${r.type === 'RRSIG' ? typeToName(u16(r.data, 0)) : r.type}`;
}

/**
 * `records` with each TTL capped by the signatures of its RRset at `unixNow`
 * (UNIX seconds): the lowest Original TTL, and the seconds left until the
 * expiration (RFC 1982 serial arithmetic, RFC 4034 §3.1.5). The same array
 * when nothing is capped. The records passed the validator, so each RRSIG's
 * fixed fields are there.
 */
export function capTtls(records: readonly DnsRecord[], unixNow: number): readonly DnsRecord[] {
  const caps = new Map<string, number>();
  for (const r of records) {
    if (r.type !== 'RRSIG') continue;
    const left = Math.max(0, (u32(r.data, 8) - Math.floor(unixNow)) | 0);
    const key = rrsetOf(r);
    caps.set(key, Math.min(caps.get(key) ?? Infinity, u32(r.data, 4), left));
  }
  if (caps.size === 0) return records;
  let changed = false;
  const out = records.map((r) => {
    const cap = caps.get(rrsetOf(r));
    if (cap === undefined || r.ttl <= cap) return r;
    changed = true;
    return { ...r, ttl: cap };
  });
  return changed ? out : records;
}
