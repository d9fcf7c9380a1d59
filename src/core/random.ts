/**
 * The caller's random source, drawn in blocks. Every random choice of the core
 * goes through here, in a fixed order, so the same bytes give the same
 * transcript (ARCHITECTURE.md rules 6 and 10).
 */
import { DnsError } from './errors.js';

const BLOCK = 256;

export class RandomPool {
  private readonly fill: (bytes: Uint8Array) => unknown;
  private readonly buf = new Uint8Array(BLOCK);
  private pos = BLOCK;

  constructor(fill: unknown) {
    if (typeof fill !== 'function') {
      throw new DnsError('EBADOPTION', 'option random is required: a function that fills a Uint8Array (in a driver, the Web Crypto getRandomValues)');
    }
    this.fill = fill as (bytes: Uint8Array) => unknown;
  }

  /** A uniformly random 16-bit integer. */
  u16(): number {
    if (this.pos + 2 > BLOCK) {
      this.fill(this.buf);
      this.pos = 0;
    }
    const v = (this.buf[this.pos] as number) | ((this.buf[this.pos + 1] as number) << 8);
    this.pos += 2;
    return v;
  }

  /** `n` uniformly random bytes (cookie secrets), drawn from the same stream. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 2) {
      const v = this.u16();
      out[i] = v & 0xff;
      out[i + 1] = v >>> 8; // past the end for odd n: a typed array ignores it
    }
    return out;
  }
}
