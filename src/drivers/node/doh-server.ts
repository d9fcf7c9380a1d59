/**
 * The DoH bridge: DNS over HTTPS in front (RFC 8484, Node `http`, `https`
 * or `http2`), the core over UDP/TCP behind, to configured upstreams.
 *
 * Each request is checked before anything is forwarded:
 * - path (404), method (405; `OPTIONS` answers a CORS preflight when `cors`
 *   is on), `Content-Type: application/dns-message` on a POST (415), body or
 *   `dns` parameter size (413), strict unpadded base64url on a GET (400),
 *   and a well-formed query (400): it decodes, QR=0, one question, no
 *   answer or authority records, a name, type and class the core accepts.
 *   A query with an opcode other than QUERY gets NOTIMP in a 200.
 * - The question is resolved through the core (retries, failover, TC→TCP,
 *   EDNS fallback, strict matching), with the client's CD and DO bits.
 * - The answer is re-encoded for the client: its ID (0 for RFC 8484
 *   clients) and its question as written (case included), its RD bit, an
 *   OPT record only when the query had one (RFC 6891 §7). `Cache-Control:
 *   max-age` is the smallest TTL in the message, a negative answer's SOA
 *   capped by its MINIMUM (RFC 8484 §5.1, RFC 2308 §5).
 * - When the upstreams fail (timeout, SERVFAIL, REFUSED, garbage), the
 *   client gets SERVFAIL in a 200 with `Cache-Control: no-store`
 *   (RFC 8484 §4.2.1: DNS errors travel in 2xx responses).
 * - A client that goes away cancels its query.
 */
import http from 'node:http';
import https from 'node:https';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { isDnsError } from '../../core/errors.js';
import { decodeMessage, encodeMessage } from '../../core/codec/index.js';
import type { DnsRecord, Message, MessageInput } from '../../core/codec/types.js';
import type { ServerInput } from '../../core/types.js';
import { coreOptions, type PromiseResolverOptions } from '../../api/options.js';
import { serversFromNode } from '../../api/servers.js';
import { recordingCore } from '../../trace/recorder.js';
import { CoreLoop, type FinalEvent } from '../../api/loop.js';
import { base64urlDecode } from '../../core/codec/base-n.js';
import { DNS_MESSAGE, isDnsMessageType } from '../../core/codec/doh.js';
import { cryptoRandom } from '../platform.js';
import { NodeTransport, type NodeTransportOptions } from './transport.js';

/** Options of the DoH bridge. */
export interface DohServerOptions extends Omit<PromiseResolverOptions, 'servers'>, NodeTransportOptions {
  /** Upstream DNS servers, in Node's syntax (`127.0.0.1`, `[::1]:5353`, `tcp://…`) or as objects. Required. */
  readonly upstreams: readonly (string | ServerInput)[];
  /** The path of the endpoint (default `/dns-query`). */
  readonly path?: string;
  /** Largest query accepted, in bytes of DNS message (default 4096). */
  readonly maxQuerySize?: number;
  /** Answer CORS: `true` for any origin (`*`), or one origin. Default off. */
  readonly cors?: boolean | string;
  /** Serve HTTP/2: with `tls`, over TLS (HTTP/1.1 allowed too); without, cleartext h2c. Default false. */
  readonly http2?: boolean;
  /** Serve over TLS (`key`, `cert`, ... as for `https.createServer`). */
  readonly tls?: https.ServerOptions;
}

/** Counters of the bridge since it was built. */
export interface DohServerStats {
  requests: number;
  /** Refused before anything was forwarded (4xx). */
  rejected: number;
  /** Answered from upstream (any answer rcode). */
  answered: number;
  /** Upstream failed: SERVFAIL sent. */
  servfail: number;
}

type Req = http.IncomingMessage | http2.Http2ServerRequest;
type NodeRes = http.ServerResponse | http2.Http2ServerResponse;
/** What the bridge uses of a response, HTTP/1 or HTTP/2 alike. */
interface Res {
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  end(data?: Uint8Array | string): unknown;
  once(event: 'close', listener: () => void): unknown;
  readonly writableEnded: boolean;
}
type Headers = Record<string, string | number>;

class HttpError {
  constructor(readonly status: number, readonly message: string, readonly headers: Headers = {}) {}
}

const SERVFAIL = 2;
const NOTIMP = 4;

/** The freshness lifetime of a response: its smallest TTL (SOA capped by MINIMUM), or `undefined` without records. */
export function responseMaxAge(m: Message): number | undefined {
  let min: number | undefined;
  const see = (r: DnsRecord, negative: boolean): void => {
    const ttl = negative && r.type === 'SOA' ? Math.min(r.ttl, r.data.minimum) : r.ttl;
    if (min === undefined || ttl < min) min = ttl;
  };
  for (const r of m.answers) see(r, false);
  for (const r of m.authorities) see(r, m.answers.length === 0);
  for (const r of m.additionals) see(r, false);
  return min;
}

