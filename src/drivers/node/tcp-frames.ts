/**
 * DNS messages out of a TCP byte stream: each is preceded by its length in
 * two bytes (RFC 1035 §4.2.2, RFC 7766 §8), and knowing when that framing
 * is lost.
 *
 * One bad length prefix (too long, too short, or bytes that are no prefix
 * at all) shifts every later frame: each one after it reads a piece of a
 * message as a length, so every later answer on the connection is lost
 * while the server answers correctly. A frame is accepted only if it is a
 * whole, well-formed response: at least a header, QR set, opcode QUERY, and
 * it walks cleanly with no bytes after its last record (the codec's
 * `walkMessage`). The header is checked as soon as its 12 bytes are in, so
 * a prefix claiming 60,000 bytes in front of a non-response is caught at
 * once rather than after 60,000 more bytes. Anything else means the stream
 * is out of step and the connection must go: nothing after it can be
 * trusted to start on a boundary.
 *
 * Chunks are kept in a list and joined once per frame, so a message
 * trickled in byte by byte costs linear time, not quadratic.
 *
 * The same framing carries DNS over TLS (RFC 7858 §3.3), and queries to a
 * server: a reader made with `responses: false` (the DoH bridge's DoT and
 * TCP side) checks only that each frame can hold a header, so a malformed
 * query still gets its FORMERR.
 */
import { walkMessage } from '../../core/codec/walk.js';
import { isResponse } from '../../core/response-match.js';

/** Splits a stream into DNS responses (or, with `responses: false`, messages); `push` says when the framing is lost. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private length = 0;

  constructor(private readonly responses = true) {}

  /**
   * Add a chunk of the stream and hand each whole message to `frame` (a copy
   * the receiver may keep). Returns false as soon as the stream is out of
   * step (see the top of this file); the reader must not be used again.
   */
  push(chunk: Buffer, frame: (message: Uint8Array) => void): boolean {
    this.chunks.push(chunk);
    this.length += chunk.length;
    for (;;) {
      if (this.length < 2) return true;
      const head = this.peek(Math.min(this.length, 14));
      const n = head.readUInt16BE(0);
      if (n < 12 || (this.responses && this.length >= 14 && !isResponse(head.subarray(2)))) return false;
      if (this.length < 2 + n) return true;
      const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.length);
      // A copy, so the core may keep the message without pinning the read buffer.
      const message = Uint8Array.prototype.slice.call(all, 2, 2 + n);
      if (this.responses && walkMessage(message) !== undefined) return false;
      const rest = all.subarray(2 + n);
      this.chunks = rest.length === 0 ? [] : [rest];
      this.length = rest.length;
      frame(message);
    }
  }

  /** A buffer starting with the first `n` bytes buffered (joining chunks only when the first is shorter). */
  private peek(n: number): Buffer {
    const first = this.chunks[0] as Buffer;
    if (first.length >= n) return first;
    const joined = Buffer.concat(this.chunks, this.length);
    this.chunks = [joined];
    return joined;
  }
}

/** `message` with its two-byte length in front (RFC 7766 §8). */
export function frame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(2 + message.length);
  out.writeUInt16BE(message.length, 0);
  out.set(message, 2);
  return out;
}
