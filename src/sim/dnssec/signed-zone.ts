/**
 * A signed zone for the simulator's `ZoneServer` (RFC 4035 §2, §3.1): keys
 * made from a seeded PRNG (a KSK and a ZSK), DNSKEY, DS for signed children,
 * an NSEC chain (RFC 4034 §4), and every authoritative RRset signed once at
 * construction. With the DO bit (RFC 3225), answers carry their RRSIGs and
 * negative answers, wildcard expansions and referrals their proofs
 * (RFC 4035 §3.1.1-§3.1.4). On request it breaks itself (`breaks`), so
 * tests can see a validator refuse it.
 */
import type { DnsRecord } from '../../core/codec/types.js';
import { parseName } from '../../core/codec/index.js';
import { canonicalLabels, compareNames, isBelowOrAt, nameOf, nameWire, wildcardOf } from '../../core/dnssec/names.js';
import { concatBytes } from '../../core/dnssec/bytes.js';
import type { Prng } from '../prng.js';
import { Zone, nameKey, type LookupResult, type ZoneRecord } from '../zone.js';
import { typeBitmap } from './bitmap.js';
import { dnskeyRecord, dsRecord, makeKey, type SimAlgorithm, type SimKey } from './keys.js';
import { signRRset, type RrsigRecord, type Validity } from './sign.js';
import { keyTag } from '../../core/dnssec/key-tag.js';

/**
 * Ways a signed zone can be broken (RFC 4035 §5 failure modes):
 * - `expired` / `not-yet-valid`: answer RRSIGs outside their validity window;
 * - `wrong-key`: answer RRSIGs made by a key that is not in the DNSKEY RRset;
 * - `missing-rrsig`: answers without RRSIGs;
 * - `bad-nsec`: denials carry a validly signed NSEC that proves nothing (the apex's);
 * - `downgrade`: answer RRSIGs relabelled as algorithm 3 (DSA), which validators do not support.
 */
export type Break = 'expired' | 'not-yet-valid' | 'wrong-key' | 'missing-rrsig' | 'bad-nsec' | 'downgrade';

/** Options of {@link SignedZone}. */
export interface SignedZoneOptions {
  readonly origin: string;
  readonly records: readonly ZoneRecord[];
  /** Default TTL (3600). */
  readonly ttl?: number;
  /** Signing algorithm (default 13, ECDSA P-256). */
  readonly algorithm?: SimAlgorithm;
  /** Draws the keys: same seed, same keys and signatures. */
  readonly prng: Prng;
  /** Validity of every signature, UNIX seconds. */
  readonly validity: Validity;
  /** Signed child zones: their DS records go in this zone (RFC 4035 §2.4). */
  readonly children?: readonly SignedZone[];
  /**
   * A KeyTrap zone (CVE-2023-50387): `keys` extra DNSKEYs whose tag and
   * algorithm collide with the ZSK's (signed into the DNSKEY RRset), and
   * `signatures` bogus RRSIGs naming that tag before the good one on every answer.
   */
  readonly keyTrap?: { readonly keys: number; readonly signatures: number };
}

const NSEC_TTL = 3600;
const DS = 43;
const SKIP_SIGN = new Set(['RRSIG']);

/** A zone that signs itself. */
export class SignedZone extends Zone {
  readonly ksk: SimKey;
  readonly zsk: SimKey;
  /** Breaks in force; change at any time. */
  readonly breaks = new Set<Break>();
  private readonly validity: Validity;
  private readonly rogue: SimKey;
  /** RRsets by `owner/type` (owner lower-case), the NSEC owners in canonical order. */
  private readonly rrsets = new Map<string, DnsRecord[]>();
  private readonly sigs = new Map<string, RrsigRecord>();
  private readonly nsecs: DnsRecord[] = [];
  private readonly cuts = new Set<string>();
  private readonly trapSignatures: number;

