/**
 * The DoH bridge: DNS over HTTPS in front (RFC 8484), the core over UDP,
 * TCP, TLS or DoH behind, to configured upstreams.
 *
 * `listen()` serves HTTP/2 and HTTP/1.1 over TLS (ALPN) with `tls`, and h2c
 * and HTTP/1.1 in clear without, on one port (`doh-listener.ts`, which also
 * bounds connections, streams, header, idle and body times). HTTP/2
 * requests use Node's stream API: each response is one HEADERS and one DATA
 * frame carrying END_STREAM. `handler` (HTTP/1, or HTTP/2's compatibility
 * API) and `streamHandler` (an `http2` server's `stream` event) mount the
 * bridge on a server of your own.
 *
 * Each request is checked before anything is forwarded:
 * - path (404), method (405; `OPTIONS` answers a CORS preflight when `cors`
 *   is on), `Content-Type: application/dns-message` on a POST (415), body or
 *   `dns` parameter size (413, a declared `Content-Length` before reading),
 *   strict unpadded base64url on a GET (400), and a well-formed query (400):
 *   it decodes, QR=0, one question, no answer or authority records, a name,
 *   type and class the core accepts. An opcode other than QUERY gets NOTIMP.
 * - The question is resolved through the core (retries, failover, TC→TCP,
 *   EDNS fallback, strict matching, cache), with the client's CD and DO bits.
 * - The answer is written for the client (`doh-answer.ts`): its ID and its
 *   question as written, its RD bit, AA as the upstream set it (also when
 *   the core answers from its cache), an OPT record only when the query had
 *   one, padded to 468-byte blocks when the query was padded (RFC 8467).
 *   `Cache-Control: max-age` is the smallest TTL (RFC 8484 §5.1).
 * - When the upstreams fail, the client gets SERVFAIL in a 200 with
 *   `Cache-Control: no-store` (RFC 8484 §4.2.1).
 * - A client that goes away cancels its query.
 */
import type http from 'node:http';
import type http2 from 'node:http2';
import type https from 'node:https';
import { isDnsError } from '../../core/errors.js';
import { settingsFrom } from '../../core/settings.js';
import { STANDARD_POLICIES } from '../../core/policies.js';
import type { Message } from '../../core/codec/types.js';
import type { ServerInput } from '../../core/types.js';
import { coreOptions, type PromiseResolverOptions } from '../../api/options.js';
import { serversFromNode } from '../../api/servers.js';
import { recordingCore } from '../../trace/recorder.js';
import { CoreLoop, type FinalEvent } from '../../api/loop.js';
import { DNS_MESSAGE, isDnsMessageType } from '../../core/codec/doh.js';
import { cryptoRandom } from '../platform.js';
import { NodeTransport, type NodeTransportOptions } from './transport.js';
import {
  AnswerMemo, AuthorityMemo, HttpError, errorResponse, formerrFor, getQueryBytes, parseDohQuery, responseMaxAge, targetPath,
} from './doh-answer.js';
import type { StreamAnswer } from './dns-stream.js';
import { DohListener, type DohLimits, type ListenerStats } from './doh-listener.js';
import { BodyClock } from './body-clock.js';
import { NO_HEADERS, ResponseReply, StreamReply, type Headers, type HttpReply, type Reply } from './doh-reply.js';
import { WireCache } from './wire-cache.js';

export { answerFor, errorResponse, parseDohQuery, responseMaxAge } from './doh-answer.js';

/** Options of the DoH bridge. */
export interface DohServerOptions extends Omit<PromiseResolverOptions, 'servers'>, NodeTransportOptions, DohLimits {
  /** Upstream DNS servers, in Node's syntax (`127.0.0.1`, `[::1]:5353`, `tcp://…`, `tls://…`, `https://…`) or as objects. Required. */
  readonly upstreams: readonly (string | ServerInput)[];
  /** The path of the endpoint (default `/dns-query`). */
  readonly path?: string;
  /** Largest query accepted, in bytes of DNS message (default 4096). */
  readonly maxQuerySize?: number;
  /** Answer CORS: `true` for any origin (`*`), or one origin. Default off. */
  readonly cors?: boolean | string;
  /** Kept for compatibility: `listen()` always serves HTTP/2 and HTTP/1.1 (h2c and HTTP/1.1 without `tls`). */
  readonly http2?: boolean;
  /** Serve over TLS (`key`, `cert`, ... as for `tls.createServer`). */
  readonly tls?: https.ServerOptions;
}

