/**
 * The Node driver's DNS over TLS (RFC 7858) and DNS over HTTPS/2 (RFC 8484)
 * against Node's own TLS and HTTP/2 servers on loopback, with a certificate
 * made for the test: reuse, pipelining, out-of-order answers, padding,
 * authentication (CA, name, pins), resumption, idle close, GOAWAY, and
 * errors that say what failed.
 */
import https from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import packet from 'dns-packet';
import { NodeResolver as Resolver, type NodeResolverOptions, type ServerTransportError } from '../../../../src/node.js';
import { answerA, dohAnswer, makeCert, startDoh, startDot, type DnsHandler, type DotServer } from '../../../helpers/secure-servers.js';
import { reply, startResponder } from './responder.js';
import { rejection } from '../../../helpers/rejection.js';

const cert = makeCert();
const other = makeCert('other.test', ['other.test']);
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function resolver(servers: string[], options: NodeResolverOptions = {}): { r: Resolver; failures: ServerTransportError[] } {
  const failures: ServerTransportError[] = [];
  const r = new Resolver({ resolvConf: false, hostsFile: false, ca: cert.cert, onServerError: (e) => failures.push(e), ...options, servers });
  cleanups.push(() => r.close());
  return { r, failures };
}

async function dot(handler: DnsHandler = (q) => answerA(q)): Promise<DotServer> {
  const s = await startDot(cert, handler);
  cleanups.push(() => s.close());
  return s;
}

const padOption = (raw: Buffer): boolean =>
  (packet.decode(raw).additionals ?? []).some((a) => a.type === 'OPT' && (a as { options?: { code: number }[] }).options?.some((o) => o.code === 12));

describe('DNS over TLS', () => {
  it('pipelines many queries on one connection, takes answers in any order, pads to 128 and sends the servername', async () => {
    let held: (() => void)[] = [];
    const s = await dot(async (q) => {
      // Hold the first 10 and release them in reverse: answers come out of order.
      await new Promise<void>((resolve) => { held.push(resolve); if (held.length === 10) { const h = held; held = []; h.reverse().forEach((f) => f()); } });
      return answerA(q);
    });
    const { r } = resolver([`tls://127.0.0.1:${s.port}#dns.test`]);
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) => r.resolve4(`n${i}.test`)));
    expect(all.every((a) => a[0] === '192.0.2.1')).toBe(true);
    expect(s.connections).toHaveLength(1);
    expect(s.connections[0]).toMatchObject({ servername: 'dns.test' });
    expect(s.queries.every((q) => q.length % 128 === 0 && padOption(q))).toBe(true);
    expect(r.getServers()).toEqual([`tls://127.0.0.1:${s.port}#dns.test`]);
  });

  it('sends queries unpadded with padding: false', async () => {
    const s = await dot();
    const { r } = resolver([`tls://127.0.0.1:${s.port}`], { padding: false });
    await r.resolve4('a.test');
    expect(padOption(s.queries[0]!)).toBe(false);
  });

  it('refuses a certificate it cannot verify, says why, and never sends the query', async () => {
    const s = await dot();
    const { r, failures } = resolver([`tls://127.0.0.1:${s.port}#dns.test`], { ca: other.cert });
    const e = await rejection(r.resolve4('a.test'));
    expect(e).toMatchObject({ code: 'ECONNREFUSED' });
    expect(String((e.cause as Error).message)).toMatch(/TLS handshake failed/);
    expect(failures[0]).toMatchObject({ reason: 'tls', code: 'ECONNREFUSED' });
    expect(s.queries).toHaveLength(0);
  });

  it('checks the servername against the certificate', async () => {
    const s = await dot();
    const { r, failures } = resolver([`tls://127.0.0.1:${s.port}#wrong.test`]);
    await rejection(r.resolve4('a.test'));
    expect(failures[0]!.reason).toBe('tls');
    expect(failures[0]!.message).toMatch(/wrong\.test/);
  });

  it('authenticates by an SPKI pin set alone (RFC 7858 §4.2), and refuses a wrong pin before any query', async () => {
    const s = await dot();
    const good = resolver([`tls://127.0.0.1:${s.port}`], { ca: other.cert, pins: { [`127.0.0.1:${s.port}`]: ['AAAA', cert.pin] } });
    expect(await good.r.resolve4('a.test')).toEqual(['192.0.2.1']);
    const bad = resolver([`tls://127.0.0.1:${s.port}`], { pins: { [`127.0.0.1:${s.port}`]: [other.pin] } });
    await rejection(bad.r.resolve4('b.test'));
    expect(bad.failures[0]).toMatchObject({ reason: 'pin' });
    expect(s.queries).toHaveLength(1);
  });

  it('resumes the TLS session on the next connection, and closes an idle connection', async () => {
    const s = await dot();
    const { r } = resolver([`tls://127.0.0.1:${s.port}`], { secureIdleTimeout: 50 });
    await r.resolve4('a.test');
    for (let i = 0; i < 100 && s.sockets.size > 0; i++) await new Promise((f) => setTimeout(f, 10));
    expect(s.sockets.size).toBe(0);
    await r.resolve4('b.test');
    expect(s.connections).toHaveLength(2);
    expect(s.connections[1]!.resumed).toBe(true);
  });

  it('sends a query again on a fresh connection when the server closed the old one after answering on it', async () => {
    let n = 0;
    let sock: { destroy(): void } | undefined;
    const s = await dot((q) => {
      if (++n === 2) { sock?.destroy(); return 'drop'; }
      return answerA(q);
    });
    const { r, failures } = resolver([`tls://127.0.0.1:${s.port}`], { timeout: 2000 });
    await r.resolve4('a.test');
    sock = [...s.sockets][0];
    expect(await r.resolve4('b.test')).toEqual(['192.0.2.1']);
    expect(failures).toHaveLength(0);
    expect(s.connections).toHaveLength(2);
  });

  it('closes a connection that lost its framing, and moves on', async () => {
    const s = await dot((q) => (packet.decode(packet.encode(q)).questions?.[0]?.name === 'bad.test' ? Buffer.alloc(3) : answerA(q)));
    const { r, failures } = resolver([`tls://127.0.0.1:${s.port}`]);
    await rejection(r.resolve4('bad.test'));
    expect(failures[0]).toMatchObject({ reason: 'framing', code: 'EBADRESP' });
    expect(await r.resolve4('good.test')).toEqual(['192.0.2.1']);
    expect(s.connections).toHaveLength(2);
  });

  it('fails over from a dead TLS server to UDP in one list', async () => {
    const udp = await startResponder((q) => reply(q, { answers: [{ name: q.questions![0]!.name, type: 'A', ttl: 60, class: 'IN', data: '192.0.2.9' }] }));
    cleanups.push(() => udp.close());
    const { r, failures } = resolver(['tls://127.0.0.1:1', udp.server]);
    expect(await r.resolve4('a.test')).toEqual(['192.0.2.9']);
    expect(failures[0]).toMatchObject({ reason: 'connect', code: 'ECONNREFUSED' });
  });
});

