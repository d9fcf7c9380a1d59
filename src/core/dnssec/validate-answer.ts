/**
 * Validating a response (RFC 4035 §5): every RRset on the answer's CNAME
 * chain is checked against the keys of its signer's zone, reached from a
 * trust anchor (`chain.ts`); a wildcard expansion needs the proof that the
 * name itself does not exist (RFC 4035 §5.3.4, RFC 5155 §8.8); a CNAME
 * synthesized from a DNAME is accepted through the signed DNAME
 * (RFC 6672 §5.3.1); an answer without the asked RRset needs an
 * authenticated denial (NXDOMAIN, NODATA, wildcard NODATA). An unsigned
 * RRset is insecure only when an insecure delegation above it is proven;
 * otherwise it is bogus. The worst part decides: bogus, then a failure to
 * fetch the chain, then indeterminate, insecure, secure.
 */
import type { DnsRecord } from '../codec/types.js';
import type { AnswerEvent, QueryQuestion } from '../types.js';
import { EDE } from './ede.js';
import { PENDING, type Env, type Pending } from './env.js';
import { canonicalLabels, compareNames, isBelowOrAt, nameOf, sigLabelCount } from './names.js';
import { nsecNodata, nsecNxdomain, nsecWildcardAnswer, type Proof } from './nsec.js';
import { Nsec3Set, nsec3Nodata, nsec3Nxdomain, nsec3WildcardAnswer } from './nsec3.js';
import { readNsec, readNsec3, type Nsec, type Nsec3, type Rrsig } from './records.js';
import { withSigs, type RRset } from './rrset.js';
import { verifyRRset } from './verify-rrset.js';
import { zoneStateOf } from './chain.js';
import type { SecurityStatus, ZoneState } from './zone-state.js';
import { algorithmName } from './algorithms.js';
import { typeToName } from '../codec/rr-types.js';

const CNAME = 5;
const DNAME = 39;
const NSEC = 47;
const NSEC3 = 50;
const ANY = 255;

/** The verdict on a response. */
export interface Verdict {
  readonly status: SecurityStatus;
  /** RFC 8914 INFO-CODE for bogus and some insecure verdicts. */
  readonly code: number | undefined;
  /** Which RRset, signature, key and rule decided. */
  readonly reason: string;
  /** When fetching the chain failed: the fetch's error code. */
  readonly error: string | undefined;
  /** Records of the validation chain, anchor first (RFC 9102-style, getdns's dnssec_return_validation_chain). */
  readonly proof: DnsRecord[];
}

const ORDER: Readonly<Record<string, number>> = { secure: 0, insecure: 1, indeterminate: 2, error: 3, bogus: 4 };

function part(s: ZoneState, proof: DnsRecord[] = []): Verdict {
  switch (s.kind) {
    case 'secure': return { status: 'secure', code: undefined, reason: '', error: undefined, proof: [...s.proof, ...proof] };
    case 'insecure': return { status: 'insecure', code: s.code, reason: s.reason, error: undefined, proof: [...s.proof, ...proof] };
    case 'bogus': return { status: 'bogus', code: s.code, reason: s.reason, error: undefined, proof };
    case 'indeterminate': return { status: 'indeterminate', code: EDE.dnssecIndeterminate, reason: s.reason, error: undefined, proof };
    case 'error': return { status: 'indeterminate', code: EDE.noReachableAuthority, reason: s.reason, error: s.code, proof };
  }
}

function rank(v: Verdict): number {
  return ORDER[v.error !== undefined ? 'error' : v.status] as number;
}

function bogus(code: number, reason: string): Verdict {
  return { status: 'bogus', code, reason, error: undefined, proof: [] };
}

const setName = (s: RRset): string => `${s.name}/${typeToName(s.type)}`;

/** Verify NSEC/NSEC3 RRsets of `authorities` with the zone that signed them; the zone's state or a failure. */
function denialZone(env: Env, sets: readonly RRset[]): { state: ZoneState } | Verdict | Pending {
  const signer = ((sets[0] as RRset).sigs[0] as Rrsig).signer;
  const state = zoneStateOf(env, signer);
  if (state === PENDING) return PENDING;
  if (state.kind !== 'secure') return { state };
  for (const s of sets) {
    const v = verifyRRset(s, state.keys, state.zone, env.ctx);
    if (!v.ok) return bogus(v.code, `${setName(s)}: ${v.reason}`);
  }
  return { state };
}

