/**
 * NSEC3 proofs (RFC 5155 §8), with the work bounds of RFC 9276 and
 * CVE-2023-50868: records with more iterations than `maxNsec3Iterations`
 * make the proof insecure (RFC 9276 §3.2, EDE 27), and every hash is paid
 * from the budget's `maxNsec3Work`. Records with an unknown hash algorithm or
 * unknown flags are ignored (RFC 5155 §8.1, §8.2). Records passed here have
 * had their signatures checked already.
 */
import { HASHES } from './digest.js';
import { bytesEqual, concatBytes } from './bytes.js';
import type { Budget } from './budget.js';
import { canonicalLabels, labelsWire, suffix, wildcardOf } from './names.js';
import { hasType, type Nsec3 } from './records.js';
import type { Proof } from './nsec.js';

const NS = 2;
const SOA = 6;
const CNAME = 5;
const DS = 43;
const B32 = '0123456789abcdefghijklmnopqrstuv';

/** Base32hex without padding (RFC 4648 §7), lower case, as NSEC3 owner labels are written. */
export function base32hex(b: Uint8Array): string {
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const x of b) {
    acc = (acc << 8) | x;
    bits += 8;
    while (bits >= 5) {
      out += B32[(acc >> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  return bits > 0 ? out + B32[(acc << (5 - bits)) & 31] : out;
}

/** The NSEC3 hash of a name (RFC 5155 §5): iterated SHA-1 over the canonical wire name and the salt. */
export function nsec3Hash(nameWire: Uint8Array, salt: Uint8Array, iterations: number): Uint8Array {
  let h = HASHES['SHA-1'](concatBytes([nameWire, salt]));
  for (let i = 0; i < iterations; i++) h = HASHES['SHA-1'](concatBytes([h, salt]));
  return h;
}

/** An NSEC3 with its owner hash decoded, for comparisons. */
interface Usable {
  readonly rec: Nsec3;
  /** Owner hash as base32hex text, lower case. */
  readonly owner: string;
  readonly next: string;
}

/**
 * The NSEC3 records of one zone, hashing names on demand within the budget.
 * Only records with the parameters of the first usable one take part
 * (a zone has one NSEC3 chain, RFC 5155 §7.1).
 */
export class Nsec3Set {
  private readonly usable: Usable[] = [];
  private readonly memo = new Map<string, string | undefined>();
  /** Set when a record's iterations exceed the bound: proofs using it are insecure. */
  readonly tooCostly: boolean;

  constructor(records: readonly Nsec3[], private readonly zone: readonly Uint8Array[], private readonly budget: Budget) {
    let costly = false;
    for (const rec of records) {
      const params = this.usable[0]?.rec;
      if (rec.hashAlgorithm !== 1 || rec.flags > 1) continue;
      if (params !== undefined && (params.iterations !== rec.iterations || !bytesEqual(params.salt, rec.salt))) continue;
      if (rec.iterations > budget.limits.maxNsec3Iterations) costly = true;
      const first = canonicalLabels(rec.owner)[0] as Uint8Array;
      this.usable.push({ rec, owner: String.fromCharCode(...first), next: base32hex(rec.next) });
    }
    this.tooCostly = costly;
  }

  /** The hash of `name` under the first record's parameters, or `undefined` when the budget is spent. */
  private hash(name: readonly Uint8Array[]): string | undefined {
    const first = this.usable[0] as Usable;
    const wire = labelsWire(name);
    const key = String.fromCharCode(...wire);
    if (this.memo.has(key)) return this.memo.get(key);
    const h = this.budget.hash(first.rec.iterations) ? base32hex(nsec3Hash(wire, first.rec.salt, first.rec.iterations)) : undefined;
    this.memo.set(key, h);
    return h;
  }

  /** The record whose owner is the hash of `name`. `null` when the budget is spent. */
  match(name: readonly Uint8Array[]): Nsec3 | undefined | null {
    const h = this.hash(name);
    if (h === undefined) return null;
    return this.usable.find((u) => u.owner === h)?.rec;
  }

  /** A record whose hash interval strictly contains the hash of `name`. `null` when the budget is spent. */
  cover(name: readonly Uint8Array[]): Nsec3 | undefined | null {
    const h = this.hash(name);
    if (h === undefined) return null;
    return this.usable.find((u) => {
      const wraps = u.next <= u.owner;
      return wraps ? h > u.owner || h < u.next : h > u.owner && h < u.next;
    })?.rec;
  }

  /**
   * The closest encloser proof of `name` (RFC 5155 §8.3): the longest
   * ancestor with a matching record, whose next closer name is covered.
   */
  closestEncloser(name: readonly Uint8Array[]): { ce: Uint8Array[]; nc: Nsec3 } | string {
    for (let n = name.length - 1; n >= this.zone.length; n--) {
      const ce = suffix(name, n);
      const m = this.match(ce);
      if (m === null) return 'NSEC3 hashing budget spent (option maxNsec3Work)';
      if (m === undefined) continue;
      if (hasType(m.types, DNAMETYPE) || (hasType(m.types, NS) && !hasType(m.types, SOA))) return 'the closest encloser is a delegation or DNAME';
      const nc = this.cover(suffix(name, n + 1));
      if (nc === null) return 'NSEC3 hashing budget spent (option maxNsec3Work)';
      return nc === undefined ? 'no NSEC3 covers the next closer name' : { ce, nc };
    }
    return 'no NSEC3 matches an ancestor of the name';
  }
}

const DNAMETYPE = 39;
const OK: Proof = { ok: true };

/**
 * A closest encloser proof whose next closer name is covered by an opt-out
 * span proves nothing about unsigned delegations in that span, so the answer
 * is insecure, never secure (RFC 5155 §9.2: "The AD bit ... MUST NOT be set
 * when returning a response containing a closest (provable) encloser proof
 * in which the NSEC3 RR that covers the 'next closer' name has the Opt-Out
 * bit set"). That holds for NXDOMAIN, for a wildcard's NODATA or answer, and
 * for no DS at an unsigned delegation (§8.6), as unbound validates them;
 * BIND's delv calls the denials secure (a documented disagreement of the
 * interop tests).
 */
function optOut(nc: Nsec3, what: string): Proof {
  return nc.optOut ? { ok: true, insecure: `${what}: the NSEC3 covering the next closer name has opt-out (RFC 5155 §9.2)` } : OK;
}

/** NXDOMAIN (RFC 5155 §8.4): closest encloser proof, and the wildcard at the closest encloser covered. */
export function nsec3Nxdomain(set: Nsec3Set, name: readonly Uint8Array[]): Proof {
  const p = set.closestEncloser(name);
  if (typeof p === 'string') return { ok: false, reason: p };
  const star = set.cover(wildcardOf(p.ce));
  if (star === null) return { ok: false, reason: 'NSEC3 hashing budget spent (option maxNsec3Work)' };
  if (star === undefined) return { ok: false, reason: 'no NSEC3 covers the wildcard at the closest encloser' };
  return optOut(p.nc, 'NXDOMAIN');
}

/**
 * NODATA (RFC 5155 §8.5-8.7): a matching record without the type and
 * CNAME; for DS without a match, a closest encloser proof whose next closer
 * is covered by an opt-out record (§8.6, an unsigned delegation); else the
 * wildcard at the closest encloser matched without the type (§8.7).
 */
export function nsec3Nodata(set: Nsec3Set, name: readonly Uint8Array[], type: number): Proof {
  const m = set.match(name);
  if (m === null) return { ok: false, reason: 'NSEC3 hashing budget spent (option maxNsec3Work)' };
  if (m !== undefined) {
    if (hasType(m.types, type) || hasType(m.types, CNAME)) return { ok: false, reason: 'the matching NSEC3 has the type (or CNAME)' };
    if (type === DS && hasType(m.types, SOA)) return { ok: false, reason: 'DS denied by the child apex NSEC3 (RFC 6840 §4.4)' };
    if (type !== DS && hasType(m.types, NS) && !hasType(m.types, SOA)) return { ok: false, reason: 'a delegation NSEC3 denies only DS' };
    return OK;
  }
  const p = set.closestEncloser(name);
  if (typeof p === 'string') return { ok: false, reason: p };
  if (type === DS) return p.nc.optOut ? optOut(p.nc, 'no DS') : { ok: false, reason: 'DS NODATA without a matching or opt-out NSEC3 (RFC 5155 §8.6)' };
  const wild = set.match(wildcardOf(p.ce));
  if (wild === null) return { ok: false, reason: 'NSEC3 hashing budget spent (option maxNsec3Work)' };
  if (wild === undefined || hasType(wild.types, type) || hasType(wild.types, CNAME)) return { ok: false, reason: 'no NSEC3 denies the type at the wildcard' };
  return optOut(p.nc, 'wildcard NODATA');
}

/** A wildcard expansion (RFC 5155 §8.8): the next closer name below the wildcard's source is covered. */
export function nsec3WildcardAnswer(set: Nsec3Set, name: readonly Uint8Array[], sourceLabels: number): Proof {
  const nc = set.cover(suffix(name, sourceLabels + 1));
  if (nc === null) return { ok: false, reason: 'NSEC3 hashing budget spent (option maxNsec3Work)' };
  if (nc === undefined) return { ok: false, reason: 'no NSEC3 covers the next closer name (wildcard expansion)' };
  return optOut(nc, 'wildcard expansion');
}
