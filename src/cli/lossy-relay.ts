/**
 * A lossy UDP relay on loopback for the demo: datagrams from clients go on
 * to the upstream server and replies come back, but a seeded share of them
 * is dropped each way (one PRNG per direction, so the same seed and the
 * same sequence of datagrams drop the same ones), and the first `dropFirst`
 * client datagrams are always dropped; each datagram that goes on is held
 * `latency` ms each way (a link's one-way delay, for the loss bench). TCP on
 * the same port is relayed without loss or delay (TCP retransmits for itself).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { Prng } from '../sim.js';
import { bindBoth } from './loopback-server.js';

/** Options of {@link startRelay}. */
export interface RelayOptions {
  readonly upstream: { readonly address: string; readonly port: number };
  /** Share of datagrams dropped in each direction, in [0, 1]. */
  readonly loss: number;
  readonly seed: number;
  /** Drop this many client datagrams first, whatever the seed (default 0). */
  readonly dropFirst?: number;
  /** Hold each datagram this many ms, each way (default 0). */
  readonly latency?: number;
}

/** What the relay did. */
export interface RelayStats {
  toServer: number;
  toClient: number;
  droppedToServer: number;
  droppedToClient: number;
  tcpConnections: number;
}

/** A running relay. */
export interface LossyRelay {
  readonly address: string;
  readonly port: number;
  readonly stats: RelayStats;
  close(): Promise<void>;
}

/** Start a relay on 127.0.0.1 in front of `upstream`, UDP and TCP on one free port. */
export async function startRelay(o: RelayOptions): Promise<LossyRelay> {
  const host = '127.0.0.1';
  const up = new Prng(o.seed).fork('to server');
  const down = new Prng(o.seed).fork('to client');
  const stats: RelayStats = { toServer: 0, toClient: 0, droppedToServer: 0, droppedToClient: 0, tcpConnections: 0 };
  let first = o.dropFirst ?? 0;
  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((client) => relayTcp(client, o.upstream, sockets, stats));
  const main = await bindBoth(host, tcp);
  const port = main.address().port;
  const upstreams = new Map<string, dgram.Socket>();
  const delay = delayer(o.latency ?? 0);
  const toServer = (client: dgram.RemoteInfo): dgram.Socket => {
    const key = `${client.address} ${client.port}`;
    let s = upstreams.get(key);
    if (s === undefined) {
      const socket = dgram.createSocket('udp4');
      socket.on('message', (msg, from) => {
        if (from.port !== o.upstream.port || from.address !== o.upstream.address) return;
        stats.toClient++;
        if (down.chance(o.loss)) stats.droppedToClient++;
        else delay.later(() => main.send(msg, client.port, client.address));
      });
      upstreams.set(key, socket);
      s = socket;
    }
    return s;
  };
  main.on('message', (msg, rinfo) => {
    stats.toServer++;
    const drop = first > 0 ? (first--, true) : up.chance(o.loss);
    if (drop) stats.droppedToServer++;
    else delay.later(() => toServer(rinfo).send(msg, o.upstream.port, o.upstream.address));
  });
  return {
    address: host, port, stats,
    close: () => new Promise<void>((resolve) => {
      delay.clear();
      for (const s of sockets) s.destroy();
      for (const s of upstreams.values()) s.close();
      main.close();
      tcp.close(() => resolve());
    }),
  };
}

/** Runs sends `latency` ms later (at once for 0); `clear` drops those not yet run. */
function delayer(latency: number): { later(send: () => void): void; clear(): void } {
  const pending = new Set<NodeJS.Timeout>();
  return {
    later: (send) => {
      if (latency <= 0) return send();
      const t = setTimeout(() => {
        pending.delete(t);
        send();
      }, latency);
      pending.add(t);
    },
    clear: () => {
      for (const t of pending) clearTimeout(t);
      pending.clear();
    },
  };
}

/** Pipe one TCP connection to the upstream and back. */
function relayTcp(client: net.Socket, upstream: RelayOptions['upstream'], sockets: Set<net.Socket>, stats: RelayStats): void {
  stats.tcpConnections++;
  const server = net.connect(upstream.port, upstream.address);
  for (const s of [client, server]) {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {
      client.destroy();
      server.destroy();
    });
  }
  client.pipe(server);
  server.pipe(client);
}