/** Counters of the bridge since it was built. */
export interface DohServerStats {
  requests: number;
  /** Refused before anything was forwarded (4xx). */
  rejected: number;
  /** Answered from upstream or the cache (any answer rcode). */
  answered: number;
  /** Upstream failed: SERVFAIL sent. */
  servfail: number;
  /** Of `answered`: served from the bridge's wire cache, without the core (`wire-cache.ts`). */
  wireHits: number;
}

type Req = http.IncomingMessage | http2.Http2ServerRequest;
type Res = http.ServerResponse | http2.Http2ServerResponse;

/** What a request body is read from: an HTTP/2 stream or an HTTP/1 request. */
interface BodySource {
  on(event: 'data', f: (chunk: Buffer) => void): unknown;
  on(event: 'end', f: () => void): unknown;
  destroy(): unknown;
}

const SERVFAIL = 2;
const NOTIMP = 4;

/** A DoH server in front of the core. `listen()`, or mount `handler` / `streamHandler` on your own server. */
export class DohServer {
  readonly stats: DohServerStats = { requests: 0, rejected: 0, answered: 0, servfail: 0, wireHits: 0 };
  /** The loop of the core behind the bridge (its `core.stats`, traces). */
  readonly loop: CoreLoop;
  private readonly transport: NodeTransport;
  private readonly path: string;
  private readonly maxQuerySize: number;
  private readonly cors: Headers;
  private readonly allow: Headers;
  private readonly aa = new AuthorityMemo(10_000);
  private readonly written = new AnswerMemo(1000);
  private readonly bodies: BodyClock;
  /** Answers as written, by question; off with `cache: false` and with `trace` (every query is then recorded). */
  private readonly wire: WireCache | undefined;
  private listener: DohListener | undefined;

  constructor(private readonly options: DohServerOptions) {
    const servers = serversFromNode(options.upstreams);
    if (servers.length === 0) throw new TypeError('the DoH bridge needs at least one upstream');
    const o = coreOptions(options, servers, cryptoRandom);
    this.transport = new NodeTransport(options);
    this.loop = new CoreLoop(recordingCore(o, options.trace), this.transport);
    this.transport.attach(this.loop);
    this.path = options.path ?? '/dns-query';
    this.maxQuerySize = options.maxQuerySize ?? 4096;
    const origin = options.cors === true ? '*' : typeof options.cors === 'string' ? options.cors : undefined;
    this.cors = origin === undefined ? NO_HEADERS : { 'access-control-allow-origin': origin, vary: 'origin' };
    this.allow = { allow: origin === undefined ? 'GET, POST' : 'GET, POST, OPTIONS' };
    this.bodies = new BodyClock(options.bodyTimeout ?? 5000);
    const settings = settingsFrom(o, STANDARD_POLICIES);
    this.wire = settings.cache && options.trace === undefined ? new WireCache(settings.cacheSettings) : undefined;
  }

  /** Counters of the listener (connections accepted, evicted, refused, timed out); zeros before `listen()`. */
  get listenerStats(): ListenerStats {
    return this.listener?.stats ?? { connections: 0, evicted: 0, refused: 0, timedOut: 0, abusive: 0 };
  }

  /** For an `http2` server's `stream` event (stream API: one DATA frame per response). */
  readonly streamHandler = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void => {
    this.stats.requests++;
    const reply = new StreamReply(stream, this.cors);
    try {
      const first = this.admit(headers[':method'], headers[':path'] ?? '/', headers['content-type'], headers['content-length']);
      if (first === 'post') this.readBody(stream, reply);
      else this.afterBody(first, reply);
    } catch (error) {
      this.refuse(reply, error);
    }
  };

