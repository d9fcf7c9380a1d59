/**
 * A tiny DNS responder on loopback for driver tests: UDP and TCP on the same
 * port, answers built with dns-packet by a handler the test supplies.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import packet from 'dns-packet';
import { listenTcp } from '../../../../src/cli/loopback-server.js';

export type Reply = packet.Packet | Buffer | null | 'drop';
export type Handler = (query: packet.Packet, transport: 'udp' | 'tcp') => Reply | Promise<Reply>;

export interface Responder {
  readonly address: string;
  readonly port: number;
  readonly server: string;
  udpQueries: number;
  tcpQueries: number;
  /** Source ports the UDP queries came from. */
  readonly sourcePorts: number[];
  /** TCP connections accepted. */
  tcpConnections: number;
  close(): Promise<void>;
}

/** A response to `q` with `extra` sections; `rcode` goes into the header's low bits. */
export function reply(q: packet.Packet, extra: Partial<packet.Packet> = {}, rcode = 0): packet.Packet {
  return {
    id: q.id, type: 'response', flags: packet.AUTHORITATIVE_ANSWER | ((q.flags ?? 0) & packet.RECURSION_DESIRED) | rcode,
    questions: q.questions, answers: [], authorities: [], additionals: [], ...extra,
  } as packet.Packet;
}

export async function startResponder(handler: Handler, address = '127.0.0.1'): Promise<Responder> {
  const udp = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve) => udp.bind(0, address, resolve));
  const port = udp.address().port;
  const sockets = new Set<net.Socket>();
  const state = { udpQueries: 0, tcpQueries: 0, tcpConnections: 0, sourcePorts: [] as number[] };
  try {
    udp.setRecvBufferSize(4 << 20);
  } catch {
    // The kernel may cap it; bursts may then drop, and retransmissions recover.
  }
  const sendUdp = (r: Reply, rinfo: dgram.RemoteInfo): void => {
    if (r === null || r === 'drop') return;
    const out = Buffer.isBuffer(r) ? r : packet.encode(r);
    udp.send(out, rinfo.port, rinfo.address);
  };
  udp.on('message', (msg, rinfo) => {
    state.udpQueries++;
    state.sourcePorts.push(rinfo.port);
    const r = handler(packet.decode(msg), 'udp');
    // Answer synchronously when the handler does, so a burst drains fast.
    if (r instanceof Promise) void r.then((x) => sendUdp(x, rinfo));
    else sendUdp(r, rinfo);
  });
  const tcp = net.createServer((sock) => {
    state.tcpConnections++;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const n = buf.readUInt16BE(0);
        const q = packet.decode(buf.subarray(2, 2 + n));
        buf = buf.subarray(2 + n);
        state.tcpQueries++;
        void Promise.resolve(handler(q, 'tcp')).then((r) => {
          if (r === null || r === 'drop' || sock.destroyed) return;
          const out = Buffer.isBuffer(r) ? r : packet.encode(r);
          const len = Buffer.alloc(2);
          len.writeUInt16BE(out.length);
          sock.write(Buffer.concat([len, out]));
        });
      }
    });
  });
  // The UDP port's number may be taken for TCP by another test's connection: then start again elsewhere.
  if (!(await listenTcp(tcp, address, port))) {
    udp.close();
    return startResponder(handler, address);
  }
  const server = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
  return {
    address, port, server,
    get udpQueries() { return state.udpQueries; },
    get tcpQueries() { return state.tcpQueries; },
    get tcpConnections() { return state.tcpConnections; },
    sourcePorts: state.sourcePorts,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    },
  } as Responder;
}
