/**
 * Hash functions of DNSSEC (FIPS 180-4 via `@noble/hashes`): DS digests
 * (RFC 4034 §5.1.4, RFC 4509 §2.1, RFC 6605 §2) and the NSEC3 hash
 * (RFC 5155 §5). Pure computation, no I/O.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { concatBytes } from './bytes.js';

/** The hash functions by name. */
export const HASHES = { 'SHA-1': sha1, 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 } as const;

/** Names of the hash functions. */
export type HashName = keyof typeof HASHES;

/** The hash of each DS digest type: 1 SHA-1, 2 SHA-256, 4 SHA-384. */
const DS_HASH: Readonly<Record<number, HashName>> = { 1: 'SHA-1', 2: 'SHA-256', 4: 'SHA-384' };

/**
 * The DS digest of a DNSKEY: `digest(owner name in canonical wire form |
 * DNSKEY rdata)` (RFC 4034 §5.1.4), or `undefined` for a digest type not
 * supported here.
 */
export function dsDigest(digestType: number, ownerWire: Uint8Array, dnskeyRdata: Uint8Array): Uint8Array | undefined {
  const name = DS_HASH[digestType];
  return name === undefined ? undefined : HASHES[name](concatBytes([ownerWire, dnskeyRdata]));
}