  constructor(o: SignedZoneOptions) {
    const ttl = o.ttl ?? 3600;
    const alg = o.algorithm ?? 13;
    const ksk = makeKey(o.origin, alg, 257, o.prng);
    const zsk = makeKey(o.origin, alg, 256, o.prng);
    const extra: ZoneRecord[] = [dnskeyRecord(ksk, ttl), dnskeyRecord(zsk, ttl), ...collidingKeys(zsk, o.keyTrap?.keys ?? 0, o.prng, ttl)];
    for (const c of o.children ?? []) extra.push(dsRecord(c.ksk, ttl));
    const all = [...o.records, ...extra];
    const nsecs = nsecChain(o.origin, all, ttl);
    super(o.origin, [...all, ...nsecs], ttl);
    this.ksk = ksk;
    this.zsk = zsk;
    this.validity = o.validity;
    this.trapSignatures = o.keyTrap?.signatures ?? 0;
    this.rogue = makeKey(o.origin, alg, 256, o.prng);
    this.nsecs = nsecs.map((r) => ({ name: parseName(r.name).name, type: 'NSEC', class: 1, ttl: NSEC_TTL, data: r.data }) as DnsRecord);
    for (const r of [...all, ...nsecs]) {
      const rec = { name: parseName(r.name).name, type: r.type, class: r.class ?? 1, ttl: r.ttl ?? ttl, data: r.data } as DnsRecord;
      const key = `${nameKey(r.name)}/${r.type}`;
      const list = this.rrsets.get(key);
      if (list === undefined) this.rrsets.set(key, [rec]);
      else list.push(rec);
      if (r.type === 'NS' && nameKey(r.name) !== this.origin) this.cuts.add(nameKey(r.name));
    }
    for (const [key, set] of this.rrsets) {
      const [owner, type] = key.split('/') as [string, string];
      if (SKIP_SIGN.has(type) || (this.cuts.has(owner) && type !== 'DS' && type !== 'NSEC') || this.belowCut(owner)) continue;
      this.sigs.set(key, signRRset(set, type === 'DNSKEY' ? ksk : zsk, this.origin, this.validity));
    }
  }

  /** The DS record of this zone's KSK, for a trust anchor or a parent (RFC 4034 §5). */
  ds(ttl = 3600): DnsRecord {
    return dsRecord(this.ksk, ttl);
  }

  private belowCut(owner: string): boolean {
    for (const c of this.cuts) if (owner !== c && isBelowOrAt(canonicalLabels(owner), canonicalLabels(c))) return true;
    return false;
  }

  override lookup(qname: string, qtype: number, typeName: string, dnssecOk = false): LookupResult {
    const r = qtype === DS && this.cuts.has(nameKey(qname)) ? this.dsAtCut(qname) : super.lookup(qname, qtype, typeName);
    if (!dnssecOk) return r;
    const answers = this.signSection(r.answers, true);
    const authorities = this.signSection(r.authorities.filter((x) => x.type !== 'NSEC'), false);
    const out = { ...r, answers, authorities };
    const sname = finalName(r.answers, qname);
    if (!r.aa) this.referralProof(out, r.authorities);
    else if (this.contains(sname) && (r.rcode === 3 || !r.answers.some((a) => nameKey(a.name) === nameKey(sname) && a.type === typeName))) this.denial(out, sname, r.rcode === 3);
    else this.wildcardProof(out, r.answers);
    return out;
  }

  /** DS at a delegation point is the parent's own data (RFC 4035 §3.1.4.1): the DS RRset, or NODATA. */
  private dsAtCut(qname: string): LookupResult {
    const ds = this.rrsets.get(`${nameKey(qname)}/DS`) ?? [];
    const soa = this.soa() as DnsRecord & { type: 'SOA' };
    const authorities = ds.length > 0 ? [] : [{ ...soa, ttl: Math.min(soa.ttl, soa.data.minimum) }];
    return { rcode: 0, aa: true, answers: ds.map((r) => ({ ...r, name: qname }) as DnsRecord), authorities, additionals: [] };
  }

