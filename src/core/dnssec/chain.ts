/**
 * The chain of trust from an anchor down to a name (RFC 4035 §5.1, §5.2):
 * one label at a time, the DS query of each name below the last known zone
 * tells whether it is a secure zone cut (a DS RRset signed by the zone
 * above, then that zone's DNSKEY RRset signed by a key the DS names), an
 * insecure one (an authenticated denial of DS at a delegation, or an opt-out
 * NSEC3 span), or no cut at all (the name is inside the zone above).
 * Results are cached by name (`KeyCache`), so a chain is checked once and
 * shared by every query under it until its TTLs or signatures run out.
 */
import type { DnsRecord } from '../codec/types.js';
import { EDE } from './ede.js';
import { PENDING, type Env, type Pending } from './env.js';
import { compareNames, isBelowOrAt, nameOf, suffix } from './names.js';
import { nsecCovers, nsecMatches, nsecNxdomain } from './nsec.js';
import { Nsec3Set, nsec3Nodata, nsec3Nxdomain } from './nsec3.js';
import { hasType, readDs, readNsec, readNsec3, type Ds, type Nsec, type Nsec3 } from './records.js';
import { withSigs, type RRset } from './rrset.js';
import { trustKeys, untilOf } from './trust-keys.js';
import { verifyRRset } from './verify-rrset.js';
import type { ZoneState } from './zone-state.js';
import type { Anchor } from './anchors.js';

const NS = 2;
const CNAME = 5;
const SOA = 6;
const DS = 43;
const NSEC = 47;
const NSEC3 = 50;

type Secure = Extract<ZoneState, { kind: 'secure' }>;

function bogus(code: number, reason: string): ZoneState {
  return { kind: 'bogus', code, reason };
}

function minTtl(records: readonly DnsRecord[]): number {
  return records.reduce((m, r) => Math.min(m, r.ttl), Infinity);
}

/** The state at an anchor: its DNSKEY RRset checked against the anchor's DS or DNSKEY records. */
function anchorState(env: Env, anchor: Anchor): ZoneState | Pending {
  const cached = env.cache.get(anchor.name, env.t, env.ctx.unixNow);
  if (cached !== undefined) return cached;
  const s = trustKeys(env, anchor.labels, anchor.ds, anchor.keys, [...anchor.records], Infinity, Infinity);
  if (s !== PENDING) env.cache.set(anchor.name, s);
  return s;
}

/** Check RRsets against the keys of the secure zone `parent`; the first failure, or `undefined`. */
function checkAll(env: Env, sets: readonly RRset[], parent: Secure, what: string): ZoneState | undefined {
  for (const set of sets) {
    const v = verifyRRset(set, parent.keys, parent.zone, env.ctx);
    if (!v.ok) return bogus(v.code, `${what}: ${v.reason}`);
  }
  return undefined;
}

/** An insecure state below `parent`, proved by `records`. */
function insecure(env: Env, parent: Secure, records: readonly DnsRecord[], reason: string, code?: number): ZoneState {
  env.log(`insecure: ${reason}`);
  return {
    kind: 'insecure', code, reason, proof: [...parent.proof, ...records],
    expires: Math.min(parent.expires, env.t + minTtl(records) * 1000), validUntil: parent.validUntil,
  };
}

/** What an NSEC proof says about DS at `c` (RFC 4035 §5.2; RFC 6840 §4.4): cut without DS, no cut, or nothing. */
function nsecSays(nsecs: readonly Nsec[], c: readonly Uint8Array[]): 'unsigned' | 'no-cut' | string {
  const m = nsecs.find((n) => nsecMatches(n, c));
  if (m !== undefined) {
    if (hasType(m.types, DS) || hasType(m.types, SOA) || hasType(m.types, CNAME)) return 'the NSEC at the name does not deny DS from the parent side';
    return hasType(m.types, NS) ? 'unsigned' : 'no-cut';
  }
  const ent = nsecs.some((n) => nsecCovers(n, c) && isBelowOrAt(n.next, c) && compareNames(n.next, c) !== 0);
  return ent ? 'no-cut' : 'no NSEC matches the name';
}

/** What an NSEC3 proof says about DS at `c` (RFC 5155 §8.5, §8.6). */
function nsec3Says(set: Nsec3Set, c: readonly Uint8Array[]): 'unsigned' | 'no-cut' | string {
  const m = set.match(c);
  if (m === null) return 'NSEC3 hashing budget spent (option maxNsec3Work)';
  if (m !== undefined) {
    const p = nsec3Nodata(set, c, DS);
    if (!p.ok) return p.reason;
    return hasType(m.types, NS) ? 'unsigned' : 'no-cut';
  }
  const p = nsec3Nodata(set, c, DS);
  return p.ok ? 'unsigned' : p.reason;
}

