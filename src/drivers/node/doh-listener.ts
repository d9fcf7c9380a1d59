/**
 * The DoH bridge's one listener: HTTP/2 over TLS, HTTP/1.1 over TLS and
 * DNS over TLS (RFC 7858); or in clear h2c (HTTP/2 with prior knowledge,
 * RFC 9113 §3.3), HTTP/1.1 and DNS over TCP (RFC 7766); on one port, with
 * every resource bounded.
 *
 * - TLS: ALPN picks `h2`, `http/1.1` or `dot`. Without ALPN, and in clear
 *   text, the first bytes tell: the HTTP/2 preface `PRI`, an HTTP/1 method
 *   (a capital letter), else a DNS message's length (queries are far
 *   shorter than 16,640 bytes, whose length starts with `A`). Each
 *   connection then goes to a plain `node:http2` server (stream API: one
 *   HEADERS and one DATA frame per response), a `node:http` server, or a
 *   DNS stream (`dns-stream.ts`).
 * - Limits (issue 18), each with a default in {@link DohLimits}:
 *   connections in all (`maxConnections`: at the cap the connection idle the
 *   longest, by its last request, is closed to make room, and if none is idle the new one is
 *   refused, so idle clients cannot lock busy ones out), and from one client
 *   address (`maxConnectionsPerAddress`, refused beyond, so one host cannot
 *   take every slot); streams per HTTP/2
 *   session (`maxStreams`, the SETTINGS_MAX_CONCURRENT_STREAMS we send);
 *   time to the first request (`headerTimeout`: TLS handshake, preface,
 *   headers); time without a request in progress (`idleTimeout`, whatever
 *   PINGs or other frames arrive); time to read a request body
 *   (`bodyTimeout`, enforced by the handler); header size; HTTP/2 session
 *   memory; streams reset before their answer (`maxResetsPerSecond`: the
 *   session is closed and its address refused for `abuseCooldown`).
 * - Work per turn is bounded: a burst of new connections is set up
 *   {@link SETUPS_PER_TURN} at a time, one batch per turn of the event loop,
 *   so requests on connections already open are served in between (an HTTP/2
 *   session costs a few hundred µs to set up; a thousand at once would stall
 *   every client for tens of ms).
 * - `close()` stops listening and ends every connection, idle ones too.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import { DnsStreamConn, type StreamAnswer } from './dns-stream.js';

/** Bounds of the bridge's listener. */
export interface DohLimits {
  /** Connections open at once, all protocols (default 1000). */
  readonly maxConnections?: number;
  /** Connections open at once from one client address (default 256); more are refused at once. */
  readonly maxConnectionsPerAddress?: number;
  /** Concurrent streams per HTTP/2 session (default 100). */
  readonly maxStreams?: number;
  /** ms from accepting a connection to its first request's headers (default 10000). */
  readonly headerTimeout?: number;
  /** ms a connection may stay open without a request in progress (default 30000). */
  readonly idleTimeout?: number;
  /** ms to read a request body once its headers arrived (default 5000). */
  readonly bodyTimeout?: number;
  /**
   * Bytes of request headers at most (default 16384): HTTP/1.1 answers 431
   * past it; HTTP/2 announces it (SETTINGS_MAX_HEADER_LIST_SIZE) and holds a
   * header list to 64 fields and a session to 4 MB.
   */
  readonly maxHeaderSize?: number;
  /**
   * HTTP/2 streams a session may reset (or leave) before their answer, per
   * second (default 200; the rapid-reset attack, CVE-2023-44487). Past it the
   * session is closed and its address refused for `abuseCooldown`.
   */
  readonly maxResetsPerSecond?: number;
  /** ms an address that broke `maxResetsPerSecond` is refused (default 10000). */
  readonly abuseCooldown?: number;
}

