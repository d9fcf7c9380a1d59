/**
 * The sockets of the Node transport (`transport.ts`), one channel each: a
 * `connect()`ed UDP socket, or a TCP connection with 2-byte framing
 * (RFC 7766 §8, `tcp-frames.ts`). A channel keeps the transmissions
 * outstanding on it and breaks as one: it leaves its owner's pool, closes,
 * and fails what was outstanding, so the core moves on to the next server.
 * No socket error escapes.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { TransportErrorCode } from '../../core/errors.js';
import { HandleTable } from '../../core/handle-table.js';
import type { Endpoint, Transmit } from '../../core/types.js';
import type { PacedSink } from './send-pacer.js';
import { FrameReader } from './tcp-frames.js';

/** What a channel needs of the transport that owns it (`NodeTransport`). */
export interface ChannelOwner {
  /** UDP sockets open, retired ones included. */
  udpOpen: number;
  /** Local addresses to send from, by family (read when a socket opens). */
  readonly localAddress: { readonly ipv4?: string | undefined; readonly ipv6?: string | undefined } | undefined;
  /** A message arrived from `peer`. */
  deliver(data: Uint8Array, peer: Endpoint): void;
  /** A transmission outstanding on a broken channel failed. */
  fail(t: Transmit, code: TransportErrorCode): void;
  /** `ch` leaves the pool (it broke or closed). */
  release(ch: Channel): void;
}

export type NetEndpoint = Extract<Endpoint, { address: string }>;

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
export abstract class Channel implements PacedSink {
  /** Queries with a transmission on this channel, by handle: their latest one, or `undefined` when it went elsewhere. */
  outstanding = new HandleTable<Transmit | undefined>();
  retired = false;
  closed = false;
  constructor(protected readonly owner: ChannelOwner, readonly peer: NetEndpoint) {}
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
    const list = this.outstanding.list();
    this.outstanding = new HandleTable();
    for (const t of list) if (t !== undefined) this.owner.fail(t, code);
  }

  /** Break later: from inside a send, the loop may not be called back synchronously. */
  protected breakSoon(code: TransportErrorCode): void {
    this.retired = true;
    this.owner.release(this);
    queueMicrotask(() => this.break(code));
  }
}

export class UdpChannel extends Channel {
  private readonly socket: dgram.Socket;
  private queue: Uint8Array[] | undefined = [];
  sends = 0;

  constructor(owner: ChannelOwner, peer: NetEndpoint) {
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

export class TcpChannel extends Channel {
  private readonly socket: net.Socket;
  private readonly frames = new FrameReader();
  private errorCode: string | undefined;

  constructor(owner: ChannelOwner, peer: NetEndpoint, private readonly idle: number) {
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