function proofVerdict(p: Proof, state: Extract<ZoneState, { kind: 'secure' }>, proof: DnsRecord[], what: string): Verdict {
  if (!p.ok) return bogus(EDE.dnssecBogus, `${what}: ${p.reason}`);
  if (p.insecure !== undefined) return { status: 'insecure', code: undefined, reason: p.insecure, error: undefined, proof: [...state.proof, ...proof] };
  return { status: 'secure', code: undefined, reason: '', error: undefined, proof: [...state.proof, ...proof] };
}

type Prover = (nsecs: Nsec[], set3: Nsec3Set | undefined) => Proof;

/** Run a denial proof over the authority section for `owner`, in the zone that signed the NSEC/NSEC3 records. */
function denial(env: Env, owner: Uint8Array[], authorities: readonly DnsRecord[], what: string, prove: Prover): Verdict | Pending {
  // Only denials signed by a zone enclosing the name can speak about it; others are ignored.
  const sets = withSigs(authorities).filter((s) => (s.type === NSEC || s.type === NSEC3) && s.sigs.length > 0 && isBelowOrAt(owner, (s.sigs[0] as Rrsig).signer));
  if (sets.length === 0) {
    const state = zoneStateOf(env, owner);
    if (state === PENDING) return PENDING;
    return state.kind === 'secure' ? bogus(EDE.nsecMissing, `${what}: no signed NSEC or NSEC3 in the secure zone ${nameOf(state.zone)}`) : part(state);
  }
  const z = denialZone(env, sets);
  if (z === PENDING || !('state' in z)) return z;
  if (z.state.kind !== 'secure') return part(z.state);
  const records = sets.flatMap((s) => s.records);
  const proof = [...records, ...authorities.filter((r) => r.type === 'RRSIG')];
  const nsec3s = records.map(readNsec3).filter((r): r is Nsec3 => r !== undefined);
  const set3 = nsec3s.length > 0 ? new Nsec3Set(nsec3s, z.state.zone, env.ctx.budget) : undefined;
  if (set3?.tooCostly === true) {
    return { status: 'insecure', code: EDE.unsupportedNsec3Iterations, reason: `${what}: NSEC3 iterations above the bound (RFC 9276 §3.2)`, error: undefined, proof: [...z.state.proof, ...proof] };
  }
  const v = proofVerdict(prove(records.map(readNsec).filter((r): r is Nsec => r !== undefined), set3), z.state, proof, what);
  env.log(`${v.status}: ${what} by ${set3 === undefined ? 'NSEC' : 'NSEC3'} of ${nameOf(z.state.zone)}${v.reason === '' ? '' : ` (${v.reason})`}`);
  return v;
}

/** Check one RRset of the answer. */
function checkSet(env: Env, set: RRset, authorities: readonly DnsRecord[]): Verdict | Pending {
  if (set.sigs.length === 0) {
    const state = zoneStateOf(env, set.labels);
    if (state === PENDING) return PENDING;
    if (state.kind === 'secure') return bogus(EDE.rrsigsMissing, `${setName(set)}: no RRSIG, in the secure zone ${nameOf(state.zone)}`);
    return part(state);
  }
  const signer = (set.sigs[0] as NonNullable<RRset['sigs'][0]>).signer;
  const anchor = env.anchors.closest(set.labels);
  if (anchor !== undefined && !isBelowOrAt(signer, anchor.labels)) return bogus(EDE.dnssecBogus, `${setName(set)}: signer ${nameOf(signer)} is above the trust anchor ${anchor.name}`);
  if (!isBelowOrAt(set.labels, signer)) return bogus(EDE.dnssecBogus, `${setName(set)}: signer ${nameOf(signer)} does not enclose the owner`);
  const state = zoneStateOf(env, signer);
  if (state === PENDING) return PENDING;
  if (state.kind !== 'secure') return part(state);
  const v = verifyRRset(set, state.keys, state.zone, env.ctx);
  if (!v.ok) return bogus(v.code, `${setName(set)}: ${v.reason}`);
  env.log(`secure: ${setName(set)} RRSIG ${algorithmName(v.sig.algorithm)} key ${v.key.tag} of ${nameOf(state.zone)} (RFC 4035 §5.3)`);
  if (v.sig.labels >= sigLabelCount(set.labels)) return part(state);
  const labels = v.sig.labels;
  return denial(env, set.labels, authorities, `wildcard expansion of ${set.name}`, (nsecs, set3) => (set3 === undefined ? nsecWildcardAnswer(nsecs, set.labels, labels) : nsec3WildcardAnswer(set3, set.labels, labels)));
}

