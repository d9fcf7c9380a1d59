/**
 * The default {@link SignatureVerifier}: RSA with `BigInt` (`rsa.ts`),
 * ECDSA P-256/P-384 (RFC 6605), Ed25519 and Ed448 (RFC 8080) with
 * `@noble/curves`. Pure computation, usable in the core and in browsers.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { ed448 } from '@noble/curves/ed448.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { readRsaKey, rsaVerify } from './rsa.js';
import type { HashName } from './digest.js';
import type { SignatureVerifier } from './verifier.js';

const RSA_HASH: Readonly<Record<number, HashName>> = { 5: 'SHA-1', 7: 'SHA-1', 8: 'SHA-256', 10: 'SHA-512' };

/** ECDSA (RFC 6605 §4): key is x | y, signature r | s, each of the curve's size; DNSSEC signatures may be high-S. */
function ecdsa(curve: typeof p256, size: number, key: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  if (key.length !== size * 2 || signature.length !== size * 2) return false;
  const point = new Uint8Array(key.length + 1);
  point[0] = 4;
  point.set(key, 1);
  return curve.verify(signature, data, point, { lowS: false });
}

function check(algorithm: number, key: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  const hash = RSA_HASH[algorithm];
  if (hash !== undefined) {
    const rsa = readRsaKey(key);
    return rsa !== undefined && rsaVerify(rsa, hash, data, signature);
  }
  switch (algorithm) {
    case 13: return ecdsa(p256, 32, key, data, signature);
    case 14: return ecdsa(p384, 48, key, data, signature);
    // RFC 8032 §5.1.7 strict checks (not ZIP-215), as OpenSSL does.
    case 15: return key.length === 32 && signature.length === 64 && ed25519.verify(signature, data, key, { zip215: false });
    // 16, the one algorithm left that `supports` lets through.
    default: return key.length === 57 && signature.length === 114 && ed448.verify(signature, data, key);
  }
}

/**
 * A verifier for algorithms 5, 7, 8, 10, 13, 14, 15 and 16; with
 * `sha1: false`, without 5 and 7 (see `algorithms.ts`).
 */
export function nobleVerifier(options: { readonly sha1?: boolean } = {}): SignatureVerifier {
  const sha1 = options.sha1 !== false;
  return {
    supports: (algorithm) => algorithm === 8 || algorithm === 10 || (algorithm >= 13 && algorithm <= 16) || (sha1 && (algorithm === 5 || algorithm === 7)),
    verify(algorithm, key, data, signature) {
      if (!this.supports(algorithm)) return false;
      try {
        return check(algorithm, key, data, signature);
      } catch {
        // noble throws on a point not on the curve or a non-canonical encoding: a bad key or signature.
        return false;
      }
    },
  };
}
