/**
 * One DNS-over-TLS connection to one server (RFC 7858): messages framed as
 * over TCP (§3.3), many queries pipelined on it and answers taken in any
 * order (§3.4, RFC 7766 §6.2.1.1; the core matches them by ID and question),
 * kept open between queries and closed after an idle time (RFC 7766 §6.2.3).
 *
 * - Nothing is written before the handshake is done and the server
 *   authenticated (`secure-auth.ts`): writes wait in a queue until then.
 * - Errors end the connection. Its owner stops handing it out first, then
 *   each outstanding transmission fails with what failed (TLS, pins, ALPN,
 *   framing, a reset), so the core moves on to the next server. A query
 *   written to a connection the server closed after answering on it (an
 *   idle close racing our write) is written again once on a fresh one
 *   instead (RFC 7766 §6.2.3 lets a server close idle connections).
 * - A frame that cannot be a response (`tcp-frames.ts`) ends the connection
 *   at once with `framing`.
 */
import tls from 'node:tls';
import type { Endpoint, Transmit } from '../../core/types.js';
import { FrameReader, frame } from './tcp-frames.js';
import { chainMatchesPins, tlsConnectOptions, type SecureTransportOptions, type SessionCache } from './secure-auth.js';
import { ServerTransportError, socketFailure } from './server-error.js';

/** A DNS-over-TLS endpoint as the core hands it out. */
export type TlsEndpoint = Extract<Endpoint, { transport: 'tls' }>;

/** What a channel needs from whoever owns it. */
export interface TlsChannelOwner {
  /** A whole message arrived from `peer`. */
  deliver(data: Uint8Array, peer: TlsEndpoint): void;
  /** `t` failed on this channel for good. */
  fail(t: Transmit, failure: ServerTransportError): void;
  /** `t` was outstanding on a connection the server closed after serving it: send it again on a fresh one. */
  resend(t: Transmit): void;
  /** The channel is gone: stop handing it out. Called before any `fail` or `resend`. */
  release(ch: TlsChannel): void;
}

/** The server as a user writes it: `tls://192.0.2.1:853#dns.example`. */
export function tlsServerText(p: TlsEndpoint): string {
  const host = p.address.includes(':') ? `[${p.address}]` : p.address;
  return `tls://${host}:${p.port}${p.servername === undefined ? '' : `#${p.servername}`}`;
}

/** One pipelined DNS-over-TLS connection. */
export class TlsChannel {
  /** Transmissions written here and not yet finished, by query handle. */
  readonly outstanding = new Map<number, Transmit>();
  closed = false;
  private readonly socket: tls.TLSSocket;
  private readonly reader: FrameReader;
  private pending: Buffer[] | undefined = [];
  private failure: ServerTransportError | undefined;
  /** A session ticket that came before the server was authenticated (TLS 1.2), kept if it is. */
  private early: Buffer | undefined;
  /** Set once a message arrived: a close after that may be the server's idle close. */
  private answered = false;
  private readonly text: string;

  constructor(
    private readonly owner: TlsChannelOwner,
    readonly peer: TlsEndpoint,
    options: SecureTransportOptions,
    pins: readonly string[] | undefined,
    private readonly sessions: SessionCache,
    private readonly idle: number,
    /** Transmissions already resent once (never twice). */
    private readonly resent: WeakSet<Transmit>,
  ) {
    this.text = tlsServerText(peer);
    this.reader = new FrameReader();
    const key = this.text;
    const name = peer.servername ?? peer.address;
    const socket = tls.connect({
      ...tlsConnectOptions(options, name, pins, sessions.get(key)),
      host: peer.address, port: peer.port, ALPNProtocols: ['dot'],
    });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setTimeout(idle);
    socket.once('secureConnect', () => this.onSecure(pins));
    socket.on('session', (session: Buffer) => {
      if (this.pending === undefined) sessions.set(key, session);
      else this.early = session;
    });
    socket.on('timeout', () => {
      if (this.outstanding.size === 0) socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err: Error) => {
      this.failure ??= socketFailure(this.text, err);
    });
    socket.on('close', () => this.onClose());
    socket.unref();
  }

  /** Write one message (pipelined after whatever is outstanding). */
  write(t: Transmit, data: Uint8Array): void {
    this.outstanding.set(t.handle, t);
    const bytes = frame(data);
    if (this.pending === undefined) this.socket.write(bytes);
    else this.pending.push(bytes);
  }

  /** The query `handle` is finished: forget it, and restart the idle clock when nothing is left. */
  settle(handle: number): void {
    if (!this.outstanding.delete(handle) || this.outstanding.size > 0 || this.closed) return;
    this.socket.setTimeout(this.idle);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
  }

  private onSecure(pins: readonly string[] | undefined): void {
    if (pins !== undefined && !this.socket.isSessionReused() && !chainMatchesPins(this.socket.getPeerCertificate(true), pins)) {
      this.sessions.delete(this.text);
      this.failure = new ServerTransportError('ECONNREFUSED', 'pin', this.text, undefined,
        `${this.text}: TLS: no key of the certificate chain is in the pin set (RFC 7858 §4.2)`);
      this.socket.destroy();
      return;
    }
    if (this.early !== undefined) this.sessions.set(this.text, this.early);
    const queue = this.pending ?? [];
    this.pending = undefined;
    for (const bytes of queue) this.socket.write(bytes);
  }

  private readonly onMessage = (m: Uint8Array): void => {
    this.answered = true;
    this.owner.deliver(m, this.peer);
  };

  private onData(chunk: Buffer): void {
    if (this.reader.push(chunk, this.onMessage)) return;
    this.failure = new ServerTransportError('EBADRESP', 'framing', this.text, undefined,
      `${this.text}: a frame that is no DNS response: the stream lost its framing`);
    this.socket.destroy();
  }

  private onClose(): void {
    this.closed = true;
    this.owner.release(this);
    const list = [...this.outstanding.values()];
    this.outstanding.clear();
    const failure = this.failure ?? new ServerTransportError('ECONNRESET', 'closed', this.text, undefined,
      `${this.text}: the connection closed with ${list.length} ${list.length === 1 ? 'query' : 'queries'} outstanding`);
    const idleClose = this.failure === undefined && this.answered;
    for (const t of list) {
      if (idleClose && !this.resent.has(t)) {
        this.resent.add(t);
        this.owner.resend(t);
      } else {
        this.owner.fail(t, failure);
      }
    }
  }
}
