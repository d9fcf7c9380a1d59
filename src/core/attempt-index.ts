/**
 * The index that matches responses to attempts in flight (RFC 5452 §9.1:
 * peer, transport, ID and question), plus a bounded memory of recently
 * finished keys so a late reply counts as `late`, not `unmatched`.
 *
 * Every transmission is an attempt with its own ID, so an RTT sample is never
 * ambiguous (no Karn problem) and a late reply to an earlier attempt is still
 * a valid answer while the query lives. An attempt is keyed by
 * `slot * 65536 + id`, where the slot names server and transport; DoH
 * attempts carry ID 0 and are keyed by `-token`.
 *
 * IDs are unique per slot while in flight (issue 13): {@link freshId} draws
 * an ID as before (a random 16-bit value, drawn again while a live attempt
 * holds it, up to 4 draws), and when the 4th draw is still taken it picks
 * uniformly among the free IDs of the slot (`free-ids.ts`) instead of
 * sharing a key, so the cost is bounded however full the space is. Only
 * with all 65536 IDs of a slot live (more queries in flight to one server)
 * do keys collide: colliding attempts form a doubly linked chain through
 * `Attempt.next`/`prev`, and the question decides. Unlinking never walks it.
 */
import { FreeIds } from './free-ids.js';
import type { Attempt } from './query.js';

/** The random 16-bit draws an ID takes (the core's `RandomPool`). */
export interface IdSource {
  u16(): number;
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
  /** The free IDs of each UDP/TCP slot, made on first use. */
  private readonly free: (FreeIds | undefined)[] = [];
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

  private freeOf(slot: number): FreeIds {
    return (this.free[slot] ??= new FreeIds());
  }

  /**
   * A message ID for a new attempt to `slot` (RFC 5452 §9.2), from `random`:
   * a draw no live attempt of the slot holds (the first of up to 4 draws,
   * the same draws as a plain redraw loop), else one picked uniformly among
   * the free IDs (two more draws), else, with every ID live, the first draw.
   * O(1) whatever the number in flight.
   */
  freshId(slot: number, random: IdSource): number {
    const free = this.freeOf(slot);
    const first = random.u16();
    if (free.has(first) || free.count === 0) return first;
    for (let tries = 1; tries < 4; tries++) {
      const id = random.u16();
      if (free.has(id)) return id;
    }
    return free.pick(random.u16(), random.u16());
  }

  add(a: Attempt): void {
    const head = this.get(a.key);
    a.next = head;
    a.prev = undefined;
    if (head !== undefined) head.prev = a;
    else if (a.key >= 0) this.freeOf(a.key >>> 16).remove(a.key & 0xffff);
    this.setHead(a.key, a);
    this.count++;
  }

  /** Unlink `a` (O(1): the chain is doubly linked) and remember its key as recently finished. */
  retire(a: Attempt): void {
    const { prev, next } = a;
    if (prev !== undefined) {
      prev.next = next;
      if (next !== undefined) next.prev = prev;
      this.count--;
    } else if (this.get(a.key) === a) {
      this.setHead(a.key, next);
      if (next !== undefined) next.prev = undefined;
      else if (a.key >= 0) this.freeOf(a.key >>> 16).add(a.key & 0xffff);
      this.count--;
    }
    a.next = undefined;
    a.prev = undefined;
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