/** The DNAME RRset that synthesized CNAME `c` (RFC 6672 §2.2: owner below the DNAME, target with the suffix replaced). */
function dnameOf(dnames: readonly RRset[], c: RRset): RRset | undefined {
  const target = c.records[0]?.data as string;
  return dnames.find((d) => {
    const suffixTarget = canonicalLabels(d.records[0]?.data as string);
    const prefix = c.labels.slice(0, c.labels.length - d.labels.length);
    return c.labels.length > d.labels.length && isBelowOrAt(c.labels, d.labels) && compareNames([...prefix, ...suffixTarget], canonicalLabels(target)) === 0;
  });
}

/** Where the CNAME chain of `sets` from `qname` ends. */
function chainTarget(sets: readonly RRset[], qname: Uint8Array[]): Uint8Array[] {
  let name = qname;
  for (let i = 0; i <= sets.length; i++) {
    const c = sets.find((s) => s.type === CNAME && compareNames(s.labels, name) === 0);
    if (c === undefined) return name;
    name = canonicalLabels(c.records[0]?.data as string);
  }
  return name;
}

/**
 * The verdict on the answer `e` to `question`, or {@link PENDING} while
 * DNSKEY/DS responses are missing (`env.response` records them). `authorities`
 * are the records of the response's authority section (with the proofs kept
 * for answers from the cache).
 */
export function validateAnswer(env: Env, question: QueryQuestion, e: AnswerEvent, authorities: readonly DnsRecord[]): Verdict | Pending {
  const qname = canonicalLabels(question.name);
  const sets = withSigs(e.records);
  const dnames = withSigs(e.message.answers).filter((s) => s.type === DNAME);
  const parts: (Verdict | Pending)[] = [];
  for (const set of sets) {
    const d = set.type === CNAME && set.sigs.length === 0 ? dnameOf(dnames, set) : undefined;
    parts.push(checkSet(env, d ?? set, authorities));
  }
  const target = chainTarget(sets, qname);
  const complete = (question.type === ANY && sets.length > 0) || sets.some((s) => compareNames(s.labels, target) === 0 && (s.type === question.type || question.type === CNAME));
  // A CNAME chain the server did not follow (no SOA: it claims no denial) needs no proof: the records are all there is.
  const partial = target !== qname && e.message.rcode === 0 && !e.message.authorities.some((r) => r.type === 'SOA');
  if (!complete && !partial) {
    const rcode = e.message.rcode;
    const what = `${rcode === 3 ? 'NXDOMAIN' : 'NODATA'} ${nameOf(target)}/${question.typeName}`;
    parts.push(denial(env, target, authorities, what, (nsecs, set3) => {
      if (set3 !== undefined) return rcode === 3 ? nsec3Nxdomain(set3, target) : nsec3Nodata(set3, target, question.type);
      return rcode === 3 ? nsecNxdomain(nsecs, target) : nsecNodata(nsecs, target, question.type);
    }));
  }
  if (parts.includes(PENDING) && !parts.some((p) => p !== PENDING && p.status === 'bogus')) return PENDING;
  const done = parts.filter((p): p is Verdict => p !== PENDING);
  const worst = done.reduce((a, b) => (rank(b) > rank(a) ? b : a));
  return { ...worst, proof: worst.status === 'bogus' ? worst.proof : dedupe(done.flatMap((p) => p.proof)) };
}

function dedupe(records: readonly DnsRecord[]): DnsRecord[] {
  return [...new Set(records)];
}
