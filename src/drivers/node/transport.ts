/**
 * The Node platform of the core loop: `dgram` and `net` sockets, the
 * monotonic clock and one timer. No DNS logic lives here.
 *
 * - UDP: per server, a small pool of sockets, each `connect()`ed to the server
 *   (so the kernel drops datagrams from anyone else) on a kernel-chosen random
 *   source port; a socket is retired after `udpRotateAfter` sends and closed
 *   once its queries are finished, with at most `udpMaxSockets` open at once.
 *   All UDP sockets close when nothing is in flight, so sporadic queries each
 *   get fresh ports.
 * - TCP (RFC 7766): one connection per server, 2-byte framing, pipelined,
 *   answers in any order (the core matches them), closed after
 *   `tcpIdleTimeout` ms without outstanding queries. A connection whose
 *   framing is lost (`tcp-frames.ts`) is closed at once and replaced.
 * - A socket error of any kind (ICMP port unreachable as `ECONNREFUSED`,
 *   `EHOSTUNREACH`, a failed `connect()`, `EMFILE`, a reset, a socket closed
 *   under a send) breaks that socket: it leaves the pool, closes, and then
 *   the transmissions outstanding on it fail, as an input of the core for
 *   that server, which moves on to the next one. No socket error escapes.
 * - One pass through the core per event-loop turn (`turn-batch.ts`): what
 *   arrives on every socket in a turn goes to the core as one array, the
 *   queries started in a turn drain the core once, and the datagrams
 *   produced leave as one burst.
 * - Sends are paced: at most `sendsPerTurn` per event-loop turn, the rest in
 *   later turns, skipped if their query ended meanwhile (`send-pacer.ts`).
 * - DNS over TLS and DNS over HTTPS (HTTP/2) servers go to
 *   `secure-transport.ts`: one pipelined TLS connection per `tls` server,
 *   one multiplexed HTTP/2 session per DoH origin.
 * - One timer, armed at the core's deadline (or kept when already armed
 *   earlier: an early wake is harmless, ARCHITECTURE.md rule 3); cleared when the core has no
 *   deadline. It is ref'd only while queries are in flight, so an idle
 *   resolver never keeps the process alive, while `await resolve4(...)`
 *   does. Sockets are always unref'd.
 */
import { WallTimer } from '../platform.js';
import dgram from 'node:dgram';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { TransportErrorCode } from '../../core/errors.js';
import { endpointKey } from '../../core/servers.js';
import type { Endpoint, Transmit } from '../../core/types.js';
import type { CoreLoop, Transport } from '../../api/loop.js';
import { SendPacer, type PacedSink } from './send-pacer.js';
import { FrameReader } from './tcp-frames.js';
import { SecureTransport } from './secure-transport.js';
import { TurnBatch } from './turn-batch.js';
import type { SecureTransportOptions } from './secure-auth.js';

/** Socket options of the Node transport (and of its DNS-over-TLS and DoH transports). */
export interface NodeTransportOptions extends SecureTransportOptions {
  /** UDP sockets per server used in rotation (default 4). */
  readonly udpPoolSize?: number;
  /** Sends on one UDP socket before it is replaced by a fresh one (default 128). */
  readonly udpRotateAfter?: number;
  /**
   * Most UDP sockets open at once, retired ones still waiting for answers
   * included (default 256). At the cap, a socket due for rotation is kept in
   * use until a retired one closes, so load never runs the process out of
   * file descriptors.
   */
  readonly udpMaxSockets?: number;
  /** ms a TCP connection stays open without outstanding queries (default 10000). */
  readonly tcpIdleTimeout?: number;
  /**
   * Local addresses to send from, by family (Node's `setLocalAddress`); read
   * whenever a socket is opened, so a change applies to the next sockets.
   */
  readonly localAddress?: { readonly ipv4?: string | undefined; readonly ipv6?: string | undefined };
  /** Datagrams and TCP messages sent per event-loop turn before the rest wait for the next turn (default 256, `send-pacer.ts`). */
  readonly sendsPerTurn?: number;
}

type NetEndpoint = Extract<Endpoint, { address: string }>;

