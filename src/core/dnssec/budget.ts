/**
 * The work bounds of one validation (DESIGN.md rule 11): KeyTrap
 * (CVE-2023-50387) makes a validator try every key with a colliding tag for
 * every signature, and NSEC3 closest-encloser proofs (CVE-2023-50868) hash
 * many names with many iterations. Each query gets a budget; a response that
 * spends it ends bogus.
 */

/** Bounds of a validation, per query. */
export interface ValidationLimits {
  /** Signature verifications at most (default 48). */
  readonly maxVerifications: number;
  /** Keys tried for one RRSIG whose tag and algorithm match (default 4; RFC 4035 §5.3.1 allows more, KeyTrap says no). */
  readonly maxKeyTagCollisions: number;
  /** RRSIGs tried for one RRset (default 8). */
  readonly maxSignaturesPerRRset: number;
  /** NSEC3 iterations above this make a proof insecure (default 150, RFC 9276 §3.2). */
  readonly maxNsec3Iterations: number;
  /** SHA-1 compressions spent on NSEC3 hashes at most: each hash costs iterations + 1 (default 2000). */
  readonly maxNsec3Work: number;
  /** Zone cuts followed from a trust anchor down to a name at most (default 16). */
  readonly maxChainDepth: number;
  /** DNSKEY and DS queries one validation may send at most (default 32). */
  readonly maxFetches: number;
}

/** The defaults of {@link ValidationLimits}. */
export const DEFAULT_LIMITS: ValidationLimits = {
  maxVerifications: 48, maxKeyTagCollisions: 4, maxSignaturesPerRRset: 8, maxNsec3Iterations: 150,
  maxNsec3Work: 2000, maxChainDepth: 16, maxFetches: 32,
};

/** What one validation has spent. */
export class Budget {
  verifications = 0;
  nsec3Work = 0;
  fetches = 0;

  constructor(readonly limits: ValidationLimits) {}

  /** Spend one signature verification; false when none is left. */
  verify(): boolean {
    if (this.verifications >= this.limits.maxVerifications) return false;
    this.verifications++;
    return true;
  }

  /** Spend one NSEC3 hash of `iterations`; false when the work bound would be passed. */
  hash(iterations: number): boolean {
    if (this.nsec3Work + iterations + 1 > this.limits.maxNsec3Work) return false;
    this.nsec3Work += iterations + 1;
    return true;
  }
}
