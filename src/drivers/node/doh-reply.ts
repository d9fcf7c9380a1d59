/**
 * The DoH bridge's way back to a client, whatever the HTTP version: an
 * HTTP/2 stream (one HEADERS and one DATA frame carrying END_STREAM, RFC
 * 9113 §8.1), or an HTTP/1.1 response (also HTTP/2's compatibility API).
 * Each answers at most once, and not at all once the client is gone.
 */
import type http from 'node:http';
import type http2 from 'node:http2';
import { DNS_MESSAGE } from '../../core/codec/doh.js';

/** Response headers. */
export type Headers = Record<string, string | number>;
type Res = http.ServerResponse | http2.Http2ServerResponse;

/** No headers (the CORS headers when CORS is off). */
export const NO_HEADERS: Headers = Object.freeze({}) as Headers;

/** One query's way back: HTTP/2, HTTP/1.1, or a DNS stream. */
export interface Reply {
  /** Answered, or the client went away. */
  readonly done: boolean;
  /** Answer with a DNS message (over HTTP: a 200 with this `Cache-Control`). */
  dns(wire: Uint8Array, cacheControl: string): void;
  /** Call `f` if the client goes away before the answer. */
  onGone(f: () => void): void;
}

/** One HTTP request's way back, whatever the HTTP version. */
export interface HttpReply extends Reply {
  send(status: number, headers: Headers, body: Uint8Array | string): void;
}

function lengthOf(body: Uint8Array | string): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.length;
}

/** An HTTP/2 stream's way back (stream API). */
export class StreamReply implements HttpReply {
  done = false;
  constructor(private readonly stream: http2.ServerHttp2Stream, private readonly cors: Headers) {}

  send(status: number, headers: Headers, body: Uint8Array | string): void {
    if (this.done) return;
    this.done = true;
    // HTTP/2 has no Connection header (RFC 9113 §8.2.2).
    const { connection: _c, ...rest } = headers;
    this.write({ ...this.cors, ...rest, ':status': status, 'content-length': lengthOf(body) }, body);
  }

  /** Respond, unless the stream or its session is gone (closed for abuse, reset): then nothing. */
  private write(headers: http2.OutgoingHttpHeaders, body: Uint8Array | string): void {
    const s = this.stream;
    if (s.destroyed || s.closed || s.session === undefined || s.session.destroyed) return;
    try {
      s.respond(headers);
      s.end(body);
    } catch {
      // The session went away between the check and the call: nobody is left to answer.
    }
  }

  dns(wire: Uint8Array, cacheControl: string): void {
    if (this.done) return;
    this.done = true;
    // The hot path: one header object, no spreading.
    const h = { ':status': 200, 'content-type': DNS_MESSAGE, 'cache-control': cacheControl, 'content-length': wire.length };
    this.write(this.cors === NO_HEADERS ? h : { ...this.cors, ...h }, wire);
  }

  onGone(f: () => void): void {
    this.stream.once('close', () => {
      if (!this.done) f();
    });
  }
}

/** An HTTP/1.1 response's (or HTTP/2 compatibility API's) way back. */
export class ResponseReply implements HttpReply {
  done = false;
  constructor(private readonly res: Res, private readonly cors: Headers) {}

  send(status: number, headers: Headers, body: Uint8Array | string): void {
    if (this.done || this.res.writableEnded || this.res.destroyed) return;
    this.done = true;
    (this.res as http.ServerResponse).writeHead(status, { ...this.cors, ...headers, 'content-length': lengthOf(body) });
    this.res.end(body);
  }

  dns(wire: Uint8Array, cacheControl: string): void {
    this.send(200, { 'content-type': DNS_MESSAGE, 'cache-control': cacheControl }, wire);
  }

  onGone(f: () => void): void {
    this.res.once('close', () => {
      if (!this.done) f();
    });
  }
}