/** The core's code for a socket error (any code Node or the OS may give: a socket error never escapes). */
export function socketErrorCode(code: string | undefined): TransportErrorCode {
  switch (code) {
    case 'ECONNREFUSED': return 'ECONNREFUSED';
    case 'ECONNRESET': case 'EPIPE': case 'ECONNABORTED': case 'ERR_STREAM_DESTROYED': return 'ECONNRESET';
    // ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL, EMFILE, ERR_SOCKET_DGRAM_NOT_RUNNING, ERR_SOCKET_BAD_PORT, ...
    default: return 'ENETUNREACH';
  }
}

/**
 * What UDP and TCP channels share: the transmissions outstanding on them,
 * and one way to break. A broken channel leaves the pool first, then closes,
 * then fails what was outstanding on it: failing a query lets the core send
 * its next attempt at once, and that send must never find this channel.
 */
abstract class Channel implements PacedSink {
  /** Queries with a transmission on this channel, by handle: their latest one, or `undefined` when it went elsewhere. */
  readonly outstanding = new Map<number, Transmit | undefined>();
  retired = false;
  closed = false;
  constructor(protected readonly owner: NodeTransport, readonly peer: NetEndpoint) {}
  abstract write(t: Transmit): void;
  abstract close(): void;

  wants(t: Transmit): boolean {
    return !this.closed && this.outstanding.get(t.handle) === t;
  }

  /** Leave the pool, close, and fail everything outstanding here (the core moves on). Idempotent. */
  protected break(code: TransportErrorCode): void {
    this.retired = true;
    this.owner.release(this);
    this.close();
    const list = [...this.outstanding.values()];
    this.outstanding.clear();
    for (const t of list) if (t !== undefined) this.owner.fail(t, code);
  }

  /** Break later: from inside a send, the loop may not be called back synchronously. */
  protected breakSoon(code: TransportErrorCode): void {
    this.retired = true;
    this.owner.release(this);
    queueMicrotask(() => this.break(code));
  }
}

class UdpChannel extends Channel {
  private readonly socket: dgram.Socket;
  private queue: Uint8Array[] | undefined = [];
  sends = 0;

  constructor(owner: NodeTransport, peer: NetEndpoint) {
    super(owner, peer);
    const v6 = peer.address.includes(':');
    const socket = dgram.createSocket(v6 ? 'udp6' : 'udp4');
    this.socket = socket;
    owner.udpOpen++;
    const local = v6 ? owner.localAddress?.ipv6 : owner.localAddress?.ipv4;
    if (local !== undefined) socket.bind({ address: local, port: 0 });
    socket.on('message', (msg: Buffer) => owner.deliver(msg, this.peer));
    socket.on('error', (err: NodeJS.ErrnoException) => this.break(socketErrorCode(err.code)));
    try {
      socket.connect(peer.port, peer.address, (err?: NodeJS.ErrnoException | null) => this.connected(err));
    } catch (err) {
      this.breakSoon(socketErrorCode((err as NodeJS.ErrnoException).code));
    }
    socket.unref();
  }

  /** `connect()` finished: send what waited for it, or break (an unroutable server: issue 12). */
  private connected(err: NodeJS.ErrnoException | null | undefined): void {
    if (this.closed) return;
    if (err) return this.break(socketErrorCode(err.code));
    const queue = this.queue ?? [];
    this.queue = undefined;
    for (const data of queue) if (!this.send(data)) return;
  }

  write(t: Transmit): void {
    this.sends++;
    if (this.closed) return;
    if (this.queue === undefined) this.send(t.data);
    else this.queue.push(t.data);
  }

  /** One datagram; a throw (a socket closed under us) breaks the channel later. False when it broke. */
  private send(data: Uint8Array): boolean {
    try {
      this.socket.send(data);
      return true;
    } catch (err) {
      this.breakSoon(socketErrorCode((err as NodeJS.ErrnoException).code));
      return false;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.owner.udpOpen--;
    try {
      this.socket.close();
    } catch {
      // Already closed underneath: nothing left to release.
    }
  }
}

class TcpChannel extends Channel {
  private readonly socket: net.Socket;
  private readonly frames = new FrameReader();
  private errorCode: string | undefined;

