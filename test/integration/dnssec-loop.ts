/**
 * A minimal UDP/TCP loop around a `ValidatingResolver` for the interop
 * tests: one query at a time to one loopback server, the core's contract
 * followed by hand (send transmits, feed datagrams, one timer), so the test
 * does not depend on how the drivers wire validation in.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { ValidatingResolver } from '../../src/core/dnssec/validating-resolver.js';
import type { ValidatingResolverOptions } from '../../src/core/dnssec/options.js';
import type { ResolverEvent, Transmit } from '../../src/core/types.js';
import { randomFillSync } from 'node:crypto';

export type Final = Exclude<ResolverEvent, { kind: 'trace' }> & { security?: string; extendedError?: { code: number; text: string } };

/** A resolver bound to one server; `ask` resolves one name/type to its final event. */
export class LoopResolver {
  readonly core: ValidatingResolver;
  private readonly socket = dgram.createSocket('udp4');
  private readonly pending = new Map<number, (e: Final) => void>();
  private timer: NodeJS.Timeout | undefined;
  private readonly epoch = Date.now() - performance.now();

  constructor(port: number, options: Omit<ValidatingResolverOptions, 'servers' | 'random' | 'unixTime'>, address = '127.0.0.1') {
    const epoch = this.epoch;
    this.core = new ValidatingResolver({ servers: [`${address}:${port}`], random: (b) => randomFillSync(b), unixTime: (now) => (epoch + now) / 1000, ...options });
    this.socket.on('message', (data, rinfo) => {
      this.core.handleDatagrams(performance.now(), [{ data: new Uint8Array(data), peer: { transport: 'udp', address: rinfo.address, port: rinfo.port } }]);
      this.drain();
    });
    this.socket.bind(0, '127.0.0.1');
  }

  ask(name: string, type: string): Promise<Final> {
    return new Promise((resolve) => {
      const h = this.core.query(performance.now(), name, type);
      this.pending.set(h, resolve);
      this.drain();
    });
  }

  private tcp(t: Transmit): void {
    const peer = t.peer as { address: string; port: number };
    const sock = net.connect({ host: peer.address, port: peer.port });
    let buf = Buffer.alloc(0);
    sock.on('error', () => sock.destroy());
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(t.data.length);
      sock.write(Buffer.concat([len, Buffer.from(t.data)]));
    });
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        this.core.handleDatagrams(performance.now(), [{ data: new Uint8Array(buf.subarray(2, 2 + buf.readUInt16BE(0))), peer: t.peer }]);
        sock.destroy();
        this.drain();
      }
    });
  }

  private drain(): void {
    const out = this.core.poll();
    for (const t of out.transmits) {
      if (t.peer.transport === 'tcp') this.tcp(t);
      else this.socket.send(t.data, (t.peer as { port: number }).port, (t.peer as { address: string }).address);
    }
    for (const e of out.events) {
      if (e.kind === 'trace') continue;
      const r = this.pending.get(e.handle);
      this.pending.delete(e.handle);
      r?.(e as Final);
    }
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (out.deadline !== undefined) {
      this.timer = setTimeout(() => {
        this.core.handleTimeout(performance.now());
        this.drain();
      }, Math.max(0, out.deadline - performance.now()));
    }
  }

  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.socket.close();
  }
}

/** Our verdict in delv's terms. */
export function verdictOf(e: Final): string {
  if (e.kind === 'answer') return e.security === 'bogus' ? 'bogus' : (e.security ?? 'none');
  if (e.code === 'EBOGUS') return 'bogus';
  return `other: ${e.code}`;
}