  /** For `http.createServer`, `https`, or `http2` (compatibility API). */
  readonly handler = (req: Req, res: Res): void => {
    this.stats.requests++;
    req.on('error', () => undefined);
    const reply = new ResponseReply(res, this.cors);
    try {
      const h = req.headers;
      const first = this.admit(req.method, req.url ?? '/', h['content-type'], h['content-length']);
      if (first === 'post') this.readBody(req, reply);
      else this.afterBody(first, reply);
    } catch (error) {
      this.refuse(reply, error);
    }
  };

  /** For a DNS message over TLS or TCP (RFC 7858, RFC 7766): answered in kind, with its ID. */
  readonly messageHandler = (data: Uint8Array, answer: StreamAnswer): void => {
    this.stats.requests++;
    if (this.fromWire(data, answer)) return;
    let query: Message;
    try {
      query = parseDohQuery(data, this.maxQuerySize);
    } catch {
      this.stats.rejected++;
      return answer.dns(formerrFor(data));
    }
    if (query.opcode !== 0) return answer.dns(errorResponse(query, NOTIMP));
    this.resolve(data, query, answer);
  };

  /** Listen on `host:port` (default 127.0.0.1, a free port). Resolves with the endpoint's URL. */
  async listen(port = 0, host = '127.0.0.1'): Promise<{ address: string; port: number; url: string }> {
    const o = this.options;
    const listener = new DohListener(o.tls, o, { stream: this.streamHandler, request: this.handler, message: this.messageHandler });
    this.listener = listener;
    const a = await listener.listen(port, host);
    const h = a.address.includes(':') ? `[${a.address}]` : a.address;
    return { address: a.address, port: a.port, url: `${o.tls === undefined ? 'http' : 'https'}://${h}:${a.port}${this.path}` };
  }

  /** Empty the core's cache and the bridge's wire cache. */
  clearCache(): void {
    this.loop.core.clearCache();
    this.wire?.clear();
  }

  /** Stop listening, end every connection (idle ones too), cancel what is in flight, release the sockets. */
  async close(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    this.loop.cancelAll();
    this.transport.close();
    this.wire?.clear();
    this.bodies.clear();
    await listener?.close();
  }

  /**
   * Checks that need no body: path, method, content type and declared
   * length of a POST. Returns a GET's query, `post`, or `undefined` for a
   * CORS preflight. Throws {@link HttpError}.
   */
  private admit(method: string | undefined, target: string, type: string | undefined, length: string | undefined): Uint8Array | 'post' | undefined {
    if (targetPath(target) !== this.path) throw new HttpError(404, 'not found');
    switch (method) {
      case 'POST':
        if (type !== DNS_MESSAGE && !isDnsMessageType(type ?? null)) throw new HttpError(415, `content type must be ${DNS_MESSAGE}`, { accept: DNS_MESSAGE });
        if (Number(length ?? 0) > this.maxQuerySize) throw new HttpError(413, `body of ${length} bytes exceeds ${this.maxQuerySize}`, { connection: 'close' });
        return 'post';
      case 'GET':
        return getQueryBytes(target, this.maxQuerySize);
      case 'OPTIONS':
        if (this.cors !== NO_HEADERS) return undefined;
        throw new HttpError(405, 'method not allowed', this.allow as Record<string, string>);
      default:
        throw new HttpError(405, 'method not allowed', this.allow as Record<string, string>);
    }
  }

