/**
 * The simulator's seeded pseudo-random generator: xoshiro128** 1.1
 * (Blackman and Vigna, 2018; https://prng.di.unimi.it/), a 128-bit state
 * seeded through SplitMix32 so that any 32-bit seed, including 0, gives a
 * well-mixed state. Small, fast and well known; not cryptographic.
 *
 * Every random choice of the simulator draws from a {@link Prng}, and
 * {@link Prng.fork} derives independent streams by label, so adding a draw in
 * one component never shifts the numbers another component sees.
 */

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a of a string: turns a fork label into 32 bits. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A seeded xoshiro128** generator. Same seed, same numbers, on every machine. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `seed` is any number; it is reduced to 32 bits. */
  constructor(readonly seed: number) {
    const next = splitmix32(seed);
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
  }

  /** The next 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c = (this.c ^ this.a) >>> 0;
    this.d = (this.d ^ this.b) >>> 0;
    this.b = (this.b ^ this.c) >>> 0;
    this.a = (this.a ^ this.d) >>> 0;
    this.c = (this.c ^ t) >>> 0;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A float in [0, 1) with 32 bits of randomness. */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** True with probability `p`. Draws nothing when `p` is 0 or 1, so a disabled feature costs no numbers. */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.next() < p;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A float in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Fill `bytes` with random bytes: usable as the resolver's `random` option. */
  fill(bytes: Uint8Array): Uint8Array {
    for (let i = 0; i < bytes.length; i += 4) {
      let v = this.nextU32();
      for (let j = i; j < i + 4 && j < bytes.length; j++) {
        bytes[j] = v & 0xff;
        v >>>= 8;
      }
    }
    return bytes;
  }

  /** The resolver's `random` option bound to this generator. */
  get random(): (bytes: Uint8Array) => Uint8Array {
    return (bytes) => this.fill(bytes);
  }

  /** An independent generator derived from this one's seed and `label` (does not advance this one). */
  fork(label: string): Prng {
    return new Prng((Math.imul(this.seed >>> 0, 0x9e3779b1) ^ fnv1a(label)) >>> 0);
  }
}