describe('DNS over HTTPS/2', () => {
  it('multiplexes queries as streams of one session, padded, over TLS and over h2c', async () => {
    for (const c of [cert, undefined]) {
      const s = await startDoh(c, dohAnswer((q) => answerA(q, '192.0.2.7')));
      cleanups.push(() => s.close());
      const { r } = resolver([s.url]);
      const all = await Promise.all(Array.from({ length: 50 }, (_, i) => r.resolve4(`n${i}.test`)));
      expect(all.every((a) => a[0] === '192.0.2.7')).toBe(true);
      expect(s.sessionCount).toBe(1);
      expect(s.queries.every((q) => q.length % 128 === 0 && q.readUInt16BE(0) === 0)).toBe(true);
    }
  });

  it('moves to a new session after GOAWAY; refused streams are sent again', async () => {
    let n = 0;
    const s = await startDoh(cert, async (q, raw, stream) => {
      if (++n === 3) stream.session?.goaway(0, 0);
      await dohAnswer(() => answerA(q))(q, raw, stream);
    });
    cleanups.push(() => s.close());
    const { r, failures } = resolver([s.url]);
    for (let i = 0; i < 6; i++) expect(await r.resolve4(`n${i}.test`)).toEqual(['192.0.2.1']);
    expect(s.sessionCount).toBe(2);
    expect(failures).toHaveLength(0);
  });

  it('says what failed: HTTP status, content type, ALPN', async () => {
    const status = await startDoh(cert, (_q, _raw, stream) => { stream.respond({ ':status': 503 }); stream.end('busy'); });
    const type = await startDoh(cert, (_q, _raw, stream) => { stream.respond({ ':status': 200, 'content-type': 'text/html' }); stream.end('<html>'); });
    const h1 = https.createServer({ key: cert.key, cert: cert.cert }, (_req, res) => res.end());
    await new Promise<void>((f) => h1.listen(0, '127.0.0.1', f));
    cleanups.push(() => status.close(), () => type.close(), () => new Promise((f) => h1.close(f)));
    const h1url = `https://127.0.0.1:${(h1.address() as { port: number }).port}/dns-query`;
    for (const [url, reason, text] of [[status.url, 'status', /HTTP status 503/], [type.url, 'content-type', /text\/html/], [h1url, 'alpn', /ALPN/]] as const) {
      const { r, failures } = resolver([url]);
      const e = await rejection(r.resolve4('a.test'));
      expect(failures[0]!.reason).toBe(reason);
      expect((e.cause as Error).message).toMatch(text);
    }
  });

  it('cancels the stream of a query that ends, and closes an idle session', async () => {
    const s = await startDoh(cert, () => undefined);
    cleanups.push(() => s.close());
    const { r } = resolver([s.url], { secureIdleTimeout: 100 });
    const e = await rejection(r.resolve4('slow.test', { timeout: 50 }));
    expect(e.code).toBe('ETIMEOUT');
    for (let i = 0; i < 100 && s.sessions.size > 0; i++) await new Promise((f) => setTimeout(f, 10));
    expect(s.sessions.size).toBe(0);
  });
});