  constructor(owner: NodeTransport, peer: NetEndpoint, private readonly idle: number) {
    super(owner, peer);
    const local = peer.address.includes(':') ? owner.localAddress?.ipv6 : owner.localAddress?.ipv4;
    const socket = net.connect({ host: peer.address, port: peer.port, ...(local === undefined ? {} : { localAddress: local }) });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setTimeout(idle);
    socket.on('timeout', () => {
      if (this.outstanding.size === 0) socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.errorCode = err.code;
    });
    socket.on('close', () => {
      this.closed = true;
      this.break(this.errorCode === undefined ? 'ECONNRESET' : socketErrorCode(this.errorCode));
    });
    socket.unref();
  }

  /** Whole messages go to the core; a stream out of step is closed and its queries fail over at once (`tcp-frames.ts`). */
  private onData(chunk: Buffer): void {
    if (this.closed) return;
    if (!this.frames.push(chunk, (m) => this.owner.deliver(m, this.peer))) this.break('EBADRESP');
  }

  /** Nothing is outstanding: restart the idle clock. */
  idleCheck(): void {
    if (!this.closed) this.socket.setTimeout(this.idle);
  }

  write(t: Transmit): void {
    if (this.closed) return;
    const frame = Buffer.allocUnsafe(2 + t.data.length);
    frame.writeUInt16BE(t.data.length, 0);
    frame.set(t.data, 2);
    this.socket.write(frame);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
  }
}

interface Pool { channels: UdpChannel[]; next: number; closed: boolean }

/** The Node platform: sockets, clock and timer for one core loop. */
export class NodeTransport implements Transport {
  private loop: CoreLoop | undefined;
  private readonly timer = new WallTimer(() => performance.now());
  private closed = false;
  private readonly pools = new Map<string, Pool>();
  private readonly tcp = new Map<string, TcpChannel>();
  private readonly byHandle = new Map<number, Channel | Channel[]>();
  /** Pools by the core's peer object (it hands out the same one each time), in front of `pools`. */
  private readonly poolOf = new WeakMap<Endpoint, Pool>();
  /** This turn's input and drain (issue 13). */
  private readonly batch = new TurnBatch(
    (datagrams) => this.loop?.receive(datagrams),
    () => this.loop?.drain(),
  );
  /** The loop's timer callback, and the same run after this turn's batch (see {@link setTimer}). */
  private fireOf: (() => void) | undefined;
  private fireAfterBatch: () => void = () => undefined;
  private readonly poolSize: number;
  private readonly rotateAfter: number;
  private readonly maxSockets: number;
  private readonly tcpIdle: number;
  private readonly pacer: SendPacer;
  /** UDP sockets open now (pooled and retired); at most `udpMaxSockets` unless every pool slot needs one. */
  udpOpen = 0;
  private readonly secure: SecureTransport;

  /** See {@link NodeTransportOptions.localAddress}. */
  readonly localAddress: NodeTransportOptions['localAddress'];

  constructor(options: NodeTransportOptions = {}) {
    this.localAddress = options.localAddress;
    this.secure = new SecureTransport(options, {
      receive: (r) => this.batch.add(r.data, r.peer, r.token),
      fail: (t, code, cause) => this.loop?.fail(t, code, cause),
    });
    this.poolSize = options.udpPoolSize ?? 4;
    this.rotateAfter = options.udpRotateAfter ?? 128;
    this.maxSockets = options.udpMaxSockets ?? 256;
    this.tcpIdle = options.tcpIdleTimeout ?? 10_000;
    this.pacer = new SendPacer(options.sendsPerTurn ?? 256);
  }

  attach(loop: CoreLoop): void {
    this.loop = loop;
  }

  now(): number {
    return performance.now();
  }

  send(transmits: readonly Transmit[]): void {
    for (const t of transmits) {
      const peer = t.peer;
      if (peer.transport === 'tls' || peer.transport === 'doh') {
        this.secure.send(t);
        continue;
      }
      if (this.closed) {
        queueMicrotask(() => this.fail(t, 'ENETUNREACH'));
        continue;
      }
      const ch = peer.transport === 'udp' ? this.udpChannel(peer) : this.tcpChannel(peer);
      this.track(ch, t);
      this.pacer.write(ch, t);
    }
  }

  finished(handle: number): void {
    this.secure.finished(handle);
    const had = this.byHandle.get(handle);
    if (had === undefined) return;
    this.byHandle.delete(handle);
    if (Array.isArray(had)) for (const ch of had) this.settle(ch, handle);
    else this.settle(had, handle);
    if (this.byHandle.size === 0) this.closeUdp();
  }

