/**
 * The index that matches responses to DoH attempts, by the token of their
 * transmission (RFC 8484 §4.1: every DoH query carries ID 0, so the HTTP
 * exchange names the attempt), plus a bounded memory of recently finished
 * keys so a late reply counts as `late`, not `unmatched`. Attempts are keyed
 * by `-token`; attempts under one key form a doubly linked chain through
 * `Attempt.next`/`prev`, and unlinking never walks it.
 *
 * This is the whole index of a core built without the `udp` policy (the DoH
 * driver's); with it, {@link AttemptIndex} (`attempt-index.ts`) adds the
 * UDP and TCP keys (`slot * 65536 + id`) and their ID space, so a DoH bundle
 * leaves those out.
 */
import type { Attempt } from './query.js';

/** Live attempts by key, and the keys of recently finished ones. */
export class TokenIndex {
  private readonly doh = new Map<number, Attempt>();
  /** How many remembered keys equal each DoH key (negative). */
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
    return this.doh.get(key);
  }

  /** Make `a` the head of the chain of `key` (`undefined`: the chain is empty). */
  protected setHead(key: number, a: Attempt | undefined): void {
    if (a === undefined) this.doh.delete(key);
    else this.doh.set(key, a);
  }

  /** The first live attempt under `key` came (`live`) or the last one went. */
  protected keyLive(_key: number, _live: boolean): void {
    // DoH keys are tokens, never reused: nothing to track.
  }

  add(a: Attempt): void {
    const head = this.get(a.key);
    a.next = head;
    a.prev = undefined;
    if (head !== undefined) head.prev = a;
    else this.keyLive(a.key, true);
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
      else this.keyLive(a.key, false);
      this.count--;
    }
    a.next = undefined;
    a.prev = undefined;
    this.remember(a.key);
  }

  /** True when `key` belonged to an attempt that finished recently. */
  isRecent(key: number): boolean {
    return this.recentDoh.has(key);
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

  /** Count `key` once more (`1`) or once less (`-1`) among the remembered keys. */
  protected tally(key: number, delta: 1 | -1): void {
    const n = (this.recentDoh.get(key) ?? 0) + delta;
    if (n === 0) this.recentDoh.delete(key);
    else this.recentDoh.set(key, n);
  }
}
