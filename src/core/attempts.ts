/**
 * Queries, their attempts, and the index that matches responses to attempts
 * (RFC 5452 §9.1: peer, transport, ID and question).
 *
 * Every transmission is an attempt with its own ID, so an RTT sample is never
 * ambiguous (no Karn problem) and a late reply to an earlier attempt is still
 * a valid answer while the query lives. An attempt is keyed by
 * `slot * 65536 + id`, where the slot names server and transport; DoH
 * attempts carry ID 0 and are keyed by `-token`. Keys may collide (more than
 * 65536 queries to one server); colliding attempts form a chain and the
 * question decides.
 */
import type { QueryErrorCode } from './errors.js';
import type { ServerState } from './servers.js';
import type { Protocol } from './types.js';

export interface Attempt {
  /** The query this attempt serves; moves to a follower when its coalesced leader ends first. */
  query: Query;
  readonly server: ServerState;
  readonly transport: Protocol;
  readonly id: number;
  readonly key: number;
  readonly token: number;
  readonly sentAt: number;
  readonly edns: boolean;
  /** The question name as sent with 0x20 case bits; undefined without 0x20. */
  readonly caseName: string | undefined;
  /** The client cookie sent (RFC 7873); undefined without one. */
  readonly cookie: Uint8Array | undefined;
  /** Next attempt under the same key (the index's chain). */
  next: Attempt | undefined;
  /** Next live attempt of the same query. */
  nextLive: Attempt | undefined;
}

export interface Query {
  readonly handle: number;
  /** Slot in the query table: also the id of the query's timer. */
  readonly slot: number;
  /**
   * The query as first encoded (with OPT when EDNS is on); later attempts copy
   * it with a new ID, cut before the OPT record for an EDNS-less server.
   */
  readonly wire: Uint8Array;
  /** Offset where the question section ends in `wire`. */
  readonly questionEnd: number;
  /** The question as sent (name case preserved). */
  readonly name: string;
  readonly type: number;
  readonly class: number;
  readonly start: number;
  readonly deadline: number;
  /** Position in the plan of sends: server `(cursor % n)`, round `floor(cursor / n)`. */
  cursor: number;
  /** Servers that answered with a failure, for this query (allocated on the first failure). */
  failed: boolean[] | undefined;
  failedCount: number;
  /** Attempts that may still be answered: a list through `nextLive`, newest first. */
  live: Attempt | undefined;
  /** The attempt whose timer is running; undefined when none is. */
  current: Attempt | undefined;
  /** When the current attempt is given up on; undefined when no further send is planned. */
  giveUpAt: number | undefined;
  sent: number;
  lastError: QueryErrorCode | undefined;
  /** Cache and coalescing key of the question ('' with both off), and its DO (1) and CD (2) bits. */
  readonly key: string;
  readonly bits: number;
  /** True while attached to an identical query in flight (its leader, `leaders` in the resolver): it sends nothing. */
  follower: boolean;
  /** Queries attached to this one, in the order they joined. */
  followers: Query[] | undefined;
  /** Order of servers for this query (`selection.ts`); undefined for the configured order. */
  readonly order: readonly number[] | undefined;
  /** BADCOOKIE answers seen: one resend, then TCP (RFC 7873 §5.3). */
  badCookies: number;
}

/**
 * The live-attempt index plus a bounded memory of recently finished keys.
 * UDP and TCP keys index a direct table per slot (65536 chain heads, made on
 * first use), so a lookup is one array access whatever the number in flight;
 * DoH keys (negative) live in a map.
 */
export class AttemptIndex {
  private readonly tables: ((Attempt | undefined)[] | undefined)[] = [];
  private readonly doh = new Map<number, Attempt>();
  /** How many remembered keys equal each UDP/TCP key: a direct table per slot, like `tables`. */
  private readonly recentTables: (Uint32Array | undefined)[] = [];
  /** The same for DoH keys (negative). */
  private readonly recentDoh = new Map<number, number>();
  private readonly ring: Float64Array;
  private ringPos = 0;
  private ringFill = 0;
  private count = 0;

  constructor(recentLimit: number) {
    this.ring = new Float64Array(recentLimit);
  }

  has(key: number): boolean {
    return this.get(key) !== undefined;
  }

  /** The chain of live attempts under `key`. */
  get(key: number): Attempt | undefined {
    if (key < 0) return this.doh.get(key);
    return this.tables[key >>> 16]?.[key & 0xffff];
  }

  private setHead(key: number, a: Attempt | undefined): void {
    if (key < 0) {
      if (a === undefined) this.doh.delete(key);
      else this.doh.set(key, a);
      return;
    }
    const slot = key >>> 16;
    const table = (this.tables[slot] ??= new Array<Attempt | undefined>(65536).fill(undefined));
    table[key & 0xffff] = a;
  }

  add(a: Attempt): void {
    a.next = this.get(a.key);
    this.setHead(a.key, a);
    this.count++;
  }

  /** Unlink `a` and remember its key as recently finished. */
  retire(a: Attempt): void {
    let prev: Attempt | undefined;
    for (let cur = this.get(a.key); cur !== undefined; prev = cur, cur = cur.next) {
      if (cur !== a) continue;
      if (prev === undefined) this.setHead(a.key, a.next);
      else prev.next = a.next;
      this.count--;
      break;
    }
    a.next = undefined;
    this.remember(a.key);
  }

  /** True when `key` belonged to an attempt that finished recently. */
  isRecent(key: number): boolean {
    if (key < 0) return this.recentDoh.has(key);
    return (this.recentTables[key >>> 16]?.[key & 0xffff] ?? 0) > 0;
  }

  /** Attempts in the index. */
  get size(): number {
    return this.count;
  }

  /** Keys remembered as recently finished. */
  get recentSize(): number {
    return this.ringFill;
  }

  private remember(key: number): void {
    const cap = this.ring.length;
    if (cap === 0) return;
    if (this.ringFill === cap) this.tally(this.ring[this.ringPos] as number, -1);
    else this.ringFill++;
    this.ring[this.ringPos] = key;
    this.ringPos = this.ringPos + 1 === cap ? 0 : this.ringPos + 1;
    this.tally(key, 1);
  }

  private tally(key: number, delta: 1 | -1): void {
    if (key < 0) {
      const n = (this.recentDoh.get(key) ?? 0) + delta;
      if (n === 0) this.recentDoh.delete(key);
      else this.recentDoh.set(key, n);
      return;
    }
    const table = (this.recentTables[key >>> 16] ??= new Uint32Array(65536));
    table[key & 0xffff] = (table[key & 0xffff] as number) + delta;
  }
}