  /** The queries just started are drained once, in this turn's pass (`turn-batch.ts`). */
  drainSoon(): void {
    this.batch.drainSoon();
  }

  /**
   * The timer fires after the I/O already waiting (`WallTimer`), and runs
   * this turn's batch first: an answer already read wins over its retry
   * (issue 14), though the batch's own pass comes later in the turn.
   */
  setTimer(deadline: number | undefined, fire: () => void): void {
    if (fire !== this.fireOf) {
      this.fireOf = fire;
      this.fireAfterBatch = () => {
        this.batch.run();
        fire();
      };
    }
    this.timer.set(deadline, this.fireAfterBatch);
  }

  close(): void {
    this.closed = true;
    this.timer.clear();
    this.pacer.stop();
    this.batch.stop();
    this.closeUdp();
    this.secure.close();
    for (const ch of this.tcp.values()) ch.close();
    this.tcp.clear();
  }

  /**
   * A datagram (or a TCP message, unframed) arrived from `peer`: into this
   * turn's batch, handed to the core with the rest of the turn's input.
   */
  deliver(data: Uint8Array, peer: Endpoint): void {
    if (this.loop !== undefined) this.batch.add(data, peer);
  }

  /** A transmission failed on its socket. */
  fail(t: Transmit, code: TransportErrorCode): void {
    this.loop?.fail(t, code);
  }

  /** A channel is broken: stop handing it out (before anything else happens to it). */
  release(ch: Channel): void {
    if (ch instanceof TcpChannel) {
      if (this.tcp.get(endpointKey(ch.peer)) === ch) this.tcp.delete(endpointKey(ch.peer));
      return;
    }
    const pool = this.pools.get(endpointKey(ch.peer));
    if (pool !== undefined) pool.channels = pool.channels.filter((c) => c !== ch);
  }

  /**
   * `t` goes out on `ch`. Only the latest transmission of a query is kept
   * (for its error and its send); a channel that carried an earlier one keeps
   * the query's entry without it, so it stays open for a late answer.
   */
  private track(ch: Channel, t: Transmit): void {
    const had = this.byHandle.get(t.handle);
    if (had === undefined) this.byHandle.set(t.handle, ch);
    else if (Array.isArray(had)) {
      for (const c of had) c.outstanding.set(t.handle, undefined);
      if (!had.includes(ch)) had.push(ch);
    } else if (had !== ch) {
      had.outstanding.set(t.handle, undefined);
      this.byHandle.set(t.handle, [had, ch]);
    }
    ch.outstanding.set(t.handle, t);
  }

  private settle(ch: Channel, handle: number): void {
    ch.outstanding.delete(handle);
    if (ch.outstanding.size > 0) return;
    if (ch instanceof TcpChannel) ch.idleCheck();
    else if (ch.retired) ch.close();
  }

  private udpChannel(peer: NetEndpoint): UdpChannel {
    let pool = this.poolOf.get(peer);
    if (pool === undefined || pool.closed) {
      const key = endpointKey(peer);
      pool = this.pools.get(key);
      if (pool === undefined) {
        pool = { channels: [], next: 0, closed: false };
        this.pools.set(key, pool);
      }
      this.poolOf.set(peer, pool);
    }
    const i = pool.next++ % this.poolSize;
    let ch = pool.channels[i];
    // At the socket cap, a socket due for rotation stays in use until a retired one closes.
    if (ch !== undefined && (ch.closed || (ch.sends >= this.rotateAfter && this.udpOpen < this.maxSockets))) {
      ch.retired = true;
      if (ch.outstanding.size === 0) ch.close();
      ch = undefined;
    }
    if (ch === undefined) {
      ch = new UdpChannel(this, peer);
      if (i < pool.channels.length) pool.channels[i] = ch;
      else pool.channels.push(ch);
    }
    return ch;
  }

  private tcpChannel(peer: NetEndpoint): TcpChannel {
    const key = endpointKey(peer);
    let ch = this.tcp.get(key);
    if (ch === undefined || ch.closed) {
      ch = new TcpChannel(this, peer, this.tcpIdle);
      this.tcp.set(key, ch);
    }
    return ch;
  }

  private closeUdp(): void {
    for (const pool of this.pools.values()) {
      pool.closed = true;
      for (const ch of pool.channels) ch.close();
    }
    this.pools.clear();
  }
}
