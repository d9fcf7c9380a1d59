/**
 * The bridge's answer cache at the wire level: the answer the bridge wrote
 * for a query, kept as bytes and served again to the same question without
 * decoding the query, asking the core or encoding anything.
 *
 * - Key: the query's header flags (RD, CD, AD as asked), whether it had an
 *   OPT record, its DO bit and whether it was padded (RFC 8467), and its
 *   question with the name lower-cased (RFC 4343). Only plain queries have a
 *   key: opcode QUERY, one question with an uncompressed name, no answer or
 *   authority records, at most an OPT record of version 0 whose options end
 *   where its data ends, nothing after it. Anything else takes the full path.
 * - A hit is the stored answer with the client's ID and question bytes (its
 *   case, RFC 8484 §4.2.1's "ID and question as asked"), and every TTL
 *   counted down by the whole seconds elapsed since the answer arrived (as
 *   the core counts: a TTL of T shown at t0 shows T − ⌊(t − t0)/1000⌋ at t).
 *   Flags (AA among them), records, EDNS and padding are as first written.
 * - An entry lives for the answer's freshness lifetime (its smallest TTL; a
 *   negative answer's SOA TTL capped by MINIMUM, RFC 2308 §5), capped by the
 *   core's `maxTtl` (positive) or `negativeMaxTtl` (negative), and each TTL
 *   is capped the same way; it is never served at or past that lifetime, so
 *   no TTL ever shows 0 or less. `minTtl` does not stretch it: past the
 *   records' own TTLs the core answers.
 * - Bounded by the core's `cacheMaxEntries` and `cacheMaxBytes`; the oldest
 *   stored goes first.
 */
import { u16 } from '../../core/codec/bytes.js';
import { checkName } from '../../core/codec/check-name.js';
import { OPT } from '../../core/codec/rr-types.js';
import { PADDING } from '../../core/codec/padding.js';

/** The bounds and TTL caps of the wire cache (the core's cache settings). */
export interface WireCacheSettings {
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** Cap of a positive answer's TTLs and lifetime, in seconds. */
  readonly maxTtl: number;
  /** Cap of a negative answer's TTLs and lifetime, in seconds. */
  readonly negativeMaxTtl: number;
}

/** A hit: the answer's bytes and its `Cache-Control` (RFC 8484 §5.1). */
export interface WireHit {
  readonly wire: Uint8Array;
  readonly cacheControl: string;
}

interface WireEntry {
  readonly key: string;
  readonly wire: Uint8Array;
  /** End of the question in `wire` (and in the query). */
  readonly questionEnd: number;
  /** Offsets of the TTL fields in `wire`, and the TTLs (capped) they show when stored. */
  readonly ttlAt: Uint32Array;
  readonly ttls: Uint32Array;
  /** When stored (ms, the cache's clock), and the lifetime in whole seconds. */
  readonly born: number;
  readonly life: number;
  /** The `Cache-Control` of the last whole second served, and that second. */
  age: number;
  cacheControl: string;
}

/** A parsed plain query: its key and where its question ends. */
interface QueryKey {
  key: string;
  questionEnd: number;
}

const MAX_KEY = 3 + 255 + 4;

/** Answers written by the bridge, served again by question, TTLs counted down. */
export class WireCache {
  private readonly map = new Map<string, WireEntry>();
  private bytes = 0;
  private readonly scratch = Buffer.alloc(MAX_KEY);
  private readonly parsed: QueryKey = { key: '', questionEnd: 0 };

  constructor(private readonly s: WireCacheSettings, private readonly now: () => number = () => performance.now()) {}

  /** Entries held (expired ones included until they are looked up or pushed out). */
  get size(): number {
    return this.map.size;
  }

  /** The stored answer to `query` with its ID and question, TTLs counted down; `undefined` when none is live. */
  lookup(query: Uint8Array): WireHit | undefined {
    const k = this.keyOf(query);
    if (k === undefined) return undefined;
    const e = this.map.get(k.key);
    if (e === undefined) return undefined;
    const age = Math.floor((this.now() - e.born) / 1000);
    if (age >= e.life || age < 0) {
      this.remove(e);
      return undefined;
    }
    const out = Buffer.allocUnsafe(e.wire.length);
    out.set(e.wire);
    out[0] = query[0] as number;
    out[1] = query[1] as number;
    for (let i = 12; i < k.questionEnd; i++) out[i] = query[i] as number;
    if (age > 0) {
      const { ttlAt, ttls } = e;
      for (let i = 0; i < ttlAt.length; i++) out.writeUInt32BE((ttls[i] as number) - age, ttlAt[i] as number);
    }
    if (e.age !== age) {
      e.age = age;
      e.cacheControl = `max-age=${e.life - age}`;
    }
    return { wire: out, cacheControl: e.cacheControl };
  }

