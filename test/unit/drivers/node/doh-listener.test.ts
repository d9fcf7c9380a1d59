/**
 * The bridge's one listener: HTTP/2, HTTP/1.1 and DNS over TLS on one TLS
 * port (ALPN), h2c, HTTP/1.1 and DNS over TCP in clear; padding, AA kept on
 * cached answers; and its limits (issue 18): close() with idle clients,
 * header, idle and body timeouts, the connection cap.
 */
import http2 from 'node:http2';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import packet from 'dns-packet';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDohServer, type DohServer, type DohServerOptions } from '../../../../src/node.js';
import { encodeMessage, type Message, type MessageInput } from '../../../../src/codec.js';
import { decode } from '../../../helpers/decode.js';
import { makeCert } from '../../../helpers/secure-servers.js';
import { reply, startResponder, type Responder } from './responder.js';

const cert = makeCert();
let upstream: Responder;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  upstream = await startResponder((q) => reply(q, { answers: [{ name: q.questions![0]!.name, type: 'A', ttl: 600, class: 'IN', data: '192.0.2.1' }] }));
});
afterAll(() => upstream.close());
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function bridge(options: Partial<DohServerOptions> = {}): Promise<{ b: DohServer; url: URL; port: number }> {
  const b = createDohServer({ upstreams: [upstream.server], ...options });
  const { url, port } = await b.listen();
  cleanups.push(() => b.close());
  return { b, url: new URL(url), port };
}

function query(name: string, extra: Partial<MessageInput> = {}): Buffer {
  return Buffer.from(encodeMessage({ id: 0, flags: { rd: true }, questions: [{ name, type: 1, class: 1 }], ...extra }));
}


/** POST `body` on an HTTP/2 session; the status and body. */
function h2post(session: http2.ClientHttp2Session, path: string, body: Buffer): Promise<{ status: number; data: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/dns-message' });
    let status = 0;
    const chunks: Buffer[] = [];
    req.on('response', (h) => (status = Number(h[':status'])));
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve({ status, data: Buffer.concat(chunks) }));
    req.on('error', reject);
    req.end(body);
  });
}

/** One DNS message over a TLS or TCP stream, framed. */
async function streamQuery(socket: net.Socket, messages: Buffer[]): Promise<Message[]> {
  const out: Message[] = [];
  let buf = Buffer.alloc(0);
  return new Promise((resolve, reject) => {
    socket.on('error', reject);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        out.push(decode(buf.subarray(2, 2 + buf.readUInt16BE(0))));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
        if (out.length === messages.length) resolve(out);
      }
    });
    for (const m of messages) {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(m.length);
      socket.write(Buffer.concat([len, m]));
    }
  });
}

const closed = (s: net.Socket | http2.ClientHttp2Session): Promise<void> => new Promise((f) => (s.destroyed ? f() : s.once('close', () => f())));
const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);

