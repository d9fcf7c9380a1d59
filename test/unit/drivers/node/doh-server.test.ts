/** The DoH bridge on loopback, in front of a scripted UDP/TCP responder. */
import http2 from 'node:http2';
import packet from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDohServer, type DohServer } from '../../../../src/node.js';
import { decodeMessage, encodeMessage, type Message, type MessageInput } from '../../../../src/codec.js';
import { base64urlEncode } from '../../../../src/core/codec/base-n.js';
import { reply, startResponder, type Responder } from './responder.js';

let upstream: Responder;
let bridge: DohServer;
let url: string;
let slowBridge: DohServer;
let slowUrl: string;

beforeAll(async () => {
  upstream = await startResponder((q) => {
    const name = q.questions?.[0]?.name ?? '';
    if (name === 'servfail.test') return reply(q, {}, 2);
    if (name === 'drop.test') return 'drop';
    if (name === 'nx.test') {
      return reply(q, { authorities: [{ name: 'test', type: 'SOA', ttl: 3600, data: { mname: 'ns.test', rname: 'h.test', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 120 } }] }, 3);
    }
    return reply(q, { answers: [
      { name, type: 'A', ttl: 600, data: '192.0.2.1' },
      { name, type: 'A', ttl: 45, data: '192.0.2.2' },
    ] });
  });
  bridge = createDohServer({ upstreams: [upstream.server], timeout: 50, tries: 2, cors: 'https://app.example' });
  ({ url } = await bridge.listen());
  slowBridge = createDohServer({ upstreams: [upstream.server], http2: true, timeout: 50, tries: 1 });
  ({ url: slowUrl } = await slowBridge.listen());
});

afterAll(async () => {
  await bridge.close();
  await slowBridge.close();
  await upstream.close();
});

function query(name: string, extra: Partial<MessageInput> = {}): Uint8Array {
  return encodeMessage({ id: 0, flags: { rd: true }, questions: [{ name, type: 1, class: 1 }], ...extra });
}

async function post(body: Uint8Array | string, type = 'application/dns-message', target = url): Promise<Response> {
  return fetch(target, { method: 'POST', headers: { 'content-type': type }, body: body as Uint8Array<ArrayBuffer> });
}

async function dns(res: Response): Promise<Message> {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/dns-message');
  const r = decodeMessage(new Uint8Array(await res.arrayBuffer()));
  if (!r.ok) throw new Error(r.reason);
  return r.message;
}

describe('DoH bridge: answers', () => {
  it('POST: resolves over UDP, restores the client ID and question case, max-age from the smallest TTL', async () => {
    const res = await post(query('WwW.Example.TEST', { id: 0x1234 }));
    const m = await dns(res);
    expect(m.id).toBe(0x1234);
    expect(m.flags.qr).toBe(true);
    expect(m.flags.rd).toBe(true);
    expect(m.questions[0]?.name).toBe('WwW.Example.TEST');
    expect(m.answers.map((a) => a.data)).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(m.edns).toBeUndefined(); // the query had no OPT (RFC 6891 §7)
    expect(res.headers.get('cache-control')).toBe('max-age=45');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });

  it('GET with unpadded base64url; ID 0; OPT echoed when the query had one', async () => {
    const wire = query('get.test', { edns: { payload: 4096, do: true } });
    const m = await dns(await fetch(`${url}?dns=${base64urlEncode(wire)}`));
    expect(m.id).toBe(0);
    expect(m.edns?.do).toBe(true);
    expect(m.answers).toHaveLength(2);
  });

  it('NXDOMAIN: max-age is the SOA TTL capped by its MINIMUM (RFC 2308)', async () => {
    const res = await post(query('nx.test'));
    const m = await dns(res);
    expect(m.rcode).toBe(3);
    expect(res.headers.get('cache-control')).toBe('max-age=120');
  });

  it('upstream SERVFAIL or silence: SERVFAIL in a 200, not cached', async () => {
    for (const name of ['servfail.test', 'drop.test']) {
      const res = await post(query(name, { id: 7 }));
      const m = await dns(res);
      expect(m.rcode, name).toBe(2);
      expect(m.id).toBe(7);
      expect(m.questions[0]?.name).toBe(name);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect(bridge.stats.servfail).toBeGreaterThanOrEqual(2);
  });

  it('a query with another opcode gets NOTIMP', async () => {
    const m = await dns(await post(query('x.test', { opcode: 2 })));
    expect(m.rcode).toBe(4);
  });

  it('answers a CORS preflight when cors is on', async () => {
    const res = await fetch(url, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('content-type');
  });

  it('speaks HTTP/2 (h2c)', async () => {
    const u = new URL(slowUrl);
    const session = http2.connect(u.origin);
    try {
      const body = await new Promise<{ status: number; data: Buffer }>((resolve, reject) => {
        const req = session.request({ ':method': 'POST', ':path': u.pathname, 'content-type': 'application/dns-message' });
        let status = 0;
        const chunks: Buffer[] = [];
        req.on('response', (h) => (status = Number(h[':status'])));
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => resolve({ status, data: Buffer.concat(chunks) }));
        req.on('error', reject);
        req.end(Buffer.from(query('h2.test')));
      });
      expect(body.status).toBe(200);
      expect(packet.decode(body.data).answers?.length).toBe(2);
    } finally {
      session.close();
    }
  });
});

describe('DoH bridge: malformed requests are refused with nothing forwarded', () => {
  const cases: Array<[string, () => Promise<Response>, number]> = [
    ['wrong path', () => fetch(url.replace('/dns-query', '/other'), { method: 'POST' }), 404],
    ['wrong method', () => fetch(url, { method: 'PUT', body: 'x' }), 405],
    ['wrong content type', () => post(query('a.test'), 'application/octet-stream'), 415],
    ['no content type', () => fetch(url, { method: 'POST', body: query('a.test') as Uint8Array<ArrayBuffer> }), 415],
    ['oversize body', () => post(new Uint8Array(5000)), 413],
    ['empty body', () => post(new Uint8Array(0)), 400],
    ['garbage body', () => post(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])), 400],
    ['a response (QR=1)', () => post(query('a.test', { flags: { qr: true } })), 400],
    ['two questions', () => post(encodeMessage({ id: 0, questions: [{ name: 'a.test', type: 1, class: 1 }, { name: 'b.test', type: 1, class: 1 }] })), 400],
    ['no question', () => post(encodeMessage({ id: 0 })), 400],
    ['GET without dns=', () => fetch(url), 400],
    ['GET with padded base64', () => fetch(`${url}?dns=${base64urlEncode(query('a.test'))}==`), 400],
    ['GET with standard base64', () => fetch(`${url}?dns=${Buffer.from(query('a.test')).toString('base64').replace(/=+$/, '')}+/`), 400],
    ['GET with a huge dns=', () => fetch(`${url}?dns=${'A'.repeat(6000)}`), 413],
  ];
  for (const [what, send, status] of cases) {
    it(`${what}: ${status}`, async () => {
      const before = upstream.udpQueries + upstream.tcpQueries;
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      await res.text();
      expect(upstream.udpQueries + upstream.tcpQueries).toBe(before);
    });
  }
});
