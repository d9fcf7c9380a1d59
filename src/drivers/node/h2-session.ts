/**
 * One HTTP/2 session to one DoH server (RFC 8484 over RFC 9113): every query
 * to that origin is a stream of this one session, many at once; answers
 * come back in any order, each on its stream, and are echoed to the core
 * with the transmit's token (DoH messages carry ID 0, RFC 8484 §4.1).
 *
 * - `https://`: a TLS connection offering ALPN `h2` only, authenticated
 *   before anything is written (`secure-auth.ts`); a server that does not
 *   select `h2` fails with `alpn`. `http://`: cleartext HTTP/2 with prior
 *   knowledge (h2c, RFC 9113 §3.3).
 * - Each query is a POST of `application/dns-message` (RFC 8484 §4.1). The
 *   response must be a 2xx with that content type and at most 65,535 bytes,
 *   or the transmission fails with `status`, `content-type` or `oversize`.
 * - GOAWAY (RFC 9113 §6.8): the session stops taking new streams at once
 *   (its owner opens a new one for the next query); streams the server
 *   refused (REFUSED_STREAM, or above the GOAWAY's last stream) are sent
 *   again once on the new session; the others finish where they are.
 * - The session closes after `idle` ms without an open stream. A query
 *   finished by the core (answer, deadline, cancel) cancels its streams.
 */
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import type { Transmit } from '../../core/types.js';
import { DNS_MESSAGE, isDnsMessageType } from '../../core/codec/doh.js';
import { chainMatchesPins, tlsConnectOptions, type SecureTransportOptions, type SessionCache } from './secure-auth.js';
import { ServerTransportError, socketFailure } from './server-error.js';

/** Largest DNS message, and so the largest DoH body accepted. */
const MAX_BODY = 65_535;
const { NGHTTP2_CANCEL, NGHTTP2_REFUSED_STREAM } = http2.constants;

/** What a session needs from whoever owns it. */
export interface H2SessionOwner {
  /** The DNS message answering `t`. */
  deliver(data: Uint8Array, t: Transmit): void;
  /** `t` failed on this session for good. */
  fail(t: Transmit, failure: ServerTransportError): void;
  /** `t` was refused by the server without being processed (GOAWAY, REFUSED_STREAM): send it again on a fresh session. */
  resend(t: Transmit): void;
  /** The session takes no new streams (GOAWAY, closed): stop handing it out. Called before any `fail` or `resend`. */
  release(s: H2Session): void;
}

interface Waiting { readonly t: Transmit; readonly data: Uint8Array; readonly path: string }

/** One multiplexed HTTP/2 session to a DoH origin. */
export class H2Session {
  closed = false;
  private session: http2.ClientHttp2Session | undefined;
  private queue: Waiting[] | undefined = [];
  private readonly exchanges = new Map<number, Set<StreamExchange>>();
  private open = 0;
  private failure: ServerTransportError | undefined;
  private readonly socket: net.Socket;

