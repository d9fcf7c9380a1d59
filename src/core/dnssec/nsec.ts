/**
 * NSEC proofs (RFC 4035 §5.4, RFC 4034 §4, RFC 6840 §4.1, §4.3, §4.4).
 * Records passed here have had their signatures checked already.
 * An NSEC covers a name when the name sorts strictly between its owner and
 * its next name (the last NSEC of a zone wraps to the apex). Names below a
 * delegation (NS without SOA) or a DNAME cannot be denied by an NSEC at that
 * cut: the child, or the DNAME target, holds them (RFC 6840 §4.1).
 */
import { compareBytes } from './bytes.js';
import { compareNames, isBelowOrAt, suffix, wildcardOf } from './names.js';
import { hasType, type Nsec } from './records.js';

const NS = 2;
const SOA = 6;
const CNAME = 5;
const DNAME = 39;
const DS = 43;

/** True when `nsec` is for `name` itself. */
export function nsecMatches(nsec: Nsec, name: readonly Uint8Array[]): boolean {
  return compareNames(nsec.owner, name) === 0;
}

/** True when `nsec` proves that `name` does not exist (RFC 4035 §5.4; RFC 6840 §4.1). */
export function nsecCovers(nsec: Nsec, name: readonly Uint8Array[]): boolean {
  const afterOwner = compareNames(nsec.owner, name) < 0;
  const beforeNext = compareNames(name, nsec.next) < 0;
  const wraps = compareNames(nsec.next, nsec.owner) <= 0;
  if (!(wraps ? afterOwner || beforeNext : afterOwner && beforeNext)) return false;
  const cut = hasType(nsec.types, DNAME) || (hasType(nsec.types, NS) && !hasType(nsec.types, SOA));
  return !(cut && isBelowOrAt(name, nsec.owner));
}

/** Labels shared from the root by `a` and `b`. */
function commonLabels(a: readonly Uint8Array[], b: readonly Uint8Array[]): number {
  let n = 0;
  while (n < a.length && n < b.length && compareBytes(a[a.length - 1 - n] as Uint8Array, b[b.length - 1 - n] as Uint8Array) === 0) n++;
  return n;
}

/**
 * The closest encloser of `name` that an NSEC covering it implies: the
 * longest ancestor of `name` that is an ancestor of the owner or of the
 * next name (RFC 4592 §3.3.1; RFC 4035 §5.4).
 */
export function nsecClosestEncloser(nsec: Nsec, name: readonly Uint8Array[]): Uint8Array[] {
  return suffix(name, Math.max(commonLabels(nsec.owner, name), commonLabels(nsec.next, name)));
}

/**
 * True when `nsec` (matching the name) proves it has no `type` (RFC 4035
 * §3.1.3.1): the bit and the CNAME bit are clear. A parent-side NSEC at a
 * delegation (NS, no SOA) proves only the absence of DS; an apex NSEC
 * (SOA) cannot prove the absence of DS, which lives in the parent
 * (RFC 6840 §4.4).
 */
export function nsecDeniesType(nsec: Nsec, type: number): boolean {
  if (hasType(nsec.types, type) || hasType(nsec.types, CNAME)) return false;
  const delegation = hasType(nsec.types, NS) && !hasType(nsec.types, SOA);
  if (type === DS) return !hasType(nsec.types, SOA);
  return !delegation;
}

/** The outcome of a denial proof. */
export type Proof =
  | { readonly ok: true; readonly insecure?: string }
  | { readonly ok: false; readonly reason: string };

const OK: Proof = { ok: true };

/** NXDOMAIN for `name` (RFC 4035 §5.4): an NSEC covers it, and one covers the wildcard at its closest encloser. */
export function nsecNxdomain(nsecs: readonly Nsec[], name: readonly Uint8Array[]): Proof {
  const cover = nsecs.find((n) => nsecCovers(n, name));
  if (cover === undefined) return { ok: false, reason: 'no NSEC covers the name' };
  const star = wildcardOf(nsecClosestEncloser(cover, name));
  if (!nsecs.some((n) => nsecCovers(n, star))) return { ok: false, reason: 'no NSEC denies the wildcard at the closest encloser' };
  return OK;
}

/**
 * NODATA for `name`/`type` (RFC 4035 §3.1.3.1, §5.4): a matching NSEC
 * without the type; or, for a name that does not exist, a covering NSEC
 * and a matching NSEC for the wildcard at the closest encloser without the
 * type (wildcard NODATA, RFC 4035 §3.1.3.4).
 */
export function nsecNodata(nsecs: readonly Nsec[], name: readonly Uint8Array[], type: number): Proof {
  const match = nsecs.find((n) => nsecMatches(n, name));
  if (match !== undefined) return nsecDeniesType(match, type) ? OK : { ok: false, reason: 'the matching NSEC has the type (or CNAME)' };
  const cover = nsecs.find((n) => nsecCovers(n, name));
  if (cover === undefined) return { ok: false, reason: 'no NSEC matches or covers the name' };
  // An empty non-terminal: the next name is below it, so it exists without data (RFC 4035 §3.1.3.2).
  if (isBelowOrAt(cover.next, name)) return OK;
  const star = wildcardOf(nsecClosestEncloser(cover, name));
  const wild = nsecs.find((n) => nsecMatches(n, star));
  if (wild === undefined || !nsecDeniesType(wild, type)) return { ok: false, reason: 'no NSEC denies the type at the wildcard' };
  return OK;
}

/**
 * A wildcard expansion of `name` from the wildcard at `source` (the RRSIG's
 * Labels field, RFC 4035 §5.3.4): an NSEC covers `name` and its closest
 * encloser is `source`, so no closer name exists.
 */
export function nsecWildcardAnswer(nsecs: readonly Nsec[], name: readonly Uint8Array[], sourceLabels: number): Proof {
  const ok = nsecs.some((n) => nsecCovers(n, name) && nsecClosestEncloser(n, name).length === sourceLabels);
  return ok ? OK : { ok: false, reason: 'no NSEC proves the name is not in the zone (wildcard expansion)' };
}
