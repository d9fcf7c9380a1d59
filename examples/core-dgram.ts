import dgram from 'node:dgram';
import { webcrypto } from 'node:crypto';
import { Resolver } from 'sansdns';

const [name = 'example.com', type = 'A', server = '127.0.0.1:53'] = process.argv.slice(2);
const core = new Resolver({ servers: [server], random: (bytes) => webcrypto.getRandomValues(bytes) });
const socket = dgram.createSocket(server.startsWith('[') ? 'udp6' : 'udp4');
let timer: NodeJS.Timeout | undefined;
const drain = (): void => {
  const { transmits, events, deadline } = core.poll();
  for (const t of transmits) if (t.peer.transport === 'udp') socket.send(t.data, t.peer.port, t.peer.address);
  for (const e of events) {
    if (e.kind === 'answer') for (const r of e.message.answers) console.log(r.name, r.ttl, r.type, r.data);
    if (e.kind === 'error') console.log('error:', e.code);
    if (e.kind !== 'trace') socket.close(); // one query, one final event
  }
  clearTimeout(timer);
  if (deadline !== undefined) timer = setTimeout(() => (core.handleTimeout(performance.now()), drain()), deadline - performance.now());
};
socket.on('message', (data, { address, port }) => {
  core.handleDatagrams(performance.now(), [{ data, peer: { transport: 'udp', address, port } }]);
  drain();
});
core.query(performance.now(), name, type);
drain();
