/**
 * The answer cache: positive answers (RFC 1035 §7.4, RFC 2181 §5.2, §8),
 * negative answers (RFC 2308), brief memory of server failures (RFC 9520)
 * and stale data kept for serve-stale (RFC 8767). Times are the caller's
 * `now` (ms); TTLs are seconds, as on the wire.
 *
 * An entry is keyed by (name lower-cased, type, class, DO and CD bits). It
 * holds only on-chain records (see `cname.ts`): the CNAME chain and the final
 * RRset, or for a negative answer the chain and the SOA that scopes it.
 * Entries live for the smallest TTL among their records, clamped to
 * [`minTtl`, `maxTtl`]; a TTL of 0 is never cached. NXDOMAIN for the question
 * name itself is kept under a type-less key, so it answers every type of that
 * name (RFC 2308 §5). The cache is bounded by entries and by bytes (the wire
 * size of each entry's message, counted honestly with the encoder); the least
 * recently used entry goes first.
 *
 * An entry keeps a copy of the response it was made from, as received: its
 * length is what the bytes bound counts, and it is what a snapshot saves (a
 * restore decodes and checks it again, see `snapshot.ts`). The decoded
 * on-chain records are kept beside it so that a hit decodes nothing.
 */
import type { DnsRecord, Flags, Message, Question } from './codec/types.js';
import { NOERROR, NXDOMAIN, SERVFAIL } from './codec/rcode.js';
import type { QueryErrorCode } from './errors.js';
import type { Chain } from './cname.js';
import { isAtOrBelow, nameKey } from './cname.js';
import type { Endpoint } from './types.js';

/** Cache options with defaults filled in (see `ResolverOptions`). */
export interface CacheSettings {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly minTtl: number;
  readonly maxTtl: number;
  readonly negativeMaxTtl: number;
  readonly failureTtl: number;
  readonly serveStale: boolean;
  readonly maxStale: number;
  readonly staleTtl: number;
}

/** What an entry remembers. */
export type EntryKind = 'answer' | 'nodata' | 'nxdomain' | 'failure';

/** One cache entry. Records keep the TTLs they arrived with; hits count down from `expires`. */
export interface Entry {
  readonly key: string;
  readonly kind: EntryKind;
  /** The question as first asked, and the DO (1) and CD (2) bits of the query. */
  readonly question: Question;
  readonly bits: number;
  readonly rcode: number;
  readonly flags: Flags;
  readonly records: readonly DnsRecord[];
  readonly soa: DnsRecord | undefined;
  /** The server that answered; undefined for a failure. */
  readonly server: Endpoint | undefined;
  /** The error of a failure entry. */
  readonly code: QueryErrorCode | undefined;
  /** Absolute expiry on the caller's timeline (ms). */
  readonly expires: number;
  /** The response as received (empty for a failure). */
  readonly wire: Uint8Array;
  /** Bytes counted against `maxBytes`: the response's length, or the question's for a failure. */
  readonly size: number;
}

/** The three keys a question is looked up under. */
export interface Keys {
  readonly data: string;
  readonly nx: string;
  readonly fail: string;
}

/** Keys of a query when neither the cache nor coalescing is on: nothing is looked up or kept. */
export const NO_KEYS: Keys = { data: '', nx: '', fail: '' };

/** Keys of a question: (name lower-cased, type, class, DO/CD bits). */
export function keysOf(name: string, type: number, qclass: number, bits: number): Keys {
  const n = nameKey(name);
  const data = `${n}|${type}|${qclass}|${bits}`;
  return { data, nx: `${n}|*|${qclass}|${bits}`, fail: `!${data}` };
}

const NO_FLAGS: Flags = { qr: true, aa: false, tc: false, rd: true, ra: true, ad: false, cd: false };

/** The message a hit hands out: every record's TTL set to `ttl`, ID 0, AA and TC clear, no additionals. */
export function entryMessage(e: Entry, ttl: number, question: Question): Message {
  const rr = (r: DnsRecord): DnsRecord => ({ ...r, ttl }) as DnsRecord;
  return {
    id: 0, opcode: 0, rcode: e.rcode, flags: { ...e.flags, aa: false, tc: false }, questions: [question],
    answers: e.records.map(rr), authorities: e.soa === undefined ? [] : [rr(e.soa)], additionals: [], edns: undefined,
  };
}

/** Smallest TTL (s) among records. */
function minTtlOf(records: readonly DnsRecord[]): number {
  let ttl = Infinity;
  for (const r of records) ttl = Math.min(ttl, r.ttl);
  return ttl;
}

/** The SOA that scopes a negative answer for `target`: owner at or above it (RFC 2308 §3). */
function negativeSoa(authorities: readonly DnsRecord[], target: string, qclass: number): DnsRecord | undefined {
  return authorities.find((r) => r.type === 'SOA' && r.class === qclass && isAtOrBelow(target, r.name));
}

/** A failure entry: no records, counted as the question's size. */
export function failureEntry(key: string, question: Question, bits: number, code: QueryErrorCode, expires: number): Entry {
  return {
    key, kind: 'failure', question, bits, rcode: SERVFAIL, flags: NO_FLAGS, records: [], soa: undefined, server: undefined,
    code, expires, wire: EMPTY, size: 16 + question.name.length,
  };
}