  constructor(
    private readonly owner: H2SessionOwner,
    /** `https://host:port` or `http://host:port`. */
    readonly origin: string,
    options: SecureTransportOptions,
    pins: readonly string[] | undefined,
    private readonly sessions: SessionCache,
    private readonly idle: number,
    private readonly resent: WeakSet<Transmit>,
  ) {
    const u = new URL(origin);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    const secure = u.protocol === 'https:';
    const port = Number(u.port || (secure ? 443 : 80));
    const socket = secure
      ? tls.connect({ ...tlsConnectOptions(options, host, pins, sessions.get(origin)), host, port, ALPNProtocols: ['h2'] })
      : net.connect({ host, port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setTimeout(idle, () => socket.destroy());
    socket.once(secure ? 'secureConnect' : 'connect', () => this.onConnect(secure, pins));
    if (secure) socket.on('session', (s: Buffer) => this.session !== undefined && sessions.set(origin, s));
    socket.on('error', (err: Error) => {
      this.failure ??= socketFailure(origin, err);
    });
    socket.on('close', () => this.onClose());
    socket.unref();
  }

  /** POST `data` to `path` for `t`, on a new stream (queued until the session is up). */
  request(t: Transmit, data: Uint8Array, path: string): void {
    if (this.queue !== undefined) this.queue.push({ t, data, path });
    else this.stream({ t, data, path });
  }

  /** The query `handle` is finished: cancel what is left of it. */
  cancel(handle: number): void {
    if (this.queue !== undefined) this.queue = this.queue.filter((w) => w.t.handle !== handle);
    const set = this.exchanges.get(handle);
    if (set === undefined) return;
    this.exchanges.delete(handle);
    for (const x of set) x.cancel();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.session?.destroy();
    this.socket.destroy();
  }

  private onConnect(secure: boolean, pins: readonly string[] | undefined): void {
    const socket = this.socket as tls.TLSSocket;
    if (secure && socket.alpnProtocol !== 'h2') {
      return this.abort('alpn', `${this.origin}: ALPN: the server did not select h2 (got ${JSON.stringify(socket.alpnProtocol)}); DoH here needs HTTP/2`);
    }
    if (secure && pins !== undefined && !socket.isSessionReused() && !chainMatchesPins(socket.getPeerCertificate(true), pins)) {
      this.sessions.delete(this.origin);
      return this.abort('pin', `${this.origin}: TLS: no key of the certificate chain is in the pin set (RFC 7858 §4.2)`);
    }
    socket.setTimeout(0);
    const session = http2.connect(this.origin, { createConnection: () => this.socket });
    this.session = session;
    session.on('error', (err: Error) => {
      this.failure ??= socketFailure(this.origin, err);
    });
    session.on('goaway', () => this.owner.release(this));
    session.on('close', () => this.socket.destroy());
    session.setTimeout(this.idle, () => {
      if (this.open === 0) session.close();
    });
    session.unref();
    const queue = this.queue ?? [];
    this.queue = undefined;
    for (const w of queue) this.stream(w);
  }

  private abort(reason: 'alpn' | 'pin', message: string): void {
    this.failure = new ServerTransportError('ECONNREFUSED', reason, this.origin, undefined, message);
    this.socket.destroy();
  }

  private stream(w: Waiting): void {
    let stream: http2.ClientHttp2Stream;
    try {
      stream = (this.session as http2.ClientHttp2Session).request({
        ':method': 'POST', ':path': w.path, 'content-type': DNS_MESSAGE, accept: DNS_MESSAGE, 'content-length': w.data.length,
      });
    } catch {
      // The session went away between GOAWAY and now: a fresh one takes it.
      queueMicrotask(() => this.refused(w.t));
      return;
    }
    const x = new StreamExchange(this, stream, w.t);
    let set = this.exchanges.get(w.t.handle);
    if (set === undefined) this.exchanges.set(w.t.handle, (set = new Set()));
    set.add(x);
    this.open++;
    x.start(w.data);
  }

  /** Called by an exchange when its stream closed. */
  streamClosed(x: StreamExchange, t: Transmit): void {
    this.open--;
    const set = this.exchanges.get(t.handle);
    if (set !== undefined && set.delete(x) && set.size === 0) this.exchanges.delete(t.handle);
  }

  deliver(data: Uint8Array, t: Transmit): void {
    this.owner.deliver(data, t);
  }

  fail(t: Transmit, reason: ServerTransportError['reason'], status: number | undefined, detail: string): void {
    const own = new ServerTransportError(reason === 'closed' ? 'ECONNRESET' : 'EBADRESP', reason, this.origin, status, `${this.origin}: ${detail}`);
    this.owner.fail(t, reason === 'closed' ? (this.failure ?? own) : own);
  }

  /** The server refused `t` unprocessed: once more on a fresh session, else a failure. */
  refused(t: Transmit): void {
    this.owner.release(this);
    if (this.resent.has(t)) return this.fail(t, 'closed', undefined, 'stream refused twice');
    this.resent.add(t);
    this.owner.resend(t);
  }

  private onClose(): void {
    this.closed = true;
    this.owner.release(this);
    const queue = this.queue ?? [];
    this.queue = undefined;
    const failure = this.failure ?? new ServerTransportError('ECONNRESET', 'closed', this.origin, undefined, `${this.origin}: the connection closed`);
    for (const w of queue) this.owner.fail(w.t, failure);
  }
}

/** One POST on one stream, and its response checked. */
class StreamExchange {
  private settled = false;
  private readonly chunks: Buffer[] = [];
  private total = 0;

  constructor(private readonly session: H2Session, private readonly stream: http2.ClientHttp2Stream, private readonly t: Transmit) {}

  /** The query is finished: close the stream, report nothing. */
  cancel(): void {
    this.settled = true;
    this.stream.close(NGHTTP2_CANCEL);
  }

  start(data: Uint8Array): void {
    const s = this.stream;
    s.on('response', (headers) => this.onResponse(headers));
    s.on('data', (chunk: Buffer) => this.onData(chunk));
    s.on('end', () => this.onEnd());
    s.on('error', () => undefined);
    s.on('close', () => this.onClose());
    s.end(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }

  private onResponse(headers: http2.IncomingHttpHeaders & http2.IncomingHttpStatusHeader): void {
    const status = headers[':status'] ?? 0;
    if (status < 200 || status > 299) return this.refuse('status', status, `HTTP status ${status}`);
    const type = headers['content-type'];
    if (!isDnsMessageType(type ?? null)) return this.refuse('content-type', status, `content type ${JSON.stringify(type ?? null)}, not ${DNS_MESSAGE}`);
    if (Number(headers['content-length'] ?? 0) > MAX_BODY) return this.refuse('oversize', status, `body of ${headers['content-length']} bytes`);
  }

  private onData(chunk: Buffer): void {
    if (this.settled) return;
    this.total += chunk.length;
    if (this.total > MAX_BODY) return this.refuse('oversize', 200, `body over ${MAX_BODY} bytes`);
    this.chunks.push(chunk);
  }

  private onEnd(): void {
    if (this.settled) return;
    this.settled = true;
    const body = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.total);
    this.session.deliver(new Uint8Array(body.buffer, body.byteOffset, body.length), this.t);
  }

  private refuse(reason: 'status' | 'content-type' | 'oversize', status: number, detail: string): void {
    if (this.settled) return;
    this.settled = true;
    this.stream.close(NGHTTP2_CANCEL);
    this.session.fail(this.t, reason, status, detail);
  }

  private onClose(): void {
    this.session.streamClosed(this, this.t);
    if (this.settled) return;
    this.settled = true;
    const code = this.stream.rstCode;
    if (code === NGHTTP2_REFUSED_STREAM) return this.session.refused(this.t);
    this.session.fail(this.t, 'closed', undefined, `stream closed before its response (code ${code ?? 'none'})`);
  }
}
