/**
 * The canonical wire form of a decoded record's rdata (RFC 4034 §6.2), for
 * signed data and for ordering an RRset. Types the codec keeps raw (DNSSEC
 * types, TLSA, SSHFP, unknown types) already hold their exact bytes. Shaped
 * types are written back with the codec's own rdata encoder, without name
 * compression; the names inside NS, CNAME, SOA, PTR, MX, NAPTR, SRV and
 * DNAME are lower-cased (RFC 4034 §6.2 item 3 as corrected by RFC 6840 §5.1;
 * RFC 3597 §7: no other type). The codec decodes these shapes losslessly
 * (`decode.ts`), so the bytes are the ones the signer signed.
 * Not lower-cased: RP, AFSDB, RT, KX, MINFO and other obsolete types in the
 * RFC 4034 list, which the codec hands out raw; their names would need case
 * folding only if a signer had used upper case in them.
 */
import { encodeRdata } from '../codec/rdata-encode.js';
import { knownTypeCode } from '../codec/rr-types.js';
import { genericNumber } from '../codec/rr-types.js';
import { Writer } from '../codec/writer.js';
import type { DnsRecord } from '../codec/types.js';
import { lowerLabel } from './names.js';

/** Types whose rdata names are lower-cased in the canonical form (RFC 4034 §6.2, RFC 6840 §5.1). */
const LOWER = new Set([2, 5, 6, 12, 15, 33, 35, 39]);

/** A writer that never compresses and, when asked, lower-cases every name. */
class CanonicalWriter extends Writer {
  constructor(private readonly lower: boolean) {
    super();
  }

  override name(labels: readonly Uint8Array[]): void {
    super.name(this.lower ? labels.map(lowerLabel) : labels, false);
  }
}

/** The type code of a decoded record (its mnemonic, or `TYPE<n>`). */
export function typeCode(r: DnsRecord): number {
  return knownTypeCode(r.type) ?? genericNumber(r.type, 'TYPE');
}

/** The canonical rdata of `r` (RFC 4034 §6.2). */
export function canonicalRdata(r: DnsRecord): Uint8Array {
  if (r.data instanceof Uint8Array) return r.data;
  const code = typeCode(r);
  const w = new CanonicalWriter(LOWER.has(code));
  encodeRdata(w, r.type, code, r.data);
  return w.result();
}