/** What the listener hands requests to. */
export interface DohRequestHandlers {
  /** An HTTP/2 request. */
  stream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void;
  /** An HTTP/1.1 request. */
  request(req: http.IncomingMessage, res: http.ServerResponse): void;
  /** A DNS message over TLS or TCP. */
  message(data: Uint8Array, answer: StreamAnswer): void;
}

/** Counters of the listener. */
export interface ListenerStats {
  /** Connections accepted. */
  connections: number;
  /** Connections closed to make room for a new one (the idle one longest). */
  evicted: number;
  /** Connections refused: at the cap with none idle, or over the per-address cap. */
  refused: number;
  /** Connections closed for `headerTimeout` or `idleTimeout`. */
  timedOut: number;
  /** Sessions closed for resetting too many streams (their address then refused for a while). */
  abusive: number;
}

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
/** Connections handed to their protocol per turn of the event loop. */
const SETUPS_PER_TURN = 16;

type Kind = 'h2' | 'h1' | 'dot';

/** One connection and what it is doing. */
class Conn {
  active = 0;
  /** HTTP/2 streams closed before their answer in the current one-second window, and when it began. */
  resets = 0;
  resetWindow = 0;
  served = false;
  /** When its last request finished (or it was accepted): the idle one longest goes first at the cap. */
  since = performance.now();
  session: http2.ServerHttp2Session | undefined;
  timer: NodeJS.Timeout | undefined;
  constructor(readonly socket: net.Socket) {}
}

/** One port, every protocol of DoH, bounded. */
export class DohListener {
  readonly stats: ListenerStats = { connections: 0, evicted: 0, refused: 0, timedOut: 0, abusive: 0 };
  /** Addresses refused until a time (`performance.now()`), for breaking `maxResetsPerSecond`. */
  private readonly penalty = new Map<string, number>();
  private readonly conns = new Map<net.Socket, Conn>();
  private readonly perAddress = new Map<string, number>();
  private readonly h2: http2.Http2Server;
  private readonly h1: http.Server;
  private readonly server: net.Server;
  private readonly limits: Required<DohLimits>;
  /** Connections waiting to be set up, a batch per turn. */
  private setups: [net.Socket, Kind][] = [];
  private setupTimer: NodeJS.Immediate | undefined;
  /** The 'close' listener of every HTTP/2 stream (`this` is the stream). */
  private readonly streamClosed: (this: http2.ServerHttp2Stream) => void;

  constructor(secure: tls.TlsOptions | undefined, limits: DohLimits, private readonly handlers: DohRequestHandlers) {
    this.limits = {
      maxConnections: limits.maxConnections ?? 1000, maxConnectionsPerAddress: limits.maxConnectionsPerAddress ?? 256, maxStreams: limits.maxStreams ?? 100, headerTimeout: limits.headerTimeout ?? 10_000,
      idleTimeout: limits.idleTimeout ?? 30_000, bodyTimeout: limits.bodyTimeout ?? 5000, maxHeaderSize: limits.maxHeaderSize ?? 16_384,
      maxResetsPerSecond: limits.maxResetsPerSecond ?? 200, abuseCooldown: limits.abuseCooldown ?? 10_000,
    };
    const l = this.limits;
    const listener = this;
    this.streamClosed = function (this: http2.ServerHttp2Stream) {
      listener.closed(this);
    };
    this.h2 = http2.createServer({
      settings: { maxConcurrentStreams: l.maxStreams, maxHeaderListSize: l.maxHeaderSize },
      maxSessionMemory: 4, maxHeaderListPairs: 64, peerMaxConcurrentStreams: l.maxStreams,
    });
    this.h2.on('session', (s) => this.onSession(s));
    this.h1 = http.createServer({
      maxHeaderSize: l.maxHeaderSize, headersTimeout: l.headerTimeout, requestTimeout: l.headerTimeout + l.bodyTimeout,
      keepAliveTimeout: l.idleTimeout, connectionsCheckingInterval: Math.min(1000, l.headerTimeout),
    }, (req, res) => this.onRequest(req, res));
    this.server = secure === undefined
      ? net.createServer((s) => this.accept(s, () => this.sniff(s)))
      : tls.createServer({ ...secure, ALPNProtocols: ['h2', 'http/1.1', 'dot'], handshakeTimeout: l.headerTimeout }, (s) => this.accept(s, () => this.alpn(s)));
    this.server.on('tlsClientError', () => undefined);
    this.server.on('error', () => undefined);
  }

