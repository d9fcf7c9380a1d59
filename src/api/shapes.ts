/**
 * Results shaped exactly as Node's `dns.promises.Resolver` (c-ares) shapes
 * them, from the core's decoded messages. Names lose the root's dot (`.` is
 * `''`, as c-ares expands it) and are escaped as c-ares escapes them;
 * character strings are Latin-1, as Node reads them (`OneByteString`); IPv6
 * addresses are written as `inet_ntop` writes them (`node-text.ts`). The
 * record types are structurally @types/node's, so ours are assignable to
 * Node's.
 */
import type { DnsRecord, KnownTypeName, Message, RecordDataMap, SvcbData } from '../core/codec/types.js';
import { aresName, latin1String, ntop6 } from './node-text.js';

export interface RecordWithTtl { address: string; ttl: number }
export interface MxRecord { priority: number; exchange: string }
export interface SrvRecord { priority: number; weight: number; port: number; name: string }
export interface SoaRecord {
  nsname: string; hostmaster: string; serial: number; refresh: number; retry: number; expire: number; minttl: number;
}
export interface NaptrRecord { flags: string; service: string; regexp: string; replacement: string; order: number; preference: number }
/** A CAA record (RFC 8659) as Node gives it: `critical` (the flags byte) and the value under its tag. */
export interface CaaRecord {
  critical: number; issue?: string; issuewild?: string; iodef?: string; contactemail?: string; contactphone?: string;
}
export type AnyRecord =
  | (RecordWithTtl & { type: 'A' | 'AAAA' })
  | { type: 'CNAME' | 'NS' | 'PTR'; value: string }
  | (MxRecord & { type: 'MX' })
  | { type: 'TXT'; entries: string[] }
  | (SrvRecord & { type: 'SRV' })
  | (NaptrRecord & { type: 'NAPTR' })
  | (SoaRecord & { type: 'SOA' })
  | (CaaRecord & { type: 'CAA' });
/** An SVCB or HTTPS record (RFC 9460) with its TTL; param values raw. */
export interface SvcbRecord extends SvcbData { ttl: number }

export type Typed<K extends KnownTypeName> = Extract<DnsRecord, { type: K }>;

/** Node/c-ares form of a domain name: no trailing dot, the root as `''`, c-ares's escapes. */
export function nodeName(name: string): string {
  return name === '.' ? '' : aresName(name);
}

/** Latin-1 text of bytes (Node's `OneByteString`). */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i] as number);
  return s;
}

/**
 * The records of `type` among an answer's on-chain records
 * (`AnswerEvent.records`: the core walked the CNAME chain from the question
 * name, as c-ares does, within its `maxCnameChain` bound, and dropped
 * off-chain records), with the smallest TTL of the CNAMEs on the chain
 * (`Infinity` when none). One pass, no intermediate copies (the promise
 * resolver's hot path).
 */
export function ofType<K extends KnownTypeName>(records: readonly DnsRecord[], type: K): { records: Typed<K>[]; cnameTtl: number } {
  const out: Typed<K>[] = [];
  let cnameTtl = Infinity;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as DnsRecord;
    if (r.type === type) out.push(r as Typed<K>);
    else if (r.type === 'CNAME') cnameTtl = Math.min(cnameTtl, r.ttl);
  }
  return { records: out, cnameTtl };
}

/**
 * `resolve4`/`resolve6`'s result in one array of its exact length, straight
 * from the on-chain records, without `ofType`'s intermediate list (the
 * promise resolver's hot path, issue 13): one pass counts, one fills. With `ttl`,
 * each TTL is capped by the smallest TTL of the chain's CNAMEs, as c-ares does.
 */
export function addressesOf(records: readonly DnsRecord[], type: 'A' | 'AAAA', ttl: boolean): string[] | RecordWithTtl[] {
  let cap = Infinity;
  let n = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as DnsRecord;
    if (r.type === type) n++;
    else if (r.type === 'CNAME') cap = Math.min(cap, r.ttl);
  }
  // The result's exact length: a first push would give it room for 17 (issue 13).
  const out = new Array<string | RecordWithTtl>(n);
  n = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as DnsRecord;
    if (r.type !== type) continue;
    const a = address(r as Typed<'A'> | Typed<'AAAA'>);
    out[n++] = ttl ? { address: a, ttl: Math.min(r.ttl, cap) } : a;
  }
  return out as string[] | RecordWithTtl[];
}