/** The query in a request body, checked; throws {@link HttpError} 400. */
export function parseDohQuery(body: Uint8Array, maxSize: number): Message {
  if (body.length === 0) throw new HttpError(400, 'empty DNS message');
  if (body.length > maxSize) throw new HttpError(413, `DNS message of ${body.length} bytes exceeds ${maxSize}`);
  const result = decodeMessage(body, maxSize);
  if (!result.ok) throw new HttpError(400, `malformed DNS message (${result.reason})`);
  const m = result.message;
  if (m.flags.qr) throw new HttpError(400, 'not a query (QR=1)');
  if (m.opcode === 0 && m.questions.length !== 1) throw new HttpError(400, `a query has one question, not ${m.questions.length}`);
  if (m.answers.length > 0 || m.authorities.length > 0) throw new HttpError(400, 'a query has no answer or authority records');
  return m;
}

/** A response to `query` with `rcode` and nothing else (SERVFAIL, NOTIMP). */
export function errorResponse(query: Message, rcode: number): Uint8Array {
  return encodeMessage({
    id: query.id, opcode: query.opcode, rcode,
    flags: { qr: true, rd: query.flags.rd, cd: query.flags.cd, ra: true },
    questions: query.questions,
    edns: query.edns === undefined ? undefined : { payload: 1232, do: query.edns.do },
  });
}

/** The upstream's answer, for the client who asked `query`. */
export function answerFor(query: Message, upstream: Message): Uint8Array {
  const input: MessageInput = {
    id: query.id, opcode: 0, rcode: upstream.rcode,
    flags: { ...upstream.flags, qr: true, tc: false, rd: query.flags.rd, cd: query.flags.cd },
    questions: query.questions,
    answers: upstream.answers, authorities: upstream.authorities, additionals: upstream.additionals,
    // DO is copied from the query (RFC 3225 §3).
    edns: query.edns === undefined ? undefined : { payload: upstream.edns?.payload ?? 1232, do: query.edns.do },
  };
  return encodeMessage(input);
}

async function readBody(req: Req, max: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) throw new HttpError(413, `body of ${declared} bytes exceeds ${max}`, { connection: 'close' });
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > max) throw new HttpError(413, `body exceeds ${max} bytes`, { connection: 'close' });
    chunks.push(chunk);
  }
  const all = Buffer.concat(chunks, total);
  return new Uint8Array(all.buffer, all.byteOffset, all.length);
}

/** A DoH server in front of the core over UDP/TCP. Mount `handler` on your own server, or `listen()`. */
export class DohServer {
  readonly stats: DohServerStats = { requests: 0, rejected: 0, answered: 0, servfail: 0 };
  /** The loop of the core behind the bridge (its `core.stats`, traces). */
  readonly loop: CoreLoop;
  private readonly transport: NodeTransport;
  private readonly path: string;
  private readonly maxQuerySize: number;
  private readonly cors: string | undefined;
  private server: http.Server | https.Server | http2.Http2Server | http2.Http2SecureServer | undefined;

  constructor(private readonly options: DohServerOptions) {
    const servers = serversFromNode(options.upstreams);
    if (servers.length === 0) throw new TypeError('the DoH bridge needs at least one upstream');
    const o = coreOptions(options, servers, cryptoRandom);
    this.transport = new NodeTransport(options);
    this.loop = new CoreLoop(recordingCore(o, options.trace), this.transport);
    this.transport.attach(this.loop);
    this.path = options.path ?? '/dns-query';
    this.maxQuerySize = options.maxQuerySize ?? 4096;
    this.cors = options.cors === true ? '*' : typeof options.cors === 'string' ? options.cors : undefined;
  }

  /** The request handler, for `http.createServer`, `https`, or `http2` (compatibility API). */
  readonly handler = (req: Req, nodeRes: NodeRes): void => {
    const res = nodeRes as unknown as Res;
    this.stats.requests++;
    this.handle(req, res).catch((error: unknown) => {
      if (res.writableEnded) return;
      const e = error instanceof HttpError ? error : new HttpError(500, 'internal error');
      if (e.status >= 400 && e.status < 500) this.stats.rejected++;
      this.reply(res, e.status, { 'content-type': 'text/plain; charset=utf-8', ...e.headers }, `${e.message}\n`);
    });
  };

