/**
 * The bridge's DNS-over-TLS (RFC 7858) and DNS-over-TCP (RFC 7766) side:
 * length-framed messages on one connection, many queries in flight at
 * once, each answered as soon as it is ready (in any order, RFC 7766
 * §6.2.1.1), the client's ID kept.
 *
 * Bounded like the HTTP side: at most `maxPending` queries in flight per
 * connection (reading pauses at the cap and resumes as answers go out), a
 * frame that cannot be a message ends the connection, and so does a client
 * that leaves more than `MAX_UNREAD` bytes of answers unread. When the
 * connection closes, the queries still in flight are cancelled.
 */
import type net from 'node:net';
import { FrameReader, frame } from './tcp-frames.js';

/** Bytes of answers a client may leave unread before it is cut off. */
const MAX_UNREAD = 1 << 20;

/** One query's way back on a DNS stream. */
export interface StreamAnswer {
  /** Answered, or the connection is gone. */
  readonly done: boolean;
  /** Write the answer (framed); `cacheControl` is for HTTP and unused here. */
  dns(wire: Uint8Array, cacheControl?: string): void;
  /** Call `f` if the connection closes before the answer. */
  onGone(f: () => void): void;
}

/** Hooks of a DNS stream connection. */
export interface DnsStreamHooks {
  /** A query arrived. */
  message(data: Uint8Array, answer: StreamAnswer): void;
  /** A query starts or finishes being served (for the listener's idle clock). */
  begin(): void;
  finish(): void;
}

class Answer implements StreamAnswer {
  done = false;
  gone: (() => void) | undefined;
  constructor(private readonly conn: DnsStreamConn) {}

  dns(wire: Uint8Array): void {
    if (this.done) return;
    this.done = true;
    this.conn.sent(this, wire);
  }

  onGone(f: () => void): void {
    this.gone = f;
  }
}

/** One DNS-over-TLS or DNS-over-TCP client connection of the bridge. */
export class DnsStreamConn {
  private readonly inFlight = new Set<Answer>();
  private readonly reader: FrameReader;

  constructor(private readonly socket: net.Socket, private readonly maxPending: number, private readonly hooks: DnsStreamHooks) {
    this.reader = new FrameReader(false);
    socket.setNoDelay(true);
    const onMessage = (m: Uint8Array): void => this.onMessage(m);
    socket.on('data', (chunk: Buffer) => {
      if (!this.reader.push(chunk, onMessage)) socket.destroy();
    });
    socket.on('close', () => this.onClose());
  }

  /** Called by an answer: write it, and read again below the cap. */
  sent(a: Answer, wire: Uint8Array): void {
    if (!this.inFlight.delete(a)) return;
    this.hooks.finish();
    const s = this.socket;
    if (s.destroyed) return;
    s.write(frame(wire));
    if (s.writableLength > MAX_UNREAD) {
      s.destroy();
      return;
    }
    if (s.isPaused() && this.inFlight.size < this.maxPending) s.resume();
  }

  private onMessage(data: Uint8Array): void {
    if (this.socket.destroyed) return;
    const a = new Answer(this);
    this.inFlight.add(a);
    this.hooks.begin();
    if (this.inFlight.size >= this.maxPending) this.socket.pause();
    this.hooks.message(data, a);
  }

  private onClose(): void {
    const list = [...this.inFlight];
    this.inFlight.clear();
    for (const a of list) {
      a.done = true;
      this.hooks.finish();
      a.gone?.();
    }
  }
}
