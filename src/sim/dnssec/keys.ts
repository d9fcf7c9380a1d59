/**
 * Signing keys of the simulator, made from its seeded PRNG (so the same seed
 * gives the same keys, DNSKEYs, DS and signatures): ECDSA P-256/P-384
 * (RFC 6605, deterministic k of RFC 6979) and Ed25519/Ed448 (RFC 8080,
 * deterministic by design), via `@noble/curves`.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { ed448 } from '@noble/curves/ed448.js';
import { p256, p384 } from '@noble/curves/nist.js';
import type { DnsRecord } from '../../core/codec/types.js';
import { keyTag } from '../../core/dnssec/key-tag.js';
import { dsDigest } from '../../core/dnssec/digest.js';
import { nameWire } from '../../core/dnssec/names.js';
import type { Prng } from '../prng.js';

/** Algorithms the simulator signs with. */
export type SimAlgorithm = 13 | 14 | 15 | 16;

/** A key pair of a simulated zone. */
export interface SimKey {
  readonly owner: string;
  readonly algorithm: SimAlgorithm;
  /** 257 for a key-signing key (SEP), 256 for a zone-signing key. */
  readonly flags: number;
  readonly secret: Uint8Array;
  /** The DNSKEY public key field. */
  readonly publicKey: Uint8Array;
  /** DNSKEY rdata. */
  readonly rdata: Uint8Array;
  readonly tag: number;
}

/** Seed bytes per algorithm (noble's `keygen` maps them to a valid secret key). */
const SEED: Readonly<Record<SimAlgorithm, number>> = { 13: 48, 14: 72, 15: 32, 16: 57 };

function publicKeyOf(algorithm: SimAlgorithm, secret: Uint8Array): Uint8Array {
  switch (algorithm) {
    case 13: return p256.getPublicKey(secret, false).subarray(1);
    case 14: return p384.getPublicKey(secret, false).subarray(1);
    case 15: return ed25519.getPublicKey(secret);
    case 16: return ed448.getPublicKey(secret);
  }
}

/** A key for zone `owner`, drawn from `prng`. */
export function makeKey(owner: string, algorithm: SimAlgorithm, flags: number, prng: Prng): SimKey {
  const seed = prng.fill(new Uint8Array(SEED[algorithm]));
  const curve = algorithm === 13 ? p256 : algorithm === 14 ? p384 : algorithm === 15 ? ed25519 : ed448;
  const secret = curve.keygen(seed).secretKey;
  const publicKey = publicKeyOf(algorithm, secret);
  const rdata = new Uint8Array(4 + publicKey.length);
  rdata.set([flags >> 8, flags & 0xff, 3, algorithm]);
  rdata.set(publicKey, 4);
  return { owner, algorithm, flags, secret, publicKey, rdata, tag: keyTag(rdata) };
}

/** Sign `data` with `key` in the DNSSEC signature format (RFC 6605 §4: r | s; RFC 8080 §4). */
export function signBytes(key: SimKey, data: Uint8Array): Uint8Array {
  switch (key.algorithm) {
    case 13: return p256.sign(data, key.secret, { lowS: false });
    case 14: return p384.sign(data, key.secret, { lowS: false });
    case 15: return ed25519.sign(data, key.secret);
    case 16: return ed448.sign(data, key.secret);
  }
}

/** The DNSKEY record of `key`. */
export function dnskeyRecord(key: SimKey, ttl: number): DnsRecord {
  return { name: key.owner, type: 'DNSKEY', class: 1, ttl, data: key.rdata };
}

/** The DS record of `key` with digest type `digestType` (2 SHA-256 or 4 SHA-384; RFC 4509, RFC 6605 §2). */
export function dsRecord(key: SimKey, ttl: number, digestType: 1 | 2 | 4 = 2): DnsRecord {
  const digest = dsDigest(digestType, nameWire(key.owner), key.rdata) as Uint8Array;
  const data = new Uint8Array(4 + digest.length);
  data.set([key.tag >> 8, key.tag & 0xff, key.algorithm, digestType]);
  data.set(digest, 4);
  return { name: key.owner, type: 'DS', class: 1, ttl, data };
}