/** An address as Node writes it: IPv4 as is, IPv6 as `inet_ntop`. */
const address = (r: Typed<'A'> | Typed<'AAAA'>): string => (r.type === 'A' ? r.data : ntop6(r.data));
const name = (r: Typed<'CNAME' | 'NS' | 'PTR'>): string => nodeName(r.data);

/**
 * One record as Node shapes it, by type, for every type but A and AAAA
 * (`addressesOf`): `resolve*` give a list of these (`resolveSoa` the first
 * one alone), `resolveAny` each one with its `type` (`shapeAny`).
 */
const SHAPE = {
  CNAME: name,
  NS: name,
  PTR: name,
  MX: ({ data: d }: Typed<'MX'>): MxRecord => ({ exchange: nodeName(d.exchange), priority: d.preference }),
  TXT: (r: Typed<'TXT'>): string[] => r.data.map(latin1),
  SRV: ({ data: d }: Typed<'SRV'>): SrvRecord => ({ name: nodeName(d.target), port: d.port, priority: d.priority, weight: d.weight }),
  NAPTR: ({ data: d }: Typed<'NAPTR'>): NaptrRecord => ({
    flags: latin1String(d.flags), service: latin1String(d.services), regexp: latin1String(d.regexp), replacement: nodeName(d.replacement),
    order: d.order, preference: d.preference,
  }),
  CAA: ({ data: d }: Typed<'CAA'>): CaaRecord => ({ critical: d.flags, [latin1String(d.tag)]: latin1String(d.value) }),
  SOA: ({ data: d }: Typed<'SOA'>): SoaRecord => ({
    nsname: nodeName(d.mname), hostmaster: nodeName(d.rname), serial: d.serial,
    refresh: d.refresh, retry: d.retry, expire: d.expire, minttl: d.minimum,
  }),
  SVCB: (r: Typed<'SVCB'>): SvcbRecord => ({ ...r.data, ttl: r.ttl }),
  HTTPS: (r: Typed<'HTTPS'>): SvcbRecord => ({ ...r.data, ttl: r.ttl }),
};

/** The types `shape` takes: every `resolve*` but `resolve4`/`resolve6`'s. */
export type ShapedType = keyof typeof SHAPE;
/** What `resolve*` of `K` resolves with: a list of shaped records, the SOA record alone. */
export type Shaped<K extends ShapedType> = K extends 'SOA' ? SoaRecord : ReturnType<(typeof SHAPE)[K]>[];

/** The result of `resolve*` of `type` from its records (at least one, of that type, on the chain). */
export function shape<K extends ShapedType>(type: K, records: readonly Typed<K>[]): Shaped<K> {
  const one = SHAPE[type] as (r: Typed<K>) => unknown;
  return (type === 'SOA' ? one(records[0] as Typed<K>) : records.map(one)) as Shaped<K>;
}

/** Order of record types in Node's `resolveAny` result (cares_wrap.cc `AnyTraits::Parse`). */
const ANY_ORDER = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'TXT', 'SRV', 'PTR', 'NAPTR', 'SOA', 'CAA'] as const;

/** One record of `resolveAny`: the name as `value`, TXT strings as `entries`, the other shapes with their fields; then `type`. */
function anyOne(r: Typed<(typeof ANY_ORDER)[number]>): AnyRecord {
  const type = r.type;
  if (type === 'A' || type === 'AAAA') return { address: address(r as Typed<'A' | 'AAAA'>), ttl: r.ttl, type } as AnyRecord;
  const shaped = (SHAPE[type] as (r: DnsRecord) => object | string)(r);
  if (typeof shaped === 'string') return { value: shaped, type } as AnyRecord;
  return (Array.isArray(shaped) ? { entries: shaped, type } : { ...shaped, type }) as AnyRecord;
}

/** Node's `resolveAny` result: the answer records of the types Node knows, grouped in Node's order. */
export function shapeAny(m: Message): AnyRecord[] {
  const out: AnyRecord[] = [];
  for (const type of ANY_ORDER) {
    for (const r of m.answers) if (r.type === type) out.push(anyOne(r as Typed<typeof type>));
  }
  return out;
}