/** A DS response without DS for `c`: an authenticated denial from the zone above (RFC 4035 §5.4). */
function dsDenial(env: Env, parent: Secure, c: Uint8Array[], rcode: number, authorities: readonly DnsRecord[]): ZoneState {
  const name = nameOf(c);
  const sets = withSigs(authorities).filter((s) => s.type === NSEC || s.type === NSEC3);
  if (sets.length === 0) return bogus(EDE.nsecMissing, `DS ${name}: no NSEC or NSEC3 denies it`);
  const failed = checkAll(env, sets, parent, `DS ${name} denial`);
  if (failed !== undefined) return failed;
  const records = sets.flatMap((s) => s.records);
  const proof = [...records, ...authorities.filter((r) => r.type === 'RRSIG')];
  const nsec3s = records.map(readNsec3).filter((r): r is Nsec3 => r !== undefined);
  let says: string;
  if (nsec3s.length > 0) {
    const set = new Nsec3Set(nsec3s, parent.zone, env.ctx.budget);
    if (set.tooCostly) return insecure(env, parent, proof, `DS ${name}: NSEC3 iterations above the bound (RFC 9276 §3.2)`, EDE.unsupportedNsec3Iterations);
    if (rcode === 3) return nsec3Nxdomain(set, c).ok ? bogus(EDE.dnssecBogus, `${name} is proven not to exist`) : bogus(EDE.dnssecBogus, `DS ${name}: NXDOMAIN not proven`);
    says = nsec3Says(set, c);
  } else {
    const nsecs = records.map(readNsec).filter((r): r is Nsec => r !== undefined);
    if (rcode === 3) return nsecNxdomain(nsecs, c).ok ? bogus(EDE.dnssecBogus, `${name} is proven not to exist`) : bogus(EDE.dnssecBogus, `DS ${name}: NXDOMAIN not proven`);
    says = nsecSays(nsecs, c);
  }
  if (says === 'no-cut') return parent;
  if (says === 'unsigned') return insecure(env, parent, proof, `${name}: delegation without DS, proven by ${nsec3s.length > 0 ? 'NSEC3' : 'NSEC'} of ${nameOf(parent.zone)} (RFC 4035 §5.2)`);
  return bogus(EDE.dnssecBogus, `DS ${name}: ${says}`);
}

/** One step down from the secure zone `parent` to `c`, one label below the last name walked. */
function dsStep(env: Env, parent: Secure, c: Uint8Array[]): ZoneState | Pending {
  const name = nameOf(c);
  const f = env.response(c, DS);
  if (f === undefined) return PENDING;
  if (!f.ok) return { kind: 'error', code: f.code, reason: `DS ${name}: ${f.detail}` };
  const sets = withSigs(f.event.records);
  const ds = sets.find((s) => s.type === DS && compareNames(s.labels, c) === 0);
  if (ds !== undefined) {
    if (!env.memo.has(`DS ${name}`)) {
      const failed = checkAll(env, [ds], parent, `DS ${name}`);
      if (failed !== undefined) return failed;
      env.memo.set(`DS ${name}`, true);
      env.log(`secure: ${name}/DS signed by ${nameOf(parent.zone)} (RFC 4035 §5.2)`);
    }
    const records = f.event.records;
    const until = Math.min(parent.validUntil, ...ds.sigs.map((s) => untilOf(s.expiration, env.ctx.unixNow)));
    return trustKeys(env, c, ds.records.map((r) => readDs(r) as Ds), [], [...parent.proof, ...records], Math.min(parent.expires, env.t + minTtl(ds.records) * 1000), until);
  }
  const cname = sets.find((s) => s.type === CNAME && compareNames(s.labels, c) === 0);
  if (cname !== undefined) return checkAll(env, [cname], parent, `CNAME at ${name}`) ?? parent;
  return dsDenial(env, parent, c, f.event.message.rcode, f.event.message.authorities);
}

/**
 * The state of `target`: the secure zone it is in (with that zone's trusted
 * keys), a proven insecure delegation above it, bogus, indeterminate (no
 * anchor above it), an error fetching the chain, or {@link PENDING}.
 * Negative trust anchors make it insecure at once (RFC 7646 §2).
 */
export function zoneStateOf(env: Env, target: Uint8Array[]): ZoneState | Pending {
  const nta = env.anchors.negativeFor(target);
  if (nta !== undefined) return { kind: 'insecure', code: undefined, reason: `negative trust anchor ${nta} (RFC 7646)`, proof: [], expires: Infinity, validUntil: Infinity };
  const anchor = env.anchors.closest(target);
  if (anchor === undefined) return { kind: 'indeterminate', reason: `no trust anchor above ${nameOf(target)} (RFC 4035 §4.3)` };
  let state = anchorState(env, anchor);
  let cuts = 0;
  for (let n = anchor.labels.length + 1; n <= target.length && state !== PENDING && state.kind === 'secure'; n++) {
    const c = suffix(target, n);
    const key = nameOf(c);
    const before: Secure = state;
    const cached = env.cache.get(key, env.t, env.ctx.unixNow);
    state = cached ?? dsStep(env, state, c);
    if (state === PENDING) return PENDING;
    if (cached === undefined) env.cache.set(key, state);
    if (state.kind === 'secure' && state !== before && ++cuts > env.ctx.budget.limits.maxChainDepth) {
      return bogus(EDE.dnssecBogus, `more than ${env.ctx.budget.limits.maxChainDepth} zone cuts below the anchor (option maxChainDepth)`);
    }
  }
  return state;
}
