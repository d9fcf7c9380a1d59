/**
 * The Node platform of the core loop: `dgram` and `net` sockets, the
 * monotonic clock and one timer. No DNS logic lives here.
 *
 * - UDP: per server, a small pool of sockets, each `connect()`ed to the server
 *   (so the kernel drops datagrams from anyone else) on a kernel-chosen random
 *   source port; a socket is retired after `udpRotateAfter` sends and closed
 *   once its queries are finished. All UDP sockets close when nothing is in
 *   flight, so sporadic queries each get fresh ports.
 * - TCP (RFC 7766): one connection per server, 2-byte framing, pipelined,
 *   answers in any order (the core matches them), closed after
 *   `tcpIdleTimeout` ms without outstanding queries.
 * - A socket error (ICMP port unreachable as `ECONNREFUSED`, `EHOSTUNREACH`,
 *   a reset) fails the transmissions outstanding on that socket, as an input
 *   of the core for that server, which moves on to the next one.
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
import type { Endpoint, Received, Transmit } from '../../core/types.js';
import type { CoreLoop, Transport } from '../../api/loop.js';

/** Socket options of the Node transport. */
export interface NodeTransportOptions {
  /** UDP sockets per server used in rotation (default 4). */
  readonly udpPoolSize?: number;
  /** Sends on one UDP socket before it is replaced by a fresh one (default 128). */
  readonly udpRotateAfter?: number;
  /** ms a TCP connection stays open without outstanding queries (default 10000). */
  readonly tcpIdleTimeout?: number;
  /**
   * Local addresses to send from, by family (Node's `setLocalAddress`); read
   * whenever a socket is opened, so a change applies to the next sockets.
   */
  readonly localAddress?: { readonly ipv4?: string | undefined; readonly ipv6?: string | undefined };
}

type NetEndpoint = Extract<Endpoint, { address: string }>;

/** The core's code for a socket error. */
export function socketErrorCode(code: string | undefined): TransportErrorCode {
  switch (code) {
    case 'ECONNREFUSED': return 'ECONNREFUSED';
    case 'ECONNRESET': case 'EPIPE': case 'ECONNABORTED': return 'ECONNRESET';
    default: return 'ENETUNREACH';
  }
}

/** What UDP and TCP channels share: the transmissions outstanding on them. */
abstract class Channel {
  readonly outstanding = new Map<number, Transmit>();
  retired = false;
  closed = false;
  constructor(protected readonly owner: NodeTransport, readonly peer: NetEndpoint) {}
  abstract write(t: Transmit): void;
  abstract close(): void;

  /** Fail everything outstanding here; the core moves on to the next server. */
  protected failAll(code: TransportErrorCode): void {
    const list = [...this.outstanding.values()];
    this.outstanding.clear();
    for (const t of list) this.owner.fail(t, code);
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
    const local = v6 ? owner.localAddress?.ipv6 : owner.localAddress?.ipv4;
    if (local !== undefined) socket.bind({ address: local, port: 0 });
    socket.on('message', (msg: Buffer) => owner.deliver(msg, this.peer));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.retired = true;
      this.failAll(socketErrorCode(err.code));
      owner.release(this);
    });
    socket.connect(peer.port, peer.address, () => {
      if (this.closed) return;
      const queue = this.queue ?? [];
      this.queue = undefined;
      for (const data of queue) socket.send(data);
    });
    socket.unref();
  }

  write(t: Transmit): void {
    this.sends++;
    if (this.queue === undefined) this.socket.send(t.data);
    else this.queue.push(t.data);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
  }
}

