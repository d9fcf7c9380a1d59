/**
 * DNSSEC algorithm and DS digest numbers (IANA "DNS Security Algorithm
 * Numbers" and "Delegation Signer Digest Algorithms"), and which of them this
 * validator checks.
 *
 * RFC 8624 §3.1 and §3.3 (whose table RFC 9904 moved into the IANA registry
 * without changing a status) say a validator MUST validate RSASHA1 (5),
 * RSASHA1-NSEC3-SHA1 (7), RSASHA256 (8), RSASHA512 (10) and ECDSAP256SHA256
 * (13), SHOULD validate ECDSAP384SHA384 (14) and ED25519 (15), MAY validate
 * ED448 (16), and MUST validate DS digests SHA-1 (1) and SHA-256 (2), MAY
 * SHA-384 (4). All of them are checked here. Because SHA-1 is broken for
 * collisions, the option `sha1: false` drops algorithms 5 and 7 and digest 1:
 * a zone signed only with them is then insecure, not bogus (RFC 6840 §5.2),
 * as on platforms whose crypto library refuses SHA-1. DSA (3, 6), GOST
 * (12, digest 3) and RSA/MD5 (1) are never validated: unsupported, so insecure.
 */

/** Names of the algorithm numbers, for traces and errors. */
export const ALGORITHM_NAMES: Readonly<Record<number, string>> = {
  1: 'RSAMD5', 3: 'DSA', 5: 'RSASHA1', 6: 'DSA-NSEC3-SHA1', 7: 'RSASHA1-NSEC3-SHA1', 8: 'RSASHA256',
  10: 'RSASHA512', 12: 'ECC-GOST', 13: 'ECDSAP256SHA256', 14: 'ECDSAP384SHA384', 15: 'ED25519', 16: 'ED448',
};

/** The algorithms a verifier is asked about (RFC 8624 §3.1). */
export const VALIDATED_ALGORITHMS: readonly number[] = [5, 7, 8, 10, 13, 14, 15, 16];

/** SHA-1 based signature algorithms (RFC 3110, RFC 5155 §2). */
export const SHA1_ALGORITHMS: readonly number[] = [5, 7];

/** DS digest types checked (RFC 4034 §5.1.4, RFC 4509, RFC 6605 §2): SHA-1, SHA-256, SHA-384. */
export const DIGEST_TYPES: readonly number[] = [1, 2, 4];

/** The name of algorithm `n` (`ALG<n>` when it has none). */
export function algorithmName(n: number): string {
  return ALGORITHM_NAMES[n] ?? `ALG${n}`;
}
