/**
 * A native DNSSEC signature verifier for Node (`node:crypto`, OpenSSL):
 * the same {@link SignatureVerifier} contract as the pure-JavaScript
 * default, injected through the `verifier` option. Keys are imported once
 * (JWK) and kept in a small LRU map, so a warm chain verifies without
 * re-parsing. `npm run bench -- dnssec` compares it with `nobleVerifier`.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readRsaKey } from '../../core/dnssec/rsa.js';
import type { SignatureVerifier } from '../../core/dnssec/verifier.js';

const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

function bigToBytes(n: bigint): Uint8Array {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 === 1 ? `0${hex}` : hex, 'hex');
}

/** The key object of DNSKEY public key bytes for `algorithm`, or `undefined` (RFC 3110, RFC 6605 §4, RFC 8080 §3). */
function importKey(algorithm: number, key: Uint8Array): KeyObject | undefined {
  if (algorithm === 5 || algorithm === 7 || algorithm === 8 || algorithm === 10) {
    const rsa = readRsaKey(key);
    return rsa === undefined ? undefined : createPublicKey({ key: { kty: 'RSA', n: b64url(bigToBytes(rsa.n)), e: b64url(bigToBytes(rsa.e)) }, format: 'jwk' });
  }
  const ec = algorithm === 13 ? ['P-256', 32] as const : algorithm === 14 ? ['P-384', 48] as const : undefined;
  if (ec !== undefined) {
    if (key.length !== ec[1] * 2) return undefined;
    return createPublicKey({ key: { kty: 'EC', crv: ec[0], x: b64url(key.subarray(0, ec[1])), y: b64url(key.subarray(ec[1])) }, format: 'jwk' });
  }
  const crv = algorithm === 15 ? 'Ed25519' : 'Ed448';
  return createPublicKey({ key: { kty: 'OKP', crv, x: b64url(key) }, format: 'jwk' });
}

const HASH: Readonly<Record<number, string | null>> = { 5: 'sha1', 7: 'sha1', 8: 'sha256', 10: 'sha512', 13: 'sha256', 14: 'sha384', 15: null, 16: null };

/**
 * A verifier backed by `node:crypto` for algorithms 5, 7, 8, 10, 13, 14, 15
 * and 16 (without 5 and 7 when `sha1: false`). Never throws: a key or
 * signature OpenSSL refuses is `false`.
 */
export function nodeVerifier(options: { readonly sha1?: boolean; readonly cacheKeys?: number } = {}): SignatureVerifier {
  const sha1 = options.sha1 !== false;
  const max = options.cacheKeys ?? 256;
  const keys = new Map<string, KeyObject | undefined>();
  const supports = (a: number): boolean => a in HASH && (sha1 || (a !== 5 && a !== 7));
  return {
    supports,
    verify(algorithm, key, data, signature) {
      if (!supports(algorithm)) return false;
      try {
        const id = `${algorithm}:${Buffer.from(key).toString('base64')}`;
        let k = keys.get(id);
        if (!keys.has(id)) {
          k = importKey(algorithm, key);
          keys.set(id, k);
          if (keys.size > max) keys.delete(keys.keys().next().value as string);
        }
        if (k === undefined) return false;
        const ecdsa = algorithm === 13 || algorithm === 14;
        return verify(HASH[algorithm] as string | null, data, ecdsa ? { key: k, dsaEncoding: 'ieee-p1363' } : k, signature);
      } catch {
        return false;
      }
    },
  };
}