describe('one port, every protocol', () => {
  it('serves HTTP/2, HTTP/1.1 and DNS over TLS on one TLS port (ALPN)', async () => {
    const { url, port } = await bridge({ tls: { key: cert.key, cert: cert.cert } });
    const s = http2.connect(url.origin, { ca: cert.cert });
    cleanups.push(() => s.close());
    const h2 = await h2post(s, url.pathname, query('h2.test'));
    expect(decode(h2.data).answers[0]?.data).toBe('192.0.2.1');
    const h1 = await new Promise<number>((resolve, reject) => {
      const req = https.request(url, { method: 'POST', ca: cert.cert, headers: { 'content-type': 'application/dns-message' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(query('h1.test'));
    });
    expect(h1).toBe(200);
    const dot = tls.connect({ host: '127.0.0.1', port, ca: cert.cert, servername: 'dns.test', ALPNProtocols: ['dot'] });
    cleanups.push(() => dot.destroy());
    const answers = await streamQuery(dot, [query('a.test', { id: 11 }), query('b.test', { id: 22 })]);
    expect(answers.map((m) => m.id).sort()).toEqual([11, 22]);
    expect(dot.alpnProtocol).toBe('dot');
  });

  it('serves h2c, HTTP/1.1 and DNS over TCP in clear, and FORMERR for a message that is no query', async () => {
    const { url, port } = await bridge();
    const s = http2.connect(url.origin);
    cleanups.push(() => s.close());
    expect((await h2post(s, url.pathname, query('h2c.test'))).status).toBe(200);
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/dns-message' }, body: query('h1.test') as Uint8Array<ArrayBuffer> });
    expect(res.status).toBe(200);
    const tcp = net.connect(port, '127.0.0.1');
    cleanups.push(() => tcp.destroy());
    const bad = Buffer.from(encodeMessage({ id: 33, flags: { qr: true }, questions: [{ name: 'x.test', type: 1, class: 1 }] }));
    // The FORMERR goes out at once, before the answer from upstream: answers in any order (RFC 7766 §6.2.1.1).
    const [f, a] = (await streamQuery(tcp, [query('tcp.test', { id: 7 }), bad])).sort((x, y) => y.id - x.id);
    expect(a).toMatchObject({ id: 7, rcode: 0 });
    expect(f).toMatchObject({ id: 33, rcode: 1 });
  });
});

describe('answers', () => {
  it('pads answers to padded queries to 468-byte blocks (RFC 8467), and only those', async () => {
    const { url } = await bridge();
    const s = http2.connect(url.origin);
    cleanups.push(() => s.close());
    const padded = await h2post(s, url.pathname, query('pad.test', { edns: { payload: 1232, options: [{ code: 12, data: new Uint8Array(60) }] } }));
    expect(padded.data.length % 468).toBe(0);
    expect(decode(padded.data).edns?.options.some((o) => o.code === 12)).toBe(true);
    const plain = await h2post(s, url.pathname, query('pad.test', { edns: { payload: 1232 } }));
    expect(plain.data.length % 468).not.toBe(0);
    expect(decode(plain.data).edns?.options).toEqual([]);
  });

  it('keeps AA on an answer from the cache', async () => {
    const { b, url } = await bridge();
    const s = http2.connect(url.origin);
    cleanups.push(() => s.close());
    const first = decode((await h2post(s, url.pathname, query('aa.test'))).data);
    const before = b.stats.wireHits;
    const second = decode((await h2post(s, url.pathname, query('AA.test'))).data);
    // The bridge's wire cache answered it (the core is not asked again).
    expect(b.stats.wireHits).toBe(before + 1);
    expect(first.flags.aa).toBe(true);
    expect(second.flags.aa).toBe(true);
    expect(second.questions[0]?.name).toBe('AA.test');
  });
});

describe('limits', () => {
  it('close() ends idle HTTP/2 and DNS-stream clients, and returns', async () => {
    const { b, url, port } = await bridge();
    const s = http2.connect(url.origin);
    s.on('error', () => undefined);
    await h2post(s, url.pathname, query('idle.test'));
    const tcp = net.connect(port, '127.0.0.1');
    tcp.on('error', () => undefined);
    await streamQuery(tcp, [query('idle2.test')]);
    await within(b.close(), 2000, 'close()');
    await within(Promise.all([closed(s), closed(tcp)]), 2000, 'clients closed');
  });

  it('closes a connection that sends nothing within headerTimeout, and an HTTP/2 session idle for idleTimeout despite PINGs', async () => {
    const { b, url, port } = await bridge({ headerTimeout: 100, idleTimeout: 200 });
    const silent = net.connect(port, '127.0.0.1');
    silent.on('error', () => undefined);
    await within(closed(silent), 1000, 'silent connection closed');
    const s = http2.connect(url.origin);
    s.on('error', () => undefined);
    await h2post(s, url.pathname, query('ping.test'));
    // The session may be destroyed between two ticks, before its 'close' event; ping() then throws.
    const pinger = setInterval(() => {
      if (!s.destroyed && !s.closed) s.ping(() => undefined);
    }, 50);
    try {
      await within(closed(s), 2000, 'idle session closed');
    } finally {
      clearInterval(pinger);
    }
    expect(b.listenerStats.timedOut).toBe(2);
  });

  it('answers 408 to an HTTP/2 body that never ends, and closes an HTTP/1 body that trickles', async () => {
    const { url, port } = await bridge({ bodyTimeout: 150 });
    const s = http2.connect(url.origin);
    cleanups.push(() => s.close());
    const status = await within(new Promise<number>((resolve) => {
      const req = s.request({ ':method': 'POST', ':path': url.pathname, 'content-type': 'application/dns-message' });
      req.on('response', (h) => resolve(Number(h[':status'])));
      req.on('error', () => resolve(-1));
      req.write(query('slow.test').subarray(0, 5));
    }), 2000, 'HTTP/2 body timeout');
    expect(status).toBe(408);
    const h1 = net.connect(port, '127.0.0.1');
    h1.on('error', () => undefined);
    h1.write(`POST ${url.pathname} HTTP/1.1\r\nhost: x\r\ncontent-type: application/dns-message\r\ntransfer-encoding: chunked\r\n\r\n1\r\nA\r\n`);
    const tick = setInterval(() => h1.write('1\r\nA\r\n'), 40);
    try {
      await within(closed(h1), 2000, 'HTTP/1 trickled body cut');
    } finally {
      clearInterval(tick);
    }
  });

  it('at the connection cap closes the idle connection longest first, and refuses when none is idle', async () => {
    const { b, url, port } = await bridge({ maxConnections: 2 });
    const idle = net.connect(port, '127.0.0.1');
    idle.on('error', () => undefined);
    await new Promise((f) => idle.once('connect', f));
    const s = http2.connect(url.origin);
    cleanups.push(() => s.close());
    await h2post(s, url.pathname, query('busy.test'));
    const third = http2.connect(url.origin);
    cleanups.push(() => third.close());
    expect((await h2post(third, url.pathname, query('third.test'))).status).toBe(200);
    await within(closed(idle), 1000, 'idle one evicted');
    expect(b.listenerStats.evicted).toBe(1);
    expect(s.remoteSettings.maxConcurrentStreams).toBe(100);
    // Both busy (a body still coming on each): the next connection is refused.
    for (const session of [s, third]) {
      const req = session.request({ ':method': 'POST', ':path': url.pathname, 'content-type': 'application/dns-message' });
      req.on('error', () => undefined);
      req.write(Buffer.alloc(2));
    }
    await new Promise((f) => setTimeout(f, 50));
    const refused = net.connect(port, '127.0.0.1');
    refused.on('error', () => undefined);
    await within(closed(refused), 1000, 'refused at the cap');
    expect(b.listenerStats.refused).toBe(1);
  });

  it('closes a session that resets streams past maxResetsPerSecond and refuses its address for abuseCooldown (rapid reset)', async () => {
    const { b, url, port } = await bridge({ maxResetsPerSecond: 50, abuseCooldown: 60_000 });
    const frame = (type: number, flags: number, id: number, payload: Buffer): Buffer => {
      const h = Buffer.alloc(9);
      h.writeUIntBE(payload.length, 0, 3);
      h[3] = type;
      h[4] = flags;
      h.writeUInt32BE(id, 5);
      return Buffer.concat([h, payload]);
    };
    // POST /dns-query (HPACK static entries 3, 6, literal :path and :authority) whose body never comes, then RST_STREAM CANCEL, 200 times.
    const headers = Buffer.concat([Buffer.from([0x83, 0x86, 0x04, 10]), Buffer.from('/dns-query'), Buffer.from([0x01, 1]), Buffer.from('b'), Buffer.from([0x0f, 0x10, 23]), Buffer.from('application/dns-message')]);
    const out = [Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), frame(4, 0, 0, Buffer.alloc(0))];
    for (let i = 0, id = 1; i < 200; i++, id += 2) out.push(frame(1, 0x4, id, headers), frame(3, 0, id, Buffer.from([0, 0, 0, 8])));
    const attacker = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' }, () => attacker.write(Buffer.concat(out)));
    attacker.on('error', () => undefined);
    attacker.on('data', () => undefined);
    await within(closed(attacker), 2000, 'the resetting session closed');
    expect(b.listenerStats.abusive).toBe(1);
    const again = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' });
    again.on('error', () => undefined);
    await within(closed(again), 1000, 'its address refused');
    const other = http2.connect(url.origin);
    cleanups.push(() => other.close());
    expect((await h2post(other, url.pathname, query('legit.test'))).status).toBe(200);
  });

  it('refuses connections from one address beyond maxConnectionsPerAddress, and not from another', async () => {
    const { b, url, port } = await bridge({ maxConnectionsPerAddress: 2 });
    const open = [net.connect(port, '127.0.0.1'), net.connect(port, '127.0.0.1')];
    for (const s of open) {
      s.on('error', () => undefined);
      cleanups.push(() => s.destroy());
      await new Promise((f) => s.once('connect', f));
    }
    const third = net.connect(port, '127.0.0.1');
    third.on('error', () => undefined);
    await within(closed(third), 1000, 'third from 127.0.0.1 refused');
    // Linux routes all of 127/8 to lo: another host, as far as the bridge can tell.
    const other = http2.connect(url.origin, { localAddress: '127.0.0.2' } as http2.SecureClientSessionOptions);
    cleanups.push(() => other.close());
    expect((await h2post(other, url.pathname, query('other.test'))).status).toBe(200);
    expect(b.listenerStats.refused).toBe(1);
  });
});
