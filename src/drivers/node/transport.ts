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
import { performance } from 'node:perf_hooks';
import type { TransportErrorCode } from '../../core/errors.js';
import { endpointKey } from '../../core/servers.js';
import type { Endpoint, Transmit } from '../../core/types.js';
import type { CoreLoop, Transport } from '../../api/loop.js';
import { HandleTable } from '../../core/handle-table.js';
import { SendPacer } from './send-pacer.js';
import { Channel, TcpChannel, UdpChannel, type ChannelOwner, type NetEndpoint } from './channels.js';
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

interface Pool { channels: UdpChannel[]; next: number; closed: boolean }

/** The Node platform: sockets, clock and timer for one core loop. */
export class NodeTransport implements Transport, ChannelOwner {
  private loop: CoreLoop | undefined;
  private readonly timer = new WallTimer(() => performance.now());
  private closed = false;
  private readonly pools = new Map<string, Pool>();
  private readonly tcp = new Map<string, TcpChannel>();
  /** The channels of each query in flight: not a `Map` (`handle-table.ts`). */
  private readonly byHandle = new HandleTable<Channel | Channel[]>();
  /** Pools by the core's peer object (it hands out the same one each time), in front of `pools`. */
  private readonly poolOf = new WeakMap<Endpoint, Pool>();
  /** This turn's input and drain (issue 13), each pass a turn of the send pacer's own (no microtask to reset its budget). */
  private readonly batch = new TurnBatch(
    (datagrams) => {
      this.pacer.beginTurn();
      try {
        this.loop?.receive(datagrams);
      } finally {
        this.pacer.endTurn();
      }
    },
    () => {
      this.pacer.beginTurn();
      try {
        this.loop?.drain();
      } finally {
        this.pacer.endTurn();
      }
    },
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

  /** The loop's waiting queries in a `HandleTable`, not a `Map` (`handle-table.ts`, issue 13). */
  handleTable<T>(): HandleTable<T> {
    return new HandleTable<T>();
  }

  send(transmits: readonly Transmit[]): void {
    // Index loops on the hot paths of this file: a `for...of` that V8 does not optimize allocates an iterator and its results (issue 13).
    for (let i = 0; i < transmits.length; i++) {
      const t = transmits[i] as Transmit;
      const peer = t.peer;
      if (peer.transport === 'tls' || peer.transport === 'doh') {
        this.secure.send(t);
        continue;
      }
      if (this.closed) {
        this.failSoon(t);
        continue;
      }
      const ch = peer.transport === 'udp' ? this.udpChannel(peer) : this.tcpChannel(peer);
      this.track(ch, t);
      this.pacer.write(ch, t);
    }
  }

  /**
   * `t` fails in a microtask (sent on a closed transport). A method of its
   * own: a closure in `send` would make V8 allocate a context for every
   * transmit `send` loops over, closed or not (issue 13).
   */
  private failSoon(t: Transmit): void {
    queueMicrotask(() => this.fail(t, 'ENETUNREACH'));
  }

  finished(handle: number): void {
    this.secure.finished(handle);
    const had = this.byHandle.get(handle);
    if (had === undefined) return;
    this.byHandle.delete(handle);
    if (Array.isArray(had)) for (let i = 0; i < had.length; i++) this.settle(had[i] as Channel, handle);
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
        this.pacer.beginTurn();
        try {
          fire();
        } finally {
          this.pacer.endTurn();
        }
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
      for (let i = 0; i < had.length; i++) (had[i] as Channel).outstanding.set(t.handle, undefined);
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
