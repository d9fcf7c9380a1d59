/**
 * Reading DNS messages off a byte stream: each one is preceded by its length
 * in two bytes (RFC 1035 §4.2.2, RFC 7766 §8; DNS over TLS uses the same
 * framing, RFC 7858 §3.3). Chunks may split or join messages anywhere.
 *
 * A frame too short to hold a DNS header (12 bytes) cannot be a message: the
 * stream has lost its framing (a desynchronised or hostile peer), and every
 * later length on it is noise. The reader then reports `desync` once and
 * reads nothing more, so its owner can close the connection and move the
 * queries on (issue 18: a stream that loses framing is replaced at once).
 * Memory is bounded by one message (65,537 bytes) per connection.
 */

/** Smallest DNS message: its header (RFC 1035 §4.1.1). */
const HEADER = 12;

/** What a {@link FrameReader} found in a chunk. */
export type FrameResult = 'ok' | 'desync';

/** Splits a stream into DNS messages. */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  private broken = false;

  /**
   * @param onMessage called once per whole message, with a copy the callee
   *   may keep (it does not pin the socket's read buffer).
   */
  constructor(private readonly onMessage: (message: Uint8Array) => void) {}

  /** Feed one chunk; `desync` once framing is lost (and for every chunk after). */
  push(chunk: Buffer): FrameResult {
    if (this.broken) return 'desync';
    let buf = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (buf.length >= 2) {
      const n = buf.readUInt16BE(0);
      if (n < HEADER) {
        this.broken = true;
        this.buffer = Buffer.alloc(0);
        return 'desync';
      }
      if (buf.length < 2 + n) break;
      const message = Uint8Array.prototype.slice.call(buf, 2, 2 + n);
      buf = buf.subarray(2 + n);
      this.onMessage(message);
    }
    this.buffer = buf;
    return 'ok';
  }

  /** True while part of a message is waiting for the rest. */
  get partial(): boolean {
    return this.buffer.length > 0;
  }
}

/** `message` with its two-byte length in front (RFC 7766 §8). */
export function frame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(2 + message.length);
  out.writeUInt16BE(message.length, 0);
  out.set(message, 2);
  return out;
}