class TcpChannel extends Channel {
  private readonly socket: net.Socket;
  private buffer: Buffer = Buffer.alloc(0);
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
      this.retired = true;
      owner.release(this);
      this.failAll(this.errorCode === undefined ? 'ECONNRESET' : socketErrorCode(this.errorCode));
    });
    socket.unref();
  }

  private onData(chunk: Buffer): void {
    let buf = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (buf.length >= 2) {
      const n = buf.readUInt16BE(0);
      if (buf.length < 2 + n) break;
      // A copy, so the core may keep the message without pinning the read buffer.
      this.owner.deliver(Uint8Array.prototype.slice.call(buf, 2, 2 + n), this.peer);
      buf = buf.subarray(2 + n);
    }
    this.buffer = buf;
  }

  /** Nothing is outstanding: restart the idle clock. */
  idleCheck(): void {
    if (!this.closed) this.socket.setTimeout(this.idle);
  }

  write(t: Transmit): void {
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

const EMPTY = new Uint8Array(0);
const NO_PEER: Endpoint = Object.freeze({ transport: 'udp', address: '', port: 0 });

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
  private readonly rx: { data: Uint8Array; peer: Endpoint } = { data: EMPTY, peer: NO_PEER };
  private readonly rxList: readonly Received[] = [this.rx];
  private readonly poolSize: number;
  private readonly rotateAfter: number;
  private readonly tcpIdle: number;

  /** See {@link NodeTransportOptions.localAddress}. */
  readonly localAddress: NodeTransportOptions['localAddress'];

  constructor(options: NodeTransportOptions = {}) {
    this.localAddress = options.localAddress;
    this.poolSize = options.udpPoolSize ?? 4;
    this.rotateAfter = options.udpRotateAfter ?? 128;
    this.tcpIdle = options.tcpIdleTimeout ?? 10_000;
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
      if (peer.transport === 'doh' || this.closed) {
        queueMicrotask(() => this.fail(t, 'ENETUNREACH'));
        continue;
      }
      const ch = peer.transport === 'udp' ? this.udpChannel(peer) : this.tcpChannel(peer);
      ch.outstanding.set(t.handle, t);
      const had = this.byHandle.get(t.handle);
      if (had === undefined) this.byHandle.set(t.handle, ch);
      else if (Array.isArray(had)) had.push(ch);
      else if (had !== ch) this.byHandle.set(t.handle, [had, ch]);
      ch.write(t);
    }
  }

  finished(handle: number): void {
    const had = this.byHandle.get(handle);
    if (had === undefined) return;
    this.byHandle.delete(handle);
    if (Array.isArray(had)) for (const ch of had) this.settle(ch, handle);
    else this.settle(had, handle);
    if (this.byHandle.size === 0) this.closeUdp();
  }

  setTimer(deadline: number | undefined, fire: () => void): void {
    this.timer.set(deadline, fire);
  }

  close(): void {
    this.closed = true;
    this.timer.clear();
    this.closeUdp();
    for (const ch of this.tcp.values()) ch.close();
    this.tcp.clear();
  }

  /**
   * A datagram (or a TCP message, unframed) arrived from `peer`. The core
   * reads its input synchronously and keeps neither the list nor the record
   * (it copies what it keeps out of `data`), so one of each is reused.
   */
  deliver(data: Uint8Array, peer: Endpoint): void {
    const loop = this.loop;
    if (loop === undefined) return;
    const rx = this.rx;
    rx.data = data;
    rx.peer = peer;
    try {
      loop.receive(this.rxList);
    } finally {
      rx.data = EMPTY;
    }
  }

  /** A transmission failed on its socket. */
  fail(t: Transmit, code: TransportErrorCode): void {
    this.loop?.fail(t, code);
  }

  /** A channel is gone or broken: stop handing it out. */
  release(ch: Channel): void {
    if (ch instanceof TcpChannel) {
      if (this.tcp.get(endpointKey(ch.peer)) === ch) this.tcp.delete(endpointKey(ch.peer));
      return;
    }
    const pool = this.pools.get(endpointKey(ch.peer));
    if (pool !== undefined) pool.channels = pool.channels.filter((c) => c !== ch);
    if (ch.outstanding.size === 0) ch.close();
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
    if (ch !== undefined && ch.sends >= this.rotateAfter) {
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
    if (ch === undefined) {
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