  /** Read a POST body of at most `maxQuerySize` bytes within `bodyTimeout`. */
  private readBody(source: BodySource, reply: HttpReply): void {
    const chunks: Buffer[] = [];
    let total = 0;
    const watch = this.bodies.watch(() => {
      this.refuse(reply, new HttpError(408, 'request body too slow', { connection: 'close' }));
      source.destroy();
    });
    source.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (reply.done) return;
      // Too big: answered now; the rest is read and dropped, still under bodyTimeout.
      if (total > this.maxQuerySize) return this.refuse(reply, new HttpError(413, `body exceeds ${this.maxQuerySize} bytes`, { connection: 'close' }));
      chunks.push(chunk);
    });
    source.on('end', () => {
      this.bodies.unwatch(watch);
      if (reply.done) return;
      const all = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
      this.afterBody(new Uint8Array(all.buffer, all.byteOffset, all.length), reply);
    });
  }

  /** With the query's bytes (or `undefined`: a CORS preflight): resolve and answer. */
  private afterBody(body: Uint8Array | undefined, reply: HttpReply): void {
    if (body === undefined) {
      reply.send(204, {
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': 'content-type, accept',
        'access-control-max-age': 86400,
      }, '');
      return;
    }
    if (this.fromWire(body, reply)) return;
    let query: Message;
    try {
      query = parseDohQuery(body, this.maxQuerySize);
    } catch (error) {
      return this.refuse(reply, error);
    }
    if (query.opcode !== 0) return this.sendDns(reply, errorResponse(query, NOTIMP), 'no-store');
    this.resolve(body, query, reply);
  }

  private resolve(raw: Uint8Array, query: Message, reply: Reply): void {
    const q = query.questions[0] as Message['questions'][number];
    const dnssecOk = query.edns?.do === true;
    let handle: number | undefined;
    try {
      handle = this.loop.start(q.name, q.type, { class: q.class, checkingDisabled: query.flags.cd, dnssecOk }, { settle: (event) => this.answer(raw, query, event, reply) });
    } catch (error) {
      if (isDnsError(error) && error.code === 'ELIMIT') {
        this.stats.servfail++;
        return this.sendDns(reply, errorResponse(query, SERVFAIL), 'no-store');
      }
      // A name, type or class the core refuses: 400 over HTTP, FORMERR on a DNS stream.
      if ('send' in reply) return this.refuse(reply as HttpReply, new HttpError(400, `query refused: ${error instanceof Error ? error.message : String(error)}`));
      this.stats.rejected++;
      return reply.dns(errorResponse(query, 1), 'no-store');
    }
    if (!reply.done && handle !== undefined) {
      const h = handle;
      reply.onGone(() => this.loop.cancel(h));
    }
  }

  private answer(raw: Uint8Array, query: Message, event: FinalEvent, reply: Reply): void {
    if (reply.done) return;
    if (event.kind === 'error') {
      this.stats.servfail++;
      return this.sendDns(reply, errorResponse(query, SERVFAIL), 'no-store');
    }
    const m = event.message;
    const q = event.question;
    const key = AuthorityMemo.key(q.name, q.type, q.class, query.edns?.do === true, query.flags.cd);
    let aa = m.flags.aa;
    if (event.source === 'network') this.aa.set(key, aa);
    else if (event.source !== 'coalesced') aa = this.aa.get(key);
    let wire: Uint8Array;
    try {
      wire = this.written.answer(raw, query, m, aa);
    } catch {
      this.stats.servfail++;
      return this.sendDns(reply, errorResponse(query, SERVFAIL), 'no-store');
    }
    this.stats.answered++;
    const maxAge = responseMaxAge(m);
    if (event.source === 'network' && maxAge !== undefined && (m.rcode === 0 || m.rcode === 3)) {
      const positive = m.rcode === 0 && event.records.some((r) => r.type === q.typeName);
      this.wire?.store(raw, wire, maxAge, !positive);
    }
    this.sendDns(reply, wire, `max-age=${maxAge ?? 0}`);
  }

  /** Answer `query` from the wire cache if it holds a live answer to it. */
  private fromWire(query: Uint8Array, reply: Reply): boolean {
    const hit = this.wire?.lookup(query);
    if (hit === undefined) return false;
    this.stats.answered++;
    this.stats.wireHits++;
    reply.dns(hit.wire, hit.cacheControl);
    return true;
  }

  private refuse(reply: HttpReply, error: unknown): void {
    const e = error instanceof HttpError ? error : new HttpError(500, 'internal error');
    if (e.status >= 400 && e.status < 500) this.stats.rejected++;
    reply.send(e.status, { 'content-type': 'text/plain; charset=utf-8', ...e.headers }, `${e.message}\n`);
  }

  private sendDns(reply: Reply, wire: Uint8Array, cacheControl: string): void {
    reply.dns(wire, cacheControl);
  }
}

/** Build a DoH bridge (see {@link DohServer}); call `listen()` or mount `handler`. */
export function createDohServer(options: DohServerOptions): DohServer {
  return new DohServer(options);
}
