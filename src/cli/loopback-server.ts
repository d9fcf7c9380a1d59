/**
 * The simulator's authoritative {@link ZoneServer} behind real sockets: a
 * `node:dgram` socket and a `node:net` server (2-byte framing, RFC 7766 §8)
 * on the same loopback port. The zone server stays sans-IO: each message is
 * handed to it with the current time and its reply is polled at once.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { ZoneServer } from '../sim.js';

/** A running loopback server. */
export interface LoopbackServer {
  readonly address: string;
  readonly port: number;
  readonly stats: { udp: number; tcp: number };
  close(): Promise<void>;
}

function bindUdp(host: string): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', reject);
    socket.bind(0, host, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

/**
 * Listen with `server` on `port` of `host`, the port of a UDP socket just bound. Resolves false when the port is
 * taken for TCP (another process's connection may hold that number), so the caller starts again on a fresh port.
 */
export function listenTcp(server: net.Server, host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => (err.code === 'EADDRINUSE' ? resolve(false) : reject(err));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(true);
    });
  });
}

/** Bind a UDP socket on a free port of `host` and `tcp` on the same port (retrying when the TCP port is taken). */
export async function bindBoth(host: string, tcp: net.Server): Promise<dgram.Socket> {
  for (let tries = 0; ; tries++) {
    const udp = await bindUdp(host);
    if (await listenTcp(tcp, host, udp.address().port)) return udp;
    udp.close();
    if (tries >= 10) throw new Error(`no port free for both UDP and TCP on ${host}`);
  }
}

/** Frame-by-frame reader of one TCP connection. */
function serveConnection(socket: net.Socket, answer: (data: Uint8Array, from: { address: string; port: number }) => Uint8Array[]): void {
  let buf: Buffer = Buffer.alloc(0);
  const from = { address: socket.remoteAddress ?? '127.0.0.1', port: socket.remotePort ?? 0 };
  socket.on('data', (chunk: Buffer) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      const n = buf.readUInt16BE(0);
      for (const reply of answer(buf.subarray(2, 2 + n), from)) {
        const frame = Buffer.alloc(2 + reply.length);
        frame.writeUInt16BE(reply.length, 0);
        frame.set(reply, 2);
        socket.write(frame);
      }
      buf = buf.subarray(2 + n);
    }
  });
  socket.on('error', () => socket.destroy());
}

type Answer = (data: Uint8Array, from: { address: string; port: number }, transport: 'udp' | 'tcp') => Uint8Array[];

/** Serve `zones` (master-file text) on `host` (default 127.0.0.1), UDP and TCP, on a free port. */
export async function serveZones(zones: readonly string[], host = '127.0.0.1'): Promise<LoopbackServer> {
  const connections = new Set<net.Socket>();
  let answer: Answer = () => [];
  const tcp = net.createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serveConnection(socket, (data, from) => answer(data, from, 'tcp'));
  });
  const udp = await bindBoth(host, tcp);
  const port = udp.address().port;
  const zone = new ZoneServer({ address: host, port, zones });
  const stats = { udp: 0, tcp: 0 };
  answer = (data, from, transport) => {
    stats[transport]++;
    const now = performance.now();
    zone.handle(now, { at: now, from: { transport, address: from.address, port: from.port }, to: transport === 'udp' ? zone.udp : zone.tcp, data });
    return zone.poll(now).map((p) => p.data);
  };
  udp.on('message', (msg, rinfo) => {
    for (const reply of answer(msg, rinfo, 'udp')) udp.send(reply, rinfo.port, rinfo.address);
  });
  return {
    address: host, port, stats,
    close: () => new Promise<void>((resolve) => {
      for (const c of connections) c.destroy();
      udp.close();
      tcp.close(() => resolve());
    }),
  };
}