  /** RRSIGs for each RRset of `records` (answers get the breaks; NS at a referral is not signed). */
  private signSection(records: readonly DnsRecord[], answer: boolean): DnsRecord[] {
    const out: DnsRecord[] = [];
    const done = new Set<string>();
    for (const rec of records) {
      out.push(rec);
      const key = `${nameKey(rec.name)}/${rec.type}`;
      if (done.has(key)) continue;
      done.add(key);
      const sig = this.sigFor(rec, records.filter((x) => nameKey(x.name) === nameKey(rec.name) && x.type === rec.type), answer);
      if (sig === undefined) continue;
      if (answer && sig.type === 'RRSIG') for (let i = 0; i < this.trapSignatures; i++) out.push({ ...sig, data: Uint8Array.from(sig.data, (b, j) => (j === sig.data.length - 1 ? b ^ (i + 1) : b)) });
      out.push(sig);
    }
    return out;
  }

  private sigFor(rec: DnsRecord, set: readonly DnsRecord[], answer: boolean): DnsRecord | undefined {
    const exact = this.sigs.get(`${nameKey(rec.name)}/${rec.type}`);
    const sig = exact ?? this.wildcardSig(rec);
    if (sig === undefined) return undefined;
    if (!answer || this.breaks.size === 0) return { ...sig, name: rec.name };
    if (this.breaks.has('missing-rrsig')) return undefined;
    const v = this.validity;
    const span = v.expiration - v.inception;
    const source = exact === undefined ? this.wildcardSource(rec) as DnsRecord[] : set;
    if (this.breaks.has('expired')) return { ...signRRset(source, this.zsk, this.origin, { inception: v.inception - span, expiration: v.inception - 1 }), name: rec.name };
    if (this.breaks.has('not-yet-valid')) return { ...signRRset(source, this.zsk, this.origin, { inception: v.expiration + 1, expiration: v.expiration + span }), name: rec.name };
    if (this.breaks.has('wrong-key')) return { ...signRRset(source, this.rogue, this.origin, v), name: rec.name };
    if (this.breaks.has('downgrade')) return { ...sig, name: rec.name, data: Uint8Array.from(sig.data, (b, i) => (i === 2 ? 3 : b)) };
    return { ...sig, name: rec.name };
  }

  /** The wildcard RRset an answer record was expanded from, if it was. */
  private wildcardSource(rec: DnsRecord): DnsRecord[] | undefined {
    const labels = canonicalLabels(rec.name);
    for (let n = labels.length - 1; n >= canonicalLabels(this.origin).length; n--) {
      const set = this.rrsets.get(`${nameOf(wildcardOf(labels.slice(labels.length - n)))}/${rec.type}`);
      if (set !== undefined) return set;
    }
    return undefined;
  }

  private wildcardSig(rec: DnsRecord): RrsigRecord | undefined {
    const src = this.wildcardSource(rec);
    return src === undefined ? undefined : this.sigs.get(`${nameKey((src[0] as DnsRecord).name)}/${rec.type}`);
  }

  private withSig(nsec: DnsRecord): DnsRecord[] {
    return [nsec, this.sigs.get(`${nameKey(nsec.name)}/NSEC`) as DnsRecord];
  }

  /** The NSEC at `name`, or the one covering it (RFC 4034 §4.1.1). */
  private nsecFor(name: Uint8Array[]): DnsRecord {
    let best = this.nsecs[this.nsecs.length - 1] as DnsRecord;
    for (const n of this.nsecs) if (compareNames(canonicalLabels(n.name), name) <= 0) best = n;
    return best;
  }

  /** NXDOMAIN or NODATA proof for `sname` (RFC 4035 §3.1.3). */
  private denial(out: LookupResult, sname: string, nx: boolean): void {
    const name = canonicalLabels(sname);
    const add = (n: DnsRecord): void => {
      const proof = this.breaks.has('bad-nsec') ? this.nsecs[0] as DnsRecord : n;
      if (!out.authorities.some((x) => x.type === 'NSEC' && nameKey(x.name) === nameKey(proof.name))) out.authorities.push(...this.withSig(proof));
    };
    const own = this.nsecFor(name);
    add(own);
    if (nx || compareNames(canonicalLabels(own.name), name) !== 0) {
      const ce = this.closestEncloser(name);
      add(this.nsecFor(wildcardOf(ce)));
    }
  }

