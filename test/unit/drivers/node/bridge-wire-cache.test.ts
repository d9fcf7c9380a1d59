/** The bridge's wire cache in place: hits skip the upstream and the core, failures are not kept, `cache: false` turns it off. */
import http2 from 'node:http2';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDohServer, type DohServer } from '../../../../src/node.js';
import { encodeMessage, type Message, type MessageInput } from '../../../../src/codec.js';
import { decode } from '../../../helpers/decode.js';
import { base64urlEncode } from '../../../../src/core/codec/base-n.js';
import { reply, startResponder, type Responder } from './responder.js';

let upstream: Responder;
const bridges: DohServer[] = [];

beforeAll(async () => {
  upstream = await startResponder((q) => {
    const name = q.questions?.[0]?.name ?? '';
    if (name.startsWith('servfail')) return reply(q, {}, 2);
    return reply(q, { answers: [{ name, type: 'A', ttl: 300, data: '192.0.2.1' }] });
  });
});

afterAll(async () => {
  for (const b of bridges) await b.close();
  await upstream.close();
});

async function bridge(options: { cache?: boolean; failureTtl?: number } = {}): Promise<{ b: DohServer; url: string }> {
  const b = createDohServer({ upstreams: [upstream.server], timeout: 50, tries: 1, ...options });
  bridges.push(b);
  return { b, url: (await b.listen()).url };
}

function query(name: string, extra: Partial<MessageInput> = {}): Uint8Array {
  return encodeMessage({ id: 0, flags: { rd: true }, questions: [{ name, type: 1, class: 1 }], ...extra });
}


async function get(url: string, q: Uint8Array): Promise<{ m: Message; cacheControl: string | null }> {
  const res = await fetch(`${url}?dns=${base64urlEncode(q)}`);
  expect(res.status).toBe(200);
  return { m: decode(new Uint8Array(await res.arrayBuffer())), cacheControl: res.headers.get('cache-control') };
}

function h2post(url: string, q: Uint8Array): Promise<Message> {
  const u = new URL(url);
  const s = http2.connect(u.origin);
  return new Promise<Message>((resolve, reject) => {
    const req = s.request({ ':method': 'POST', ':path': u.pathname, 'content-type': 'application/dns-message' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(decode(Buffer.concat(chunks))));
    req.on('error', reject);
    req.end(Buffer.from(q));
  }).finally(() => s.close());
}

/** One DNS message over TCP to the bridge's port (RFC 7766 framing). */
function overTcp(port: number, q: Uint8Array): Promise<Message> {
  return new Promise<Message>((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let got = Buffer.alloc(0);
    sock.on('data', (c: Buffer) => {
      got = Buffer.concat([got, c]);
      if (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) {
        sock.destroy();
        resolve(decode(got.subarray(2, 2 + got.readUInt16BE(0))));
      }
    });
    sock.on('error', reject);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(q.length);
    sock.write(Buffer.concat([len, q]));
  });
}

describe('the bridge\'s wire cache', () => {
  it('answers the same question again without the upstream or the core: ID and case of the asker, AA kept, over HTTP/1.1, HTTP/2 and TCP', async () => {
    const { b, url } = await bridge();
    const first = await get(url, query('wire.test'));
    expect(first.m.flags.aa).toBe(true);
    expect(first.cacheControl).toBe('max-age=300');
    const asked = upstream.udpQueries + upstream.tcpQueries;
    const started = b.loop.core.stats.queriesStarted;
    const again = await get(url, query('WIRE.test', { id: 0x4321 }));
    expect(again.m.id).toBe(0x4321);
    expect(again.m.questions[0]?.name).toBe('WIRE.test');
    expect(again.m.flags.aa).toBe(true);
    expect(again.m.answers[0]?.data).toBe('192.0.2.1');
    expect(Number(again.cacheControl?.slice('max-age='.length))).toBeLessThanOrEqual(300);
    const h2 = await h2post(url, query('wire.TEST', { id: 99 }));
    expect(h2).toMatchObject({ id: 99, flags: { aa: true } });
    const tcp = await overTcp(Number(new URL(url).port), query('Wire.Test', { id: 5 }));
    expect(tcp).toMatchObject({ id: 5, flags: { aa: true } });
    expect(tcp.questions[0]?.name).toBe('Wire.Test');
    expect(upstream.udpQueries + upstream.tcpQueries).toBe(asked);
    expect(b.stats.wireHits).toBe(3);
    // The core was not asked: the hits are the bridge's own, not the core's.
    expect(b.loop.core.stats.queriesStarted).toBe(started);
  });

  it('keeps no failure: a SERVFAIL is asked upstream again', async () => {
    // failureTtl 0: the core remembers no failure either, so the second query must reach the upstream.
    const { b, url } = await bridge({ failureTtl: 0 });
    expect((await get(url, query('servfail.test'))).m.rcode).toBe(2);
    const asked = upstream.udpQueries + upstream.tcpQueries;
    expect((await get(url, query('servfail.test'))).m.rcode).toBe(2);
    expect(b.stats.wireHits).toBe(0);
    expect(upstream.udpQueries + upstream.tcpQueries).toBe(asked + 1);
  });

  it('is off with cache: false', async () => {
    const { b, url } = await bridge({ cache: false });
    await get(url, query('nocache.test'));
    const asked = upstream.udpQueries + upstream.tcpQueries;
    await get(url, query('nocache.test'));
    expect(b.stats.wireHits).toBe(0);
    expect(upstream.udpQueries + upstream.tcpQueries).toBe(asked + 1);
  });

  it('clearCache() empties it with the core\'s cache', async () => {
    const { b, url } = await bridge();
    await get(url, query('clear.test'));
    b.clearCache();
    const asked = upstream.udpQueries + upstream.tcpQueries;
    await get(url, query('clear.test'));
    expect(b.stats.wireHits).toBe(0);
    expect(upstream.udpQueries + upstream.tcpQueries).toBe(asked + 1);
  });
});
