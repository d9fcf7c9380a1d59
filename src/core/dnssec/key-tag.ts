/**
 * The key tag of a DNSKEY (RFC 4034 Appendix B): a 16-bit checksum of its
 * rdata that RRSIG and DS records use to name the key. Tags collide, so a
 * tag only narrows the search (see the collision bound in `budget.ts`).
 */

/**
 * Key tag of DNSKEY rdata `rdata` (RFC 4034 Appendix B, the ones'-complement
 * style sum of the rdata as 16-bit words, folded once). Algorithm 1 (RSA/MD5)
 * keys, whose tag is defined differently, are not supported anywhere here.
 */
export function keyTag(rdata: Uint8Array): number {
  let ac = 0;
  for (let i = 0; i < rdata.length; i++) ac += (i & 1) === 1 ? (rdata[i] as number) : (rdata[i] as number) << 8;
  ac += (ac >>> 16) & 0xffff;
  return ac & 0xffff;
}