const EMPTY = new Uint8Array(0);

/** Counters the cache keeps (folded into the resolver's stats). */
export interface CacheCounters {
  cacheEvictions: number;
}

/** A bounded LRU of answers, negative answers and failures. */
export class Cache {
  private readonly map = new Map<string, Entry>();
  private used = 0;

  constructor(readonly s: CacheSettings, private readonly counters: CacheCounters) {}

  /** Entries held (including expired ones kept for serve-stale). */
  get size(): number {
    return this.map.size;
  }

  /** Bytes held: the sum of the entries' wire sizes. */
  get bytes(): number {
    return this.used;
  }

  /** Every entry, least recently used first. */
  entries(): Entry[] {
    return [...this.map.values()];
  }

  /** Drop everything. */
  clear(): void {
    this.map.clear();
    this.used = 0;
  }

  /** A live entry for the question: data, then NXDOMAIN of the name, then a failure. Refreshes recency. */
  lookup(t: number, k: Keys): Entry | undefined {
    return this.fresh(t, k.data) ?? this.fresh(t, k.nx) ?? this.fresh(t, k.fail);
  }

  /** Expired data within `maxStale` (RFC 8767 §4), when serve-stale is on. */
  stale(t: number, k: Keys): Entry | undefined {
    if (!this.s.serveStale) return undefined;
    for (const key of [k.data, k.nx]) {
      const e = this.map.get(key);
      if (e !== undefined && e.expires + this.s.maxStale * 1000 > t) return this.touch(e);
    }
    return undefined;
  }

  /**
   * The entry an accepted answer (rcode NOERROR or NXDOMAIN, chain checked)
   * makes, or `undefined` when it is not cacheable. Positive: the smallest
   * TTL on the chain. Negative: min(SOA TTL, SOA MINIMUM) of an SOA at or
   * above the chain's end (RFC 2308 §5); without one, nothing. `wire` is
   * kept as given (copy it first if the caller may reuse the buffer).
   */
  entryOf(t: number, question: Question, bits: number, m: Message, chain: Chain & { ok: true }, server: Endpoint, wire: Uint8Array): Entry | undefined {
    const positive = m.rcode === NOERROR && chain.complete;
    const soa = positive ? undefined : negativeSoa(m.authorities, chain.target, question.class);
    if (!positive && soa === undefined) return undefined;
    const kind: EntryKind = positive ? 'answer' : m.rcode === NXDOMAIN ? 'nxdomain' : 'nodata';
    const raw = soa === undefined ? minTtlOf(chain.records) : Math.min(soa.ttl, (soa.data as { minimum: number }).minimum, minTtlOf(chain.records));
    const ttl = this.clamp(raw, positive ? this.s.maxTtl : this.s.negativeMaxTtl);
    if (ttl <= 0) return undefined;
    const k = keysOf(question.name, question.type, question.class, bits);
    const key = kind === 'nxdomain' && chain.records.length === 0 ? k.nx : k.data;
    return {
      key, kind, question, bits, rcode: m.rcode, flags: m.flags, records: chain.records, soa, server, code: undefined,
      expires: t + ttl * 1000, wire, size: wire.length,
    };
  }

  /** Remember an accepted answer, if it is cacheable (see {@link Cache.entryOf}); `wire` is copied. */
  storeAnswer(t: number, question: Question, bits: number, m: Message, chain: Chain & { ok: true }, server: Endpoint, wire: Uint8Array): void {
    const e = this.entryOf(t, question, bits, m, chain, server, wire);
    if (e !== undefined) this.insert({ ...e, wire: wire.slice() });
  }

  /** Remember that resolving the question failed with `code`, for `failureTtl` (RFC 9520 §3.2). */
  storeFailure(t: number, question: Question, bits: number, code: QueryErrorCode): void {
    if (this.s.failureTtl <= 0) return;
    const key = keysOf(question.name, question.type, question.class, bits).fail;
    this.insert(failureEntry(key, question, bits, code, t + this.s.failureTtl * 1000));
  }

  /** Put an entry in, replacing one under the same key, then evict down to the bounds. */
  insert(e: Entry): void {
    this.remove(e.key);
    if (e.size > this.s.maxBytes || this.s.maxEntries === 0) return;
    this.map.set(e.key, e);
    this.used += e.size;
    for (const old of this.map.values()) {
      if (this.map.size <= this.s.maxEntries && this.used <= this.s.maxBytes) break;
      this.remove(old.key);
      this.counters.cacheEvictions++;
    }
  }

  /** TTL in seconds after the clamps; 0 stays 0 (never cached). */
  private clamp(ttl: number, max: number): number {
    return ttl <= 0 ? 0 : Math.min(Math.max(ttl, this.s.minTtl), max);
  }

  private fresh(t: number, key: string): Entry | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    if (e.expires > t) return this.touch(e);
    if (!this.s.serveStale || e.kind === 'failure' || e.expires + this.s.maxStale * 1000 <= t) this.remove(key);
    return undefined;
  }

  private touch(e: Entry): Entry {
    this.map.delete(e.key);
    this.map.set(e.key, e);
    return e;
  }

  private remove(key: string): void {
    const old = this.map.get(key);
    if (old === undefined) return;
    this.map.delete(key);
    this.used -= old.size;
  }
}
