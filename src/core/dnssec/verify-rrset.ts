/**
 * Checking an RRset's signatures against a zone's keys (RFC 4035 §5.3):
 * each RRSIG must cover the RRset's type, be made by the zone (the signer is
 * the zone and encloses the owner), have a Labels field no larger than the
 * owner's, be inside its validity window at the caller's wall-clock time
 * (RFC 4034 §3.1.5, serial-number arithmetic of RFC 1982), and verify with a
 * zone key of the zone whose tag and algorithm match. One good signature is
 * enough (RFC 6840 §5.11). Work is bounded by the budget (KeyTrap).
 */
import type { Budget } from './budget.js';
import { EDE } from './ede.js';
import { compareNames, isBelowOrAt, nameOf } from './names.js';
import { isZoneKey, type Dnskey, type Rrsig } from './records.js';
import { signedData, type RRset } from './rrset.js';
import type { SignatureVerifier } from './verifier.js';
import { algorithmName } from './algorithms.js';

/** What a validation step needs: the verifier, the wall-clock time and the budget. */
export interface VerifyContext {
  readonly verifier: SignatureVerifier;
  /** UNIX seconds (the caller's `now` mapped by the `unixTime` option). */
  readonly unixNow: number;
  readonly budget: Budget;
}

/** The outcome of checking one RRset. */
export type RRsetCheck =
  | { readonly ok: true; readonly sig: Rrsig; readonly key: Dnskey }
  | { readonly ok: false; readonly code: number; readonly reason: string };

/** Failures ranked: the one reached furthest along the checks is reported. */
const RANK: Readonly<Record<number, number>> = {
  [EDE.rrsigsMissing]: 0, [EDE.unsupportedDnskeyAlgorithm]: 2, [EDE.signatureNotYetValid]: 3,
  [EDE.signatureExpired]: 3, [EDE.dnskeyMissing]: 4, [EDE.noZoneKeyBitSet]: 5, [EDE.dnssecBogus]: 6,
};

/** `a < b` in RFC 1982 serial-number arithmetic over 32 bits (undefined distance 2^31 is not less). */
function serialLt(a: number, b: number): boolean {
  const d = (b - a + 0x100000000) % 0x100000000;
  return d !== 0 && d < 0x80000000;
}

/** The validity check of RFC 4034 §3.1.5 at `now`: the failure code, or 0. */
export function validityCode(sig: Rrsig, now: number): number {
  const t = ((Math.floor(now) % 0x100000000) + 0x100000000) % 0x100000000;
  if (serialLt(t, sig.inception)) return EDE.signatureNotYetValid;
  if (serialLt(sig.expiration, t)) return EDE.signatureExpired;
  return 0;
}

function fail(code: number, reason: string): RRsetCheck {
  return { ok: false, code, reason };
}

/** Check one RRSIG; returns success or why it failed. */
function checkSig(set: RRset, sig: Rrsig, keys: readonly Dnskey[], zone: readonly Uint8Array[], ctx: VerifyContext): RRsetCheck {
  const what = `RRSIG ${algorithmName(sig.algorithm)} tag ${sig.keyTag} by ${sig.signerName}`;
  if (compareNames(sig.signer, zone) !== 0 || !isBelowOrAt(set.labels, sig.signer)) return fail(EDE.dnssecBogus, `${what}: signer is not the zone ${nameOf([...zone])} of ${set.name}`);
  if (!ctx.verifier.supports(sig.algorithm)) return fail(EDE.unsupportedDnskeyAlgorithm, `${what}: algorithm not supported`);
  const validity = validityCode(sig, ctx.unixNow);
  if (validity === EDE.signatureNotYetValid) return fail(validity, `${what}: not valid before ${sig.inception} (now ${Math.floor(ctx.unixNow)})`);
  if (validity === EDE.signatureExpired) return fail(validity, `${what}: expired at ${sig.expiration} (now ${Math.floor(ctx.unixNow)})`);
  const data = signedData(set, sig);
  if (data === undefined) return fail(EDE.dnssecBogus, `${what}: Labels ${sig.labels} exceeds the owner's label count`);
  const matching = keys.filter((k) => k.tag === sig.keyTag && k.algorithm === sig.algorithm);
  if (matching.length === 0) return fail(EDE.dnskeyMissing, `${what}: no DNSKEY with that tag and algorithm`);
  const usable = matching.filter(isZoneKey);
  if (usable.length === 0) return fail(EDE.noZoneKeyBitSet, `${what}: the key is not a zone key (or is revoked)`);
  const tries = Math.min(usable.length, ctx.budget.limits.maxKeyTagCollisions);
  for (let i = 0; i < tries; i++) {
    if (!ctx.budget.verify()) return fail(EDE.dnssecBogus, `${what}: verification budget spent (option maxVerifications)`);
    const key = usable[i] as Dnskey;
    if (ctx.verifier.verify(sig.algorithm, key.publicKey, data, sig.signature)) return { ok: true, sig, key };
  }
  return fail(EDE.dnssecBogus, `${what}: signature does not verify`);
}

/**
 * Check `set` against the keys of `zone` (RFC 4035 §5.3). Success names the
 * signature and key; failure names the EDE code and the reason of the
 * signature that got furthest. At most `maxSignaturesPerRRset` RRSIGs are tried.
 */
export function verifyRRset(set: RRset, keys: readonly Dnskey[], zone: readonly Uint8Array[], ctx: VerifyContext): RRsetCheck {
  if (set.sigs.length === 0) return fail(EDE.rrsigsMissing, `no RRSIG covers ${set.name}`);
  let best: RRsetCheck = fail(EDE.rrsigsMissing, '');
  const n = Math.min(set.sigs.length, ctx.budget.limits.maxSignaturesPerRRset);
  for (let i = 0; i < n; i++) {
    const r = checkSig(set, set.sigs[i] as Rrsig, keys, zone, ctx);
    if (r.ok) return r;
    if ((RANK[r.code] as number) >= (RANK[(best as { code: number }).code] as number)) best = r;
  }
  return best;
}