  /**
   * Keep `answer`, written for `query`, for `maxAge` seconds (its freshness
   * lifetime, `responseMaxAge`), `negative` saying which TTL cap applies.
   * Nothing is kept for a query without a key, a lifetime of 0, or an
   * answer whose records cannot be walked.
   */
  store(query: Uint8Array, answer: Uint8Array, maxAge: number, negative: boolean): void {
    const k = this.keyOf(query);
    if (k === undefined) return;
    const cap = negative ? this.s.negativeMaxTtl : this.s.maxTtl;
    const life = Math.min(maxAge, cap);
    const size = answer.length + k.key.length;
    if (!(life > 0) || this.s.maxEntries === 0 || size > this.s.maxBytes || !sameBytes(query, answer, 12, k.questionEnd)) return;
    const at = ttlOffsets(answer, k.questionEnd);
    if (at === undefined) return;
    const ttls = new Uint32Array(at.length);
    const view = Buffer.from(answer.buffer, answer.byteOffset, answer.length);
    for (let i = 0; i < at.length; i++) ttls[i] = Math.min(view.readUInt32BE(at[i] as number), cap);
    const wire = Buffer.from(answer);
    for (let i = 0; i < at.length; i++) wire.writeUInt32BE(ttls[i] as number, at[i] as number);
    const old = this.map.get(k.key);
    if (old !== undefined) this.remove(old);
    const e: WireEntry = { key: k.key, wire, questionEnd: k.questionEnd, ttlAt: at, ttls, born: this.now(), life, age: 0, cacheControl: `max-age=${life}` };
    this.map.set(e.key, e);
    this.bytes += size;
    for (const first of this.map.values()) {
      if (this.map.size <= this.s.maxEntries && this.bytes <= this.s.maxBytes) break;
      this.remove(first);
    }
  }

  /** Forget everything. */
  clear(): void {
    this.map.clear();
    this.bytes = 0;
  }

  private remove(e: WireEntry): void {
    if (this.map.get(e.key) !== e) return;
    this.map.delete(e.key);
    this.bytes -= e.wire.length + e.key.length;
  }

  /** The key of a plain query (see the file's comment), or `undefined`. Reuses one result object. */
  private keyOf(q: Uint8Array): QueryKey | undefined {
    const n = q.length;
    if (n < 17 || ((q[2] as number) & 0xf8) !== 0 || u16(q, 4) !== 1 || u16(q, 6) !== 0 || u16(q, 8) !== 0) return undefined;
    const additional = u16(q, 10);
    if (additional > 1) return undefined;
    const k = this.scratch;
    k[0] = q[2] as number;
    k[1] = q[3] as number;
    let p = 12;
    let len = 3;
    for (;;) {
      if (p >= n) return undefined;
      const label = q[p] as number;
      if (label > 63 || p + label + 1 > n || p - 12 + label + 1 > 255) return undefined;
      k[len++] = label;
      for (let i = 1; i <= label; i++) {
        const c = q[p + i] as number;
        k[len++] = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
      }
      p += label + 1;
      if (label === 0) break;
    }
    if (p + 4 > n) return undefined;
    for (let i = 0; i < 4; i++) k[len++] = q[p + i] as number;
    const questionEnd = p + 4;
    const edns = additional === 0 ? (questionEnd === n ? 0 : -1) : optState(q, questionEnd);
    if (edns < 0) return undefined;
    k[2] = edns;
    this.parsed.key = k.toString('latin1', 0, len);
    this.parsed.questionEnd = questionEnd;
    return this.parsed;
  }
}

/**
 * The state of a query's OPT record at `p`, its last bytes: 1, plus 2 with
 * DO set, plus 4 when padded; -1 when it is no OPT record of version 0 whose
 * options fill its data exactly to the end of the message.
 */
function optState(q: Uint8Array, p: number): number {
  if (p + 11 > q.length || q[p] !== 0 || u16(q, p + 1) !== OPT || q[p + 6] !== 0) return -1;
  const end = p + 11 + u16(q, p + 9);
  if (end !== q.length) return -1;
  let state = 1 | (((q[p + 7] as number) & 0x80) !== 0 ? 2 : 0);
  let o = p + 11;
  while (o < end) {
    if (o + 4 > end) return -1;
    if (u16(q, o) === PADDING) state |= 4;
    o += 4 + u16(q, o + 2);
  }
  return o === end ? state : -1;
}

function sameBytes(a: Uint8Array, b: Uint8Array, from: number, to: number): boolean {
  if (b.length < to) return false;
  for (let i = from; i < to; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Offsets of the TTL fields of every record but OPT in a message whose question ends at `questionEnd`; `undefined` if it does not walk. */
export function ttlOffsets(b: Uint8Array, questionEnd: number): Uint32Array | undefined {
  if (b.length < 12 || u16(b, 4) !== 1) return undefined;
  const count = u16(b, 6) + u16(b, 8) + u16(b, 10);
  const at: number[] = [];
  let p = questionEnd;
  for (let i = 0; i < count; i++) {
    p = checkName(b, p, b.length, true);
    if (p < 0 || p + 10 > b.length) return undefined;
    if (u16(b, p) !== OPT) at.push(p + 4);
    p += 10 + u16(b, p + 8);
  }
  return p === b.length ? Uint32Array.from(at) : undefined;
}
