/**
 * The index that matches responses to attempts in flight (RFC 5452 §9.1:
 * peer, transport, ID and question), plus a bounded memory of recently
 * finished keys so a late reply counts as `late`, not `unmatched`.
 *
 * Every transmission is an attempt with its own ID, so an RTT sample is never
 * ambiguous (no Karn problem) and a late reply to an earlier attempt is still
 * a valid answer while the query lives. An attempt is keyed by
 * `slot * 65536 + id`, where the slot names server and transport; DoH
 * attempts carry ID 0 and are keyed by `-token`. Keys may collide (more than
 * 65536 queries to one server); colliding attempts form a chain through
 * `Attempt.next` and the question decides.
 */
import type { Attempt } from './query.js';

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