  /** The closest existing ancestor of `name` (RFC 4592 §3.3.1). */
  private closestEncloser(name: Uint8Array[]): Uint8Array[] {
    for (let n = name.length - 1; n > 0; n--) {
      const c = name.slice(name.length - n);
      if (this.hasName(c)) return c;
    }
    return canonicalLabels(this.origin);
  }

  private hasName(name: Uint8Array[]): boolean {
    return this.nsecs.some((n) => isBelowOrAt(canonicalLabels(n.name), name));
  }

  /** A wildcard answer: the NSEC covering the name (RFC 4035 §3.1.3.3). */
  private wildcardProof(out: LookupResult, answers: readonly DnsRecord[]): void {
    for (const a of answers) {
      if (this.sigs.has(`${nameKey(a.name)}/${a.type}`) || this.wildcardSource(a) === undefined) continue;
      const n = this.nsecFor(canonicalLabels(a.name));
      if (!out.authorities.some((x) => x === n)) out.authorities.push(...this.withSig(n));
    }
  }

  /** A referral: the DS RRset of a signed child, or the NSEC proving there is none (RFC 4035 §3.1.4). */
  private referralProof(out: LookupResult, authorities: readonly DnsRecord[]): void {
    const cut = authorities.find((x) => x.type === 'NS');
    if (cut === undefined) return;
    const ds = this.rrsets.get(`${nameKey(cut.name)}/DS`);
    if (ds !== undefined) out.authorities.push(...ds, this.sigs.get(`${nameKey(cut.name)}/DS`) as DnsRecord);
    else out.authorities.push(...this.withSig(this.nsecFor(canonicalLabels(cut.name))));
  }
}

/** The name a CNAME chain in `answers` from `qname` ends at. */
function finalName(answers: readonly DnsRecord[], qname: string): string {
  let name = qname;
  for (let i = 0; i < answers.length; i++) {
    const c = answers.find((a) => a.type === 'CNAME' && nameKey(a.name) === nameKey(name));
    if (c === undefined) break;
    name = c.data as string;
  }
  return name;
}

/** The NSEC chain of a zone (RFC 4034 §4.1): every owner with data, not below a cut, in canonical order. */
function nsecChain(origin: string, records: readonly ZoneRecord[], ttl: number): ZoneRecord[] {
  const types = new Map<string, Set<string>>();
  const cuts = records.filter((r) => r.type === 'NS' && nameKey(r.name) !== nameKey(origin)).map((r) => canonicalLabels(r.name));
  for (const r of records) {
    const labels = canonicalLabels(r.name);
    if (cuts.some((c) => labels.length > c.length && isBelowOrAt(labels, c))) continue;
    const key = nameOf(labels);
    const set = types.get(key) ?? new Set<string>();
    set.add(r.type);
    types.set(key, set);
  }
  const names = [...types.keys()].sort((a, b) => compareNames(canonicalLabels(a), canonicalLabels(b)));
  return names.map((n, i) => {
    const t = types.get(n) as Set<string>;
    const bits = typeBitmap([...t, 'NSEC', 'RRSIG']);
    return { name: n, type: 'NSEC' as const, ttl: Math.min(ttl, NSEC_TTL), data: concatBytes([nameWire(names[(i + 1) % names.length] as string), bits]) };
  });
}

/** `n` DNSKEYs (zone keys) with the tag and algorithm of `key` but other public keys (RFC 4034 Appendix B: the tag is a checksum, so collisions are cheap). */
function collidingKeys(key: SimKey, n: number, prng: Prng, ttl: number): DnsRecord[] {
  const out: DnsRecord[] = [];
  while (out.length < n) {
    const rdata = new Uint8Array(key.rdata.length);
    rdata.set(key.rdata.subarray(0, 4));
    prng.fill(rdata.subarray(4));
    for (let w = 0; w < 0x10000; w++) {
      rdata[rdata.length - 2] = w >> 8;
      rdata[rdata.length - 1] = w & 0xff;
      if (keyTag(rdata) === key.tag) {
        out.push({ name: key.owner, type: 'DNSKEY', class: 1, ttl, data: rdata });
        break;
      }
    }
  }
  return out;
}
