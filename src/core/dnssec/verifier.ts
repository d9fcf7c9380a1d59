/**
 * Signature verification behind one small interface, so a driver can inject
 * a native implementation (`node:crypto` is synchronous) while the default
 * stays pure JavaScript (`noble-verifier.ts`).
 */

/**
 * Checks one DNSSEC signature. `algorithm` is the DNSSEC algorithm number
 * (RFC 8624 §3.1); `key` the DNSKEY public key field; `data` the signed data
 * (RFC 4034 §3.1.8.1); `signature` the RRSIG signature field in its DNSSEC
 * wire form (RSA: RFC 3110 §3; ECDSA: r | s, RFC 6605 §4; EdDSA: RFC 8080 §4).
 * Must not throw: a malformed key or signature is `false`.
 */
export interface SignatureVerifier {
  /** True when `algorithm` is validated by this verifier; others make a zone insecure (RFC 6840 §5.2). */
  supports(algorithm: number): boolean;
  verify(algorithm: number, key: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean;
}
