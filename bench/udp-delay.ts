/**
 * A UDP forwarder on loopback that delays every datagram by `latency` ms each
 * way, for the real-socket loss bench: client → lossy relay → this → server
 * gives the relay's loss and this delay, as a link with both would. One
 * upstream socket per client, so replies find their way back.
 */
import dgram from 'node:dgram';

/** A running forwarder. */
export interface UdpDelay {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Start a forwarder on 127.0.0.1 in front of `upstream`. */
export async function startDelay(upstream: { readonly address: string; readonly port: number }, latency: number): Promise<UdpDelay> {
  const main = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => main.bind(0, '127.0.0.1', resolve));
  const peers = new Map<string, dgram.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (f: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      f();
    }, latency);
    timers.add(t);
  };
  main.on('message', (msg, from) => {
    const key = `${from.address} ${from.port}`;
    let up = peers.get(key);
    if (up === undefined) {
      const socket = dgram.createSocket('udp4');
      socket.on('message', (reply) => later(() => main.send(reply, from.port, from.address)));
      socket.on('error', () => undefined);
      peers.set(key, socket);
      up = socket;
    }
    const s = up;
    later(() => s.send(msg, upstream.port, upstream.address));
  });
  main.on('error', () => undefined);
  return {
    address: '127.0.0.1', port: main.address().port,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of peers.values()) s.close();
      await new Promise<void>((resolve) => main.close(() => resolve()));
    },
  };
}