  /** Listen on `host:port`. */
  async listen(port: number, host: string): Promise<net.AddressInfo> {
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return server.address() as net.AddressInfo;
  }

  /** Connections open now. */
  get open(): number {
    return this.conns.size;
  }

  /** Stop listening and end every connection; resolves once the port is closed. */
  async close(): Promise<void> {
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.setupTimer !== undefined) clearImmediate(this.setupTimer);
    this.setups = [];
    for (const c of this.conns.values()) this.end(c);
    this.h1.closeAllConnections();
    await done;
  }

  // --- admission ---

  private accept(socket: net.Socket, go: () => void): void {
    socket.on('error', () => undefined);
    socket.setNoDelay(true);
    const address = socket.remoteAddress ?? '';
    const mine = this.perAddress.get(address) ?? 0;
    if (mine >= this.limits.maxConnectionsPerAddress || this.penalized(address)
      || (this.conns.size >= this.limits.maxConnections && !this.evictIdle())) {
      this.stats.refused++;
      socket.destroy();
      return;
    }
    this.stats.connections++;
    this.perAddress.set(address, mine + 1);
    const c = new Conn(socket);
    this.conns.set(socket, c);
    (socket as { [CONN]?: Conn })[CONN] = c;
    socket.once('close', () => {
      clearTimeout(c.timer);
      this.conns.delete(socket);
      const n = (this.perAddress.get(address) ?? 1) - 1;
      if (n === 0) this.perAddress.delete(address);
      else this.perAddress.set(address, n);
    });
    this.arm(c, this.limits.headerTimeout);
    go();
  }

  /** Close the connection idle the longest, if any is idle. */
  private evictIdle(): boolean {
    let oldest: Conn | undefined;
    for (const c of this.conns.values()) if (c.active === 0 && (oldest === undefined || c.since < oldest.since)) oldest = c;
    if (oldest === undefined) return false;
    this.stats.evicted++;
    this.end(oldest);
    this.conns.delete(oldest.socket);
    return true;
  }

  private alpn(socket: tls.TLSSocket): void {
    const p = socket.alpnProtocol;
    if (p === 'h2' || p === 'http/1.1' || p === 'dot') {
      // Hold the bytes until the protocol is set up (a later turn).
      socket.pause();
      this.route(socket, p === 'http/1.1' ? 'h1' : p);
    } else {
      this.sniff(socket);
    }
  }

  /** The first bytes tell HTTP/2's preface from an HTTP/1 method from a DNS message's length. */
  private sniff(socket: net.Socket): void {
    let seen: Buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
      const first = seen[0] as number;
      const letter = first >= 0x41 && first <= 0x5a;
      if (letter && seen.length < 3) return;
      socket.removeListener('data', onData);
      socket.pause();
      socket.unshift(seen);
      this.route(socket, !letter ? 'dot' : seen.subarray(0, 3).equals(PREFACE.subarray(0, 3)) ? 'h2' : 'h1');
    };
    socket.on('data', onData);
  }

  /** Set `socket` up for its protocol in a later turn, at most {@link SETUPS_PER_TURN} per turn. */
  private route(socket: net.Socket, kind: Kind): void {
    this.setups.push([socket, kind]);
    this.setupTimer ??= setImmediate(() => this.setupBatch());
  }

  private setupBatch(): void {
    this.setupTimer = undefined;
    const batch = this.setups.splice(0, SETUPS_PER_TURN);
    for (const [socket, kind] of batch) if (!socket.destroyed) this.setup(socket, kind);
    if (this.setups.length > 0) this.setupTimer = setImmediate(() => this.setupBatch());
  }

  private setup(socket: net.Socket, kind: Kind): void {
    const c = this.conns.get(socket);
    if (kind === 'h2') {
      // The session feeds itself the bytes already read (unshifted in sniff()).
      this.h2.emit('connection', socket);
      return;
    }
    if (kind === 'h1') {
      this.h1.emit('connection', socket);
    } else {
      new DnsStreamConn(socket, this.limits.maxStreams, {
        message: this.handlers.message, begin: () => this.begin(c), finish: () => this.finish(c),
      });
    }
    socket.resume();
  }

  // --- activity and timers ---

  private arm(c: Conn, ms: number): void {
    clearTimeout(c.timer);
    c.timer = setTimeout(() => {
      this.stats.timedOut++;
      this.end(c);
    }, ms);
    c.timer.unref();
  }

  private begin(c: Conn | undefined): void {
    if (c === undefined) return;
    c.served = true;
    if (c.active++ === 0) clearTimeout(c.timer);
  }

  private finish(c: Conn | undefined): void {
    if (c === undefined || --c.active !== 0) return;
    c.since = performance.now();
    if (!c.socket.destroyed) this.arm(c, this.limits.idleTimeout);
  }

  private end(c: Conn): void {
    clearTimeout(c.timer);
    if (c.session !== undefined && !c.session.destroyed) {
      c.session.close();
      c.session.destroy();
    }
    c.socket.destroy();
  }

  private onSession(session: http2.ServerHttp2Session): void {
    session.on('error', () => undefined);
    const c = connOf(session);
    if (c !== undefined) c.session = session;
    // Per session, so a stream already reset when its event comes (its `session` gone) still counts against it.
    session.on('stream', (stream, headers) => this.onStream(c, stream, headers));
  }

  private onStream(c: Conn | undefined, stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    this.begin(c);
    (stream as Tagged)[CONN] = c;
    // One listener function for every stream, not a closure each (the hot path).
    stream.on('close', this.streamClosed);
    stream.on('error', ignore);
    this.handlers.stream(stream, headers);
  }

  /** A stream closed: its connection's activity, and a stream closed before its answer counts as a reset. */
  private closed(stream: http2.ServerHttp2Stream): void {
    const c = (stream as Tagged)[CONN];
    this.finish(c);
    if (!stream.headersSent && c !== undefined) this.reset(c);
  }

  /** A stream of `c` closed before its answer: past `maxResetsPerSecond`, close `c` and refuse its address a while. */
  private reset(c: Conn): void {
    const now = performance.now();
    if (now - c.resetWindow > 1000) {
      c.resetWindow = now;
      c.resets = 0;
    }
    if (++c.resets <= this.limits.maxResetsPerSecond || c.socket.destroyed) return;
    this.stats.abusive++;
    if (this.penalty.size > 10_000) for (const [a, until] of this.penalty) if (until <= now) this.penalty.delete(a);
    this.penalty.set(c.socket.remoteAddress ?? '', now + this.limits.abuseCooldown);
    this.end(c);
  }

  private penalized(address: string): boolean {
    const until = this.penalty.get(address);
    if (until === undefined) return false;
    if (until > performance.now()) return true;
    this.penalty.delete(address);
    return false;
  }


  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const c = this.conns.get(req.socket);
    this.begin(c);
    res.once('close', () => this.finish(c));
    this.handlers.request(req, res);
  }
}

const CONN = Symbol('conn');
/** A socket or stream tagged with its connection. */
type Tagged = { [CONN]?: Conn | undefined };
const ignore = (): void => undefined;

/** The connection of a session: `session.socket` is Node's proxy of the socket, and reads go through to it. */
function connOf(session: http2.Http2Session): Conn | undefined {
  return (session.socket as { [CONN]?: Conn } | undefined)?.[CONN];
}
