/**
 * A growable byte writer with name compression, for `encodeMessage`
 * (RFC 1035 §4.1.4). Compression reuses a suffix only when its bytes match
 * exactly (case included), so every name reads back as it was given.
 */

import { DnsError } from '../errors.js';

/** Largest message the writer produces (RFC 1035 §4.2.2). */
const MAX = 65535;

/** Bytes of a message under construction (RFC 1035 §4.1), at most 65535. */
export class Writer {
  private buf = new Uint8Array(512);
  /** Bytes written so far. */
  length = 0;
  private readonly suffixes = new Map<string, number>();

  private ensure(n: number): void {
    const want = this.length + n;
    if (want > MAX) throw new DnsError('EBADOPTION', `message longer than ${MAX} bytes`);
    if (want <= this.buf.length) return;
    const next = new Uint8Array(Math.min(MAX, Math.max(want, this.buf.length * 2)));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  /** Append one byte. */
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v;
  }

  /** Append a big-endian 16-bit number. */
  u16(v: number): void {
    this.ensure(2);
    this.buf[this.length++] = v >>> 8;
    this.buf[this.length++] = v & 0xff;
  }

  /** Append a big-endian 32-bit number. */
  u32(v: number): void {
    this.u16(Math.floor(v / 0x10000));
    this.u16(v % 0x10000);
  }

  /** Append bytes. */
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Overwrite the 16-bit number at `at`. */
  patch16(at: number, v: number): void {
    this.buf[at] = v >>> 8;
    this.buf[at + 1] = v & 0xff;
  }

  /**
   * Append a name. With `compress`, a suffix already written is replaced by
   * a pointer to it; every suffix written here can be a later target.
   */
  name(labels: readonly Uint8Array[], compress: boolean): void {
    const keys: string[] = new Array<string>(labels.length);
    let key = '';
    for (let i = labels.length - 1; i >= 0; i--) {
      const label = labels[i] as Uint8Array;
      key = String.fromCharCode(label.length, ...label) + key;
      keys[i] = key;
    }
    for (let i = 0; i < labels.length; i++) {
      const k = keys[i] as string;
      const at = this.suffixes.get(k);
      if (compress && at !== undefined) return this.u16(0xc000 | at);
      if (this.length < 0x4000 && at === undefined) this.suffixes.set(k, this.length);
      this.u8((labels[i] as Uint8Array).length);
      this.bytes(labels[i] as Uint8Array);
    }
    this.u8(0);
  }

  /** A copy of the bytes written. */
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
