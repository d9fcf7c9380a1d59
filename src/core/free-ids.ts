/**
 * The 16-bit message IDs of one slot (a server and transport) that no live
 * attempt holds, as a set with O(1) insert, remove, membership and uniform
 * pick (issue 13). The set is a permutation of the 65536 IDs in `ids`: the
 * first `count` are free, and `pos` maps each ID to its place. Removing
 * swaps an ID past the end of the free part, inserting swaps it back in, so
 * no operation walks anything and the arrays never grow.
 *
 * Nothing random happens here: a pick takes its random bits from the caller
 * (the core's injected source, ARCHITECTURE.md rule 6).
 */

/** The IDs of one slot that no live attempt holds. */
export class FreeIds {
  private readonly ids = new Uint16Array(65536);
  private readonly pos = new Uint16Array(65536);
  /** How many IDs are free: `ids[0, count)`. */
  count = 65536;

  constructor() {
    for (let i = 0; i < 65536; i++) {
      this.ids[i] = i;
      this.pos[i] = i;
    }
  }

  has(id: number): boolean {
    return (this.pos[id] as number) < this.count;
  }

  /** `id` is now held by a live attempt. No-op when it was not free. */
  remove(id: number): void {
    const p = this.pos[id] as number;
    if (p >= this.count) return;
    this.swap(p, --this.count);
  }

  /** No live attempt holds `id` any more. No-op when it was free. */
  add(id: number): void {
    const p = this.pos[id] as number;
    if (p < this.count) return;
    this.swap(p, this.count++);
  }

  /**
   * A free ID chosen uniformly from 32 random bits `hi * 65536 + lo`
   * (two 16-bit draws): `⌊bits × count / 2^32⌋` picks a place with a bias
   * below 2^-16 and no loop, so it costs the same however full the set is.
   * The set must not be empty.
   */
  pick(hi: number, lo: number): number {
    return this.ids[Math.floor(((hi * 65536 + lo) * this.count) / 4294967296)] as number;
  }

  private swap(i: number, j: number): void {
    const a = this.ids[i] as number;
    const b = this.ids[j] as number;
    this.ids[i] = b;
    this.ids[j] = a;
    this.pos[b] = i;
    this.pos[a] = j;
  }
}
