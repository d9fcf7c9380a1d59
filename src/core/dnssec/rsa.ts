/**
 * RSA signature verification for DNSSEC (RFC 3110 §2 key format, RFC 5702,
 * RSASSA-PKCS1-v1_5 of RFC 8017 §8.2.2 with the encoding of §9.2), with
 * `BigInt`. Verification only: no secret is handled, so timing does not
 * matter; the whole expected encoding is rebuilt and compared byte for byte
 * (no parsing of the decrypted block, the Bleichenbacher'06 trap).
 *
 * Bounds: modulus 512 to 4096 bits (RFC 3110 §2 and RFC 5702 §2 limits),
 * exponent at most 64 bits (OpenSSL's limit for large moduli), so one
 * verification costs at most 64 modular squarings of a 4096-bit number.
 */
import { HASHES, type HashName } from './digest.js';

/** DER DigestInfo prefixes (RFC 8017 §9.2 note 1). */
const DIGEST_INFO: Readonly<Record<string, readonly number[]>> = {
  'SHA-1': [0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14],
  'SHA-256': [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20],
  'SHA-512': [0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40],
};

/** An RSA public key read from DNSKEY public key bytes. */
export interface RsaKey {
  readonly e: bigint;
  readonly n: bigint;
  /** Modulus length in bytes. */
  readonly k: number;
}

function toBigInt(b: Uint8Array, start: number, end: number): bigint {
  let hex = '0x0';
  for (let i = start; i < end; i++) hex += (b[i] as number).toString(16).padStart(2, '0');
  return BigInt(hex);
}

/**
 * The key in DNSKEY public key bytes (RFC 3110 §2: exponent length in one
 * byte, or a zero byte then two; the exponent; the modulus), or `undefined`
 * when it is malformed or outside the bounds above.
 */
export function readRsaKey(key: Uint8Array): RsaKey | undefined {
  if (key.length < 3) return undefined;
  let at = 1;
  let elen = key[0] as number;
  if (elen === 0) {
    elen = ((key[1] as number) << 8) | (key[2] as number);
    at = 3;
  }
  const nStart = at + elen;
  if (elen === 0 || elen > 8 || key[at] === 0) return undefined;
  let first = nStart;
  while (first < key.length && key[first] === 0) first++;
  const bits = (key.length - first) * 8 - Math.clz32(key[first] ?? 0) + 24;
  if (first >= key.length || bits < 512 || bits > 4096) return undefined;
  return { e: toBigInt(key, at, nStart), n: toBigInt(key, first, key.length), k: key.length - first };
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  for (let e = exp; e > 0n; e >>= 1n) {
    if ((e & 1n) === 1n) result = (result * b) % mod;
    b = (b * b) % mod;
  }
  return result;
}

/**
 * Verify an RSASSA-PKCS1-v1_5 signature over `data` with hash `hash`
 * (RFC 8017 §8.2.2): `s^e mod n` must equal, byte for byte,
 * `00 01 FF…FF 00 DigestInfo H(data)` of the modulus length, with at least
 * eight FF bytes.
 */
export function rsaVerify(key: RsaKey, hash: HashName, data: Uint8Array, signature: Uint8Array): boolean {
  const prefix = DIGEST_INFO[hash] as readonly number[];
  const h = HASHES[hash](data);
  const tLen = prefix.length + h.length;
  if (signature.length > key.k || key.k < tLen + 11) return false;
  const s = toBigInt(signature, 0, signature.length);
  if (s >= key.n) return false;
  const m = modPow(s, key.e, key.n);
  const em = new Uint8Array(key.k);
  em[1] = 1;
  em.fill(0xff, 2, key.k - tLen - 1);
  em.set(prefix, key.k - tLen);
  em.set(h, key.k - h.length);
  return m === toBigInt(em, 0, em.length);
}
