/**
 * Authoritative zone data and lookup (RFC 1034 §4.3.2, the algorithm a
 * name server runs): exact matches, CNAME chains inside the zone, wildcards
 * (RFC 4592), NXDOMAIN vs NODATA with the SOA (RFC 2308 §2–3), empty
 * non-terminals, and referrals at zone cuts with glue (RFC 1034 §4.2.1).
 */
import { parseName } from '../core/codec/index.js';
import type { DnsRecord } from '../core/codec/types.js';

/** A record as the zone's author writes it: `ttl` defaults to the zone's, `class` to IN. */
export interface ZoneRecord {
  readonly name: string;
  readonly type: DnsRecord['type'];
  readonly ttl?: number;
  readonly class?: number;
  readonly data: unknown;
}

/** The outcome of a lookup, before it becomes a message. */
export interface LookupResult {
  /** 0 NOERROR (answer, NODATA or referral), 3 NXDOMAIN, 5 REFUSED (not authoritative). */
  readonly rcode: 0 | 3 | 5;
  /** Authoritative answer: false for a referral. */
  readonly aa: boolean;
  readonly answers: DnsRecord[];
  readonly authorities: DnsRecord[];
  readonly additionals: DnsRecord[];
}

const CNAME_HOPS = 8;
const ANY = 255;

/** A name's lookup key: ASCII lower case, no trailing dot, the root as `.`. */
export function nameKey(name: string): string {
  const canonical = parseName(name).name;
  return canonical.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function parentKey(key: string): string | undefined {
  if (key === '.') return undefined;
  let i = 0;
  while (i < key.length && key[i] !== '.') i += key[i] === '\\' ? 2 : 1;
  return i >= key.length ? '.' : key.slice(i + 1);
}

function isBelow(key: string, origin: string): boolean {
  return origin === '.' || key === origin || key.endsWith(`.${origin}`);
}

/** One zone: its apex, its SOA and its records by owner. */
export class Zone {
  readonly origin: string;
  private readonly nodes = new Map<string, DnsRecord[]>();
  private readonly exists = new Set<string>();

  /** Throws when the zone has no SOA at its apex or a record lies outside it. */
  constructor(origin: string, records: readonly ZoneRecord[], defaultTtl = 3600) {
    this.origin = nameKey(origin);
    for (const r of records) this.add(r, defaultTtl);
    if (this.soa() === undefined) throw new Error(`zone ${this.origin} has no SOA record at its apex`);
  }

  /** The zone's SOA record. */
  soa(): DnsRecord | undefined {
    return this.nodes.get(this.origin)?.find((r) => r.type === 'SOA');
  }

  /** True when `name` is at or below the apex. */
  contains(name: string): boolean {
    return isBelow(nameKey(name), this.origin);
  }

  /**
   * Answer `qname`/`qtype` (numeric type; `typeName` its name) from this zone.
   * `dnssecOk` is the query's DO bit (RFC 3225); a plain zone has nothing to
   * add for it, a signed one (`dnssec/signed-zone.ts`) adds RRSIGs and proofs.
   */
  lookup(qname: string, qtype: number, typeName: string, dnssecOk = false): LookupResult {
    void dnssecOk;
    const result: LookupResult = { rcode: 0, aa: true, answers: [], authorities: [], additionals: [] };
    let name = qname;
    for (let hop = 0; hop <= CNAME_HOPS; hop++) {
      const next = this.step(name, qtype, typeName, result);
      if (next === undefined || !this.contains(next)) return result;
      name = next;
    }
    return result;
  }

  /** One step of the lookup; returns a CNAME target to follow, if any. */
  private step(name: string, qtype: number, typeName: string, out: LookupResult): string | undefined {
    const key = nameKey(name);
    const cut = this.findCut(key);
    if (cut !== undefined) return this.refer(cut, out);
    const rrs = this.nodes.get(key) ?? this.wildcard(key);
    if (rrs === undefined) {
      if (!this.exists.has(key)) (out as { rcode: number }).rcode = 3;
      return this.negative(out);
    }
    const cname = rrs.find((r) => r.type === 'CNAME');
    if (cname !== undefined && typeName !== 'CNAME') {
      out.answers.push({ ...cname, name });
      return cname.data as string;
    }
    const match = rrs.filter((r) => r.type === typeName || (qtype === ANY && r.type !== 'CNAME'));
    if (match.length === 0) return this.negative(out);
    for (const r of match) out.answers.push({ ...r, name });
    return undefined;
  }

  /** NXDOMAIN or NODATA: the SOA in the authority section, its TTL min(SOA TTL, MINIMUM) (RFC 2308 §3). */
  private negative(out: LookupResult): undefined {
    const soa = this.soa();
    if (soa?.type === 'SOA') out.authorities.push({ ...soa, ttl: Math.min(soa.ttl, soa.data.minimum) });
    return undefined;
  }

  private refer(cut: string, out: LookupResult): undefined {
    (out as { aa: boolean }).aa = false;
    const ns = (this.nodes.get(cut) ?? []).filter((r) => r.type === 'NS');
    out.authorities.push(...ns);
    for (const r of ns) {
      const target = nameKey(r.data as string);
      for (const g of this.nodes.get(target) ?? []) if (g.type === 'A' || g.type === 'AAAA') out.additionals.push(g);
    }
    return undefined;
  }

  /** The highest name strictly below the apex, at or above `key`, that holds NS records. */
  private findCut(key: string): string | undefined {
    let cut: string | undefined;
    for (let k: string | undefined = key; k !== undefined && k !== this.origin; k = parentKey(k)) {
      if (this.nodes.get(k)?.some((r) => r.type === 'NS') === true) cut = k;
    }
    return cut;
  }

  /** Records of the wildcard at the closest encloser of `key`, if any (RFC 4592 §3.3.1). */
  private wildcard(key: string): DnsRecord[] | undefined {
    if (this.exists.has(key)) return undefined;
    for (let k = parentKey(key); k !== undefined && isBelow(k, this.origin); k = parentKey(k)) {
      if (this.exists.has(k)) return this.nodes.get(k === '.' ? '*' : `*.${k}`);
    }
    return undefined;
  }

  private add(r: ZoneRecord, defaultTtl: number): void {
    const key = nameKey(r.name);
    if (!isBelow(key, this.origin)) throw new Error(`record ${r.name} is outside zone ${this.origin}`);
    const record = { name: parseName(r.name).name, type: r.type, class: r.class ?? 1, ttl: r.ttl ?? defaultTtl, data: r.data } as DnsRecord;
    const list = this.nodes.get(key);
    if (list === undefined) this.nodes.set(key, [record]);
    else list.push(record);
    for (let k: string | undefined = key; k !== undefined && isBelow(k, this.origin); k = parentKey(k)) this.exists.add(k);
  }
}

/** The parent of `name` (`.` for a single label). */
export function parentName(name: string): string {
  return parentKey(nameKey(name)) ?? '.';
}

/** Of several zones, the one whose apex is the longest suffix of `name`. */
export function findZone(zones: readonly Zone[], name: string): Zone | undefined {
  let best: Zone | undefined;
  for (const z of zones) if (z.contains(name) && (best === undefined || z.origin.length > best.origin.length)) best = z;
  return best;
}
