/**
 * The index that matches responses to attempts in flight (RFC 5452 §9.1:
 * peer, transport, ID and question), plus a bounded memory of recently
 * finished keys so a late reply counts as `late`, not `unmatched`: the DoH
 * index (`token-index.ts`) with the UDP and TCP keys and their ID space,
 * built by the `udp` policy (`policies.ts`).
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
import { TokenIndex } from './token-index.js';

/** The random 16-bit draws an ID takes (the core's `RandomPool`). */
export interface IdSource {
  u16(): number;
}

/**
 * The live-attempt index plus a bounded memory of recently finished keys.
 * UDP and TCP keys index a direct table per slot (65536 chain heads, made on
 * first use), so a lookup is one array access whatever the number in flight;
 * DoH keys (negative) live in a map (`TokenIndex`).
 */
export class AttemptIndex extends TokenIndex {
  private readonly tables: ((Attempt | undefined)[] | undefined)[] = [];
  /** The free IDs of each UDP/TCP slot, made on first use. */
  private readonly free: (FreeIds | undefined)[] = [];
  /** How many remembered keys equal each UDP/TCP key: a direct table per slot, like `tables`. */
  private readonly recentTables: (Uint32Array | undefined)[] = [];

  /** The chain of live attempts under `key`. */
  override get(key: number): Attempt | undefined {
    if (key < 0) return super.get(key);
    return this.tables[key >>> 16]?.[key & 0xffff];
  }

  protected override setHead(key: number, a: Attempt | undefined): void {
    if (key < 0) return super.setHead(key, a);
    const slot = key >>> 16;
    const table = (this.tables[slot] ??= new Array<Attempt | undefined>(65536).fill(undefined));
    table[key & 0xffff] = a;
  }

  /** A UDP/TCP ID leaves the free ones of its slot while a live attempt holds it. */
  protected override keyLive(key: number, live: boolean): void {
    if (key < 0) return;
    const free = this.freeOf(key >>> 16);
    if (live) free.remove(key & 0xffff);
    else free.add(key & 0xffff);
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

  /** True when `key` belonged to an attempt that finished recently. */
  override isRecent(key: number): boolean {
    if (key < 0) return super.isRecent(key);
    return (this.recentTables[key >>> 16]?.[key & 0xffff] ?? 0) > 0;
  }

  protected override tally(key: number, delta: 1 | -1): void {
    if (key < 0) return super.tally(key, delta);
    const table = (this.recentTables[key >>> 16] ??= new Uint32Array(65536));
    table[key & 0xffff] = (table[key & 0xffff] as number) + delta;
  }
}
