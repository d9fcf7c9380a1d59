/**
 * Issue 18: the DoH bridge used to die (uncaught ERR_SOCKET_DGRAM_NOT_RUNNING)
 * when its upstream was down: ICMP port unreachable failed a UDP socket's
 * queries before the socket left the pool, the core sent them again on it,
 * and it was closed under them. Every client must get SERVFAIL instead, and
 * an uncaught exception fails this file (vitest reports it).
 */
import dgram from 'node:dgram';
import http2 from 'node:http2';
import packet from 'dns-packet';
import { expect, it } from 'vitest';
import { NodeTransport, createDohServer } from '../../../../src/node.js';
import type { Transmit } from '../../../../src/index.js';
import { encodeMessage } from '../../../../src/codec.js';
import type { CoreLoop } from '../../../../src/api/loop.js';

async function closedPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((f) => s.bind(0, '127.0.0.1', f));
  const port = s.address().port;
  await new Promise<void>((f) => s.close(() => f()));
  return port;
}

it('answers SERVFAIL to 200 HTTP/2 clients with 10 queries each while its upstream port is closed', async () => {
  const bridge = createDohServer({ upstreams: [`127.0.0.1:${await closedPort()}`], timeout: 300, tries: 2 });
  const { url } = await bridge.listen();
  const u = new URL(url);
  const rcodes: number[] = [];
  const client = (i: number): Promise<void> => new Promise((resolve) => {
    const c = http2.connect(u.origin);
    c.on('error', () => undefined);
    let pending = 10;
    for (let k = 0; k < 10; k++) {
      const st = c.request({ ':method': 'POST', ':path': u.pathname, 'content-type': 'application/dns-message' });
      const chunks: Buffer[] = [];
      st.on('data', (d: Buffer) => chunks.push(d));
      st.on('error', () => undefined);
      st.on('close', () => {
        let rcode = -1;
        try {
          rcode = (packet.decode(Buffer.concat(chunks)).flags ?? 0) & 0x0f;
        } catch {
          // a cut or garbled answer counts as a wrong one
        }
        rcodes.push(rcode);
        if (--pending === 0) {
          c.close();
          resolve();
        }
      });
      st.end(Buffer.from(encodeMessage({ id: 0, flags: { rd: true }, questions: [{ name: `n${i}-${k}.test`, type: 1, class: 1 }] })));
    }
  });
  try {
    await Promise.all(Array.from({ length: 200 }, (_, i) => client(i)));
  } finally {
    await bridge.close();
  }
  expect(rcodes).toHaveLength(2000);
  expect(rcodes.every((r) => r === 2)).toBe(true);
  expect(bridge.stats.servfail).toBe(2000);
});

it('never writes on a UDP socket closed while its failed queries were being handed back', async () => {
  const port = await closedPort();
  const peer = { transport: 'udp' as const, address: '127.0.0.1', port };
  const data = encodeMessage({ id: 1, questions: [{ name: 'a.test', type: 1, class: 1 }] });
  const transport = new NodeTransport({ udpPoolSize: 1 });
  const failed: number[] = [];
  // A query to another, silent server stays in flight, so the transport keeps its sockets.
  const silent = dgram.createSocket('udp4');
  await new Promise<void>((f) => silent.bind(0, '127.0.0.1', f));
  const other = { transport: 'udp' as const, address: '127.0.0.1', port: silent.address().port };
  let next = 2;
  // Plays the core: a failure ends that query (its socket may close) and another query is sent at once.
  const loop = {
    fail(t: Transmit): void {
      failed.push(t.handle);
      transport.finished(t.handle);
      if (next <= 4) transport.send([{ data, peer, handle: next, token: next++ }]);
    },
    receive(): void {},
  };
  transport.attach(loop as unknown as CoreLoop);
  transport.send([{ data, peer: other, handle: 100, token: 100 }, { data, peer, handle: 1, token: 1 }]);
  for (let i = 0; i < 200 && failed.length < 4; i++) await new Promise((f) => setTimeout(f, 10));
  transport.close();
  silent.close();
  expect(failed).toEqual([1, 2, 3, 4]);
});