  /** Listen on `host:port` (default 127.0.0.1, a free port). Resolves with the endpoint's URL. */
  async listen(port = 0, host = '127.0.0.1'): Promise<{ address: string; port: number; url: string }> {
    const o = this.options;
    const handler = this.handler;
    const server = o.http2 === true
      ? o.tls === undefined ? http2.createServer({}, handler) : http2.createSecureServer({ ...(o.tls as http2.SecureServerOptions), allowHTTP1: true }, handler)
      : o.tls === undefined ? http.createServer(handler) : https.createServer(o.tls, handler);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const a = server.address() as AddressInfo;
    const h = a.address.includes(':') ? `[${a.address}]` : a.address;
    return { address: a.address, port: a.port, url: `${o.tls === undefined ? 'http' : 'https'}://${h}:${a.port}${this.path}` };
  }

  /** Stop listening, cancel what is in flight, release the sockets. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.loop.cancelAll();
    this.transport.close();
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
  }

  private reply(res: Res, status: number, headers: Headers, body: Uint8Array | string): void {
    const cors: Headers = this.cors === undefined ? {} : { 'access-control-allow-origin': this.cors, vary: 'origin' };
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    res.writeHead(status, { ...cors, ...headers, 'content-length': length });
    res.end(body);
  }

  private async handle(req: Req, res: Res): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== this.path) throw new HttpError(404, 'not found');
    const body = await this.requestBody(req, url);
    if (body === undefined) {
      this.reply(res, 204, {
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': 'content-type, accept',
        'access-control-max-age': 86400,
      }, '');
      return;
    }
    const query = parseDohQuery(body, this.maxQuerySize);
    if (query.opcode !== 0) return this.sendDns(res, errorResponse(query, NOTIMP), 'no-store');
    const event = await this.resolve(query, res);
    if (res.writableEnded) return;
    if (event === 'overload' || event.kind === 'error') {
      this.stats.servfail++;
      return this.sendDns(res, errorResponse(query, SERVFAIL), 'no-store');
    }
    let wire: Uint8Array;
    try {
      wire = answerFor(query, event.message);
    } catch {
      this.stats.servfail++;
      return this.sendDns(res, errorResponse(query, SERVFAIL), 'no-store');
    }
    this.stats.answered++;
    const age = responseMaxAge(event.message);
    this.sendDns(res, wire, `max-age=${age ?? 0}`);
  }

  /** The DNS message of a GET or POST; `undefined` for a CORS preflight. Throws {@link HttpError}. */
  private async requestBody(req: Req, url: URL): Promise<Uint8Array | undefined> {
    const allow = { allow: this.cors === undefined ? 'GET, POST' : 'GET, POST, OPTIONS' };
    switch (req.method) {
      case 'GET': {
        const dns = url.searchParams.get('dns');
        if (dns === null || dns === '') throw new HttpError(400, 'missing the dns parameter');
        if (dns.length > Math.ceil((this.maxQuerySize * 4) / 3)) throw new HttpError(413, `dns parameter exceeds ${this.maxQuerySize} bytes`);
        const bytes = base64urlDecode(dns);
        if (bytes === undefined) throw new HttpError(400, 'the dns parameter is not unpadded base64url');
        return bytes;
      }
      case 'POST': {
        if (!isDnsMessageType(req.headers['content-type'] ?? null)) {
          throw new HttpError(415, `content type must be ${DNS_MESSAGE}`, { accept: DNS_MESSAGE });
        }
        return readBody(req, this.maxQuerySize);
      }
      case 'OPTIONS':
        if (this.cors !== undefined) return undefined;
        throw new HttpError(405, 'method not allowed', allow);
      default:
        throw new HttpError(405, 'method not allowed', allow);
    }
  }

  /** Resolve through the core; a client that goes away cancels. Caller mistakes become 400. */
  private async resolve(query: Message, res: Res): Promise<FinalEvent | 'overload'> {
    const q = query.questions[0];
    if (q === undefined) throw new HttpError(400, 'no question');
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    try {
      return await this.loop.query(q.name, q.type, {
        class: q.class, checkingDisabled: query.flags.cd, dnssecOk: query.edns?.do === true, signal: gone.signal,
      });
    } catch (error) {
      if (!isDnsError(error)) throw error;
      if (error.code === 'ELIMIT') return 'overload';
      throw new HttpError(400, `query refused: ${error.message}`);
    }
  }

  private sendDns(res: Res, wire: Uint8Array, cacheControl: string): void {
    this.reply(res, 200, { 'content-type': DNS_MESSAGE, 'cache-control': cacheControl }, wire);
  }
}

/** Build a DoH bridge (see {@link DohServer}); call `listen()` or mount `handler`. */
export function createDohServer(options: DohServerOptions): DohServer {
  return new DohServer(options);
}
