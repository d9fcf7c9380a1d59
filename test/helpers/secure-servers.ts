/**
 * Test servers for the encrypted transports, on loopback: a self-signed
 * certificate made by `openssl` for the test, a DNS-over-TLS server
 * (`node:tls`, RFC 7858 framing) and a DoH server (`node:http2`), each
 * answering through a handler the test supplies and recording what it saw.
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import packet from 'dns-packet';

export interface TestCert {
  readonly key: Buffer;
  readonly cert: Buffer;
  /** base64 SHA-256 of the certificate's SubjectPublicKeyInfo (RFC 7469 pin-sha256). */
  readonly pin: string;
}

/** A self-signed certificate for `names` (DNS names) and 127.0.0.1, ::1 (IP SANs). */
export function makeCert(cn = 'dns.test', names: readonly string[] = ['dns.test']): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'transports-cert-'));
  try {
    const san = [...names.map((n) => `DNS:${n}`), 'IP:127.0.0.1', 'IP:::1'].join(',');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', `/CN=${cn}`, '-addext', `subjectAltName=${san}`,
    ], { stdio: 'ignore' });
    const key = readFileSync(join(dir, 'key.pem'));
    const cert = readFileSync(join(dir, 'cert.pem'));
    const spki = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
    return { key, cert, pin: createHash('sha256').update(spki).digest('base64') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type DnsHandler = (q: packet.Packet, raw: Buffer) => packet.Packet | Buffer | 'drop' | Promise<packet.Packet | Buffer | 'drop'>;

/** A response to `q` with A `data` for its name. */
export function answerA(q: packet.Packet, data = '192.0.2.1'): packet.Packet {
  const name = q.questions?.[0]?.name ?? '';
  return {
    id: q.id, type: 'response', flags: packet.AUTHORITATIVE_ANSWER | packet.RECURSION_DESIRED, questions: q.questions,
    answers: [{ name, type: 'A', ttl: 60, class: 'IN', data }],
  } as packet.Packet;
}

async function respond(handler: DnsHandler, raw: Buffer): Promise<Buffer | undefined> {
  const r = await handler(packet.decode(raw), raw);
  if (r === 'drop') return undefined;
  return Buffer.isBuffer(r) ? r : packet.encode(r);
}

export interface DotServer {
  readonly port: number;
  /** Raw queries as received, in order. */
  readonly queries: Buffer[];
  /** Connections accepted, with the SNI each sent and whether its session was resumed. */
  readonly connections: { servername: string | false; resumed: boolean; alpn: string | false }[];
  readonly sockets: Set<tls.TLSSocket>;
  close(): Promise<void>;
}

/** A DNS-over-TLS server: 2-byte framing, each query answered by `handler` as soon as it resolves. */
export async function startDot(cert: TestCert, handler: DnsHandler, opts: tls.TlsOptions = {}): Promise<DotServer> {
  const queries: Buffer[] = [];
  const connections: DotServer['connections'] = [];
  const sockets = new Set<tls.TLSSocket>();
  const server = tls.createServer({ key: cert.key, cert: cert.cert, ...opts }, (sock) => {
    connections.push({ servername: sock.servername ?? false, resumed: sock.isSessionReused(), alpn: sock.alpnProtocol ?? false });
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const raw = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + raw.length);
        queries.push(Buffer.from(raw));
        void respond(handler, raw).then((out) => {
          if (out === undefined || sock.destroyed) return;
          const len = Buffer.alloc(2);
          len.writeUInt16BE(out.length);
          sock.write(Buffer.concat([len, out]));
        });
      }
    });
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port, queries, connections, sockets,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface DohTestServer {
  readonly port: number;
  readonly url: string;
  readonly queries: Buffer[];
  readonly sessions: Set<http2.ServerHttp2Session>;
  /** Sessions accepted in all. */
  sessionCount: number;
  close(): Promise<void>;
}

export type DohRespond = (q: packet.Packet, raw: Buffer, stream: http2.ServerHttp2Stream) => void | Promise<void>;

/** A DoH server over HTTP/2 (TLS, or h2c without `cert`); `respond` may write anything on the stream. */
export async function startDoh(cert: TestCert | undefined, onQuery: DohRespond): Promise<DohTestServer> {
  const queries: Buffer[] = [];
  const sessions = new Set<http2.ServerHttp2Session>();
  const server = cert === undefined ? http2.createServer() : http2.createSecureServer({ key: cert.key, cert: cert.cert });
  const state = { sessionCount: 0 };
  server.on('session', (s) => {
    state.sessionCount++;
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
    s.on('error', () => undefined);
  });
  server.on('stream', (stream) => {
    stream.on('error', () => undefined);
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks);
      queries.push(raw);
      void onQuery(packet.decode(raw), raw, stream);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port, url: `${cert === undefined ? 'http' : 'https'}://127.0.0.1:${port}/dns-query`, queries, sessions,
    get sessionCount() { return state.sessionCount; },
    async close() {
      for (const s of sessions) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  } as DohTestServer;
}

/** Answer a DoH stream with `handler`'s message (200, application/dns-message). */
export function dohAnswer(handler: DnsHandler): DohRespond {
  return async (_q, raw, stream) => {
    const out = await respond(handler, raw);
    if (out === undefined || stream.destroyed) return;
    stream.respond({ ':status': 200, 'content-type': 'application/dns-message', 'content-length': out.length });
    stream.end(out);
  };
}
