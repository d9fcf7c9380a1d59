/**
 * The `fetch` platform of the core loop: DNS over HTTPS (RFC 8484). No DNS
 * logic lives here, and nothing from `node:*`: it runs in browsers, workers,
 * Deno, Bun and Node alike.
 *
 * - Each transmit is one HTTP exchange: a POST of the message as
 *   `application/dns-message` (default), or a GET with the message as
 *   unpadded base64url in the `dns` parameter (RFC 8484 §4.1). The core
 *   already wrote ID 0; the driver echoes the transmit's `token` on the
 *   `Received`, which is how the core matches DoH answers.
 * - The response is checked before the core sees it: a 2xx status, the
 *   content type `application/dns-message`, and at most `maxResponseSize`
 *   bytes (checked against `Content-Length` and again while reading). A
 *   failed check, or a network error, fails that transmission for that
 *   server (`EBADRESP`, `ECONNREFUSED`, `ECONNRESET`, `ENETUNREACH`): the
 *   core moves on to the next server, and the query's error says what
 *   failed (its `cause` is the {@link DohServerError}). A body that passes the checks but is
 *   not a DNS message goes to the core, whose decoder refuses it and counts
 *   why (`stats.malformed`), and which then fails that server (`EBADRESP`).
 * - A POST body goes to `fetch` as a `Blob` copy of the message: `fetch`
 *   may detach the buffer it is given, and it re-reads the body when it
 *   follows a 307 or 308 redirect (which re-POSTs, RFC 9110 §15.4.8); the
 *   core keeps its own copy for retransmissions.
 * - Deadlines: every exchange has its own `AbortController`. When a query
 *   has its final event (answer, error, its overall deadline, cancel), the
 *   exchanges still open for it are aborted. The core's per-attempt timers
 *   hedge a slow server with the next one while the first exchange stays open.
 * - One timer (`setTimeout`), armed at the core's deadline.
 */
import { WallTimer } from '../platform.js';
import type { TransportErrorCode } from '../../core/errors.js';
import type { Transmit } from '../../core/types.js';
import type { CoreLoop, Transport } from '../../api/loop.js';
import { DNS_MESSAGE, dohGetUrl, isDnsMessageType } from '../../core/codec/doh.js';

/**
 * Why one DoH exchange failed. Stable strings: an HTTP `status` other than
 * 2xx, a `content-type` other than `application/dns-message`, an `oversize`
 * body, the `tls` handshake (certificate), `alpn` (no protocol in common),
 * or the `network` (refused, reset, closed: see the message).
 */
export type DohFailureReason = 'status' | 'content-type' | 'oversize' | 'tls' | 'alpn' | 'network';

/**
 * One DoH exchange failed: the server at `url` failed this query, and the
 * core moved on. Reported to `onServerError`; the query's own final error
 * is the core's (the last failure when every server failed).
 */
export class DohServerError extends Error {
  override readonly name = 'DohServerError';

  constructor(
    /** The core's code for this failure. */
    readonly code: TransportErrorCode,
    readonly reason: DohFailureReason,
    readonly url: string,
    /** The query it was for. */
    readonly handle: number,
    /** The HTTP status, when there was a response. */
    readonly status: number | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Options of the `fetch` transport. */
export interface FetchTransportOptions {
  /** `POST` (default) or `GET` (RFC 8484 §4.1; cacheable by HTTP caches). */
  readonly method?: 'POST' | 'GET';
  /** Largest response body accepted, in bytes (default 65535, the largest DNS message). */
  readonly maxResponseSize?: number;
  /**
   * The `fetch` to use (default `globalThis.fetch`). In browsers, Deno and
   * Bun the global one speaks HTTP/2. In Node (20 and 22) the global `fetch`
   * speaks HTTP/1.1 only, so a server that speaks DoH over HTTP/2 only
   * (knot-resolver, unbound) hangs up on it: in Node use the `NodeResolver` of
   * `sansdns/node` with `https://` servers (HTTP/2 through `node:http2`), or
   * pass the `fetch` of the `undici` package bound to a dispatcher made with
   * `new Agent({ allowH2: true })`.
   */
  readonly fetch?: typeof fetch;
  /** Extra request headers (e.g. an API key). `Accept` and `Content-Type` are set by the driver. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Told about every failed exchange (status, content type, size, network). */
  readonly onServerError?: (error: DohServerError) => void;
}

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/** The core's code for a failed `fetch` (undici puts the socket's code on `cause`). */
export function fetchErrorCode(error: unknown): TransportErrorCode {
  const code = causeCode(error);
  if (code === 'ECONNREFUSED' || fetchFailureReason(error) !== 'network') return 'ECONNREFUSED';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return 'ECONNRESET';
  return 'ENETUNREACH';
}

/** What a failed `fetch` says failed: the TLS handshake, ALPN, or the network. */
export function fetchFailureReason(error: unknown): DohFailureReason {
  const code = causeCode(error) ?? '';
  if (code === 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL') return 'alpn';
  if (/^(ERR_SSL_|ERR_TLS_)|CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)/.test(code)) return 'tls';
  return 'network';
}

/** The words of a failed `fetch`: its cause's message, and a hint when an HTTP/2-only server may have hung up. */
function fetchFailureText(error: unknown): string {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  const text = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
  const code = causeCode(error);
  const hint = code === 'UND_ERR_SOCKET' || code === 'ECONNRESET'
    ? ' (a server that speaks HTTP/2 only closes on an HTTP/1.1 request, and Node\'s global fetch speaks HTTP/1.1: use a fetch that speaks HTTP/2, or the NodeResolver of sansdns/node)'
    : '';
  return `${fetchFailureReason(error) === 'network' ? 'fetch failed' : `${fetchFailureReason(error).toUpperCase()} failed`}: ${text}${hint}`;
}

class Failure {
  constructor(readonly reason: DohFailureReason, readonly status: number | undefined, readonly detail: string) {}
}

/** The body of `res`, or a {@link Failure} when it is larger than `max` bytes. */
async function readBody(res: Response, max: number): Promise<Uint8Array | Failure> {
  const oversize = (n: number | string): Failure => new Failure('oversize', res.status, `body of ${n} bytes exceeds ${max}`);
  const declared = res.headers.get('content-length');
  if (declared !== null && Number(declared) > max) return oversize(declared);
  if (res.body === null) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      void reader.cancel().catch(() => undefined);
      return oversize(`over ${max}`);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The `fetch` platform: one HTTP exchange per transmit, a clock and one timer. */
export class FetchTransport implements Transport {
  private loop: CoreLoop | undefined;
  private readonly timer = new WallTimer(() => this.now());
  private closed = false;
  private readonly open = new Map<number, Set<AbortController>>();
  private readonly method: 'POST' | 'GET';
  private readonly maxSize: number;
  private readonly fetch: typeof fetch;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly onServerError: ((error: DohServerError) => void) | undefined;

  constructor(options: FetchTransportOptions = {}) {
    this.method = options.method ?? 'POST';
    this.maxSize = options.maxResponseSize ?? 65535;
    const f = options.fetch ?? globalThis.fetch;
    // Called unbound, a browser's fetch throws "Illegal invocation".
    this.fetch = options.fetch === undefined ? f.bind(globalThis) : f;
    this.headers = options.headers ?? {};
    this.onServerError = options.onServerError;
  }

  /** Exchanges open right now (for tests and diagnostics). */
  get inFlight(): number {
    let n = 0;
    for (const set of this.open.values()) n += set.size;
    return n;
  }

  attach(loop: CoreLoop): void {
    this.loop = loop;
  }

  now(): number {
    return performance.now();
  }

  send(transmits: readonly Transmit[]): void {
    for (const t of transmits) {
      const peer = t.peer;
      if (peer.transport !== 'doh' || this.closed) {
        queueMicrotask(() => this.loop?.fail(t, 'ENETUNREACH'));
        continue;
      }
      const controller = new AbortController();
      let set = this.open.get(t.handle);
      if (set === undefined) this.open.set(t.handle, (set = new Set()));
      set.add(controller);
      void this.exchange(t, peer.url, controller).finally(() => set.delete(controller));
    }
  }

  finished(handle: number): void {
    const set = this.open.get(handle);
    if (set === undefined) return;
    this.open.delete(handle);
    for (const c of set) c.abort();
  }

  setTimer(deadline: number | undefined, fire: () => void): void {
    this.timer.set(deadline, fire);
  }

  close(): void {
    this.closed = true;
    this.timer.clear();
    for (const handle of [...this.open.keys()]) this.finished(handle);
  }

  private request(t: Transmit, url: string, signal: AbortSignal): Promise<Response> {
    const init: RequestInit = { signal, credentials: 'omit', redirect: 'follow' };
    if (this.method === 'GET') {
      return this.fetch(dohGetUrl(url, t.data), { ...init, method: 'GET', headers: { ...this.headers, accept: DNS_MESSAGE } });
    }
    const headers = { ...this.headers, accept: DNS_MESSAGE, 'content-type': DNS_MESSAGE };
    return this.fetch(url, { ...init, method: 'POST', headers, body: new Blob([t.data as Uint8Array<ArrayBuffer>]) });
  }

  private async exchange(t: Transmit, url: string, controller: AbortController): Promise<void> {
    let outcome: Uint8Array | Failure;
    let cause: unknown;
    try {
      const res = await this.request(t, url, controller.signal);
      if (!res.ok) {
        void res.body?.cancel().catch(() => undefined);
        const moved = res.redirected ? ` after a redirect to ${res.url} (fetch follows a 301, 302 or 303 with a GET without the query)` : '';
        outcome = new Failure('status', res.status, `HTTP status ${res.status}${moved}`);
      } else if (!isDnsMessageType(res.headers.get('content-type'))) {
        void res.body?.cancel().catch(() => undefined);
        outcome = new Failure('content-type', res.status, `content type ${JSON.stringify(res.headers.get('content-type'))}`);
      } else {
        outcome = await readBody(res, this.maxSize);
      }
    } catch (error) {
      cause = error;
      outcome = new Failure(fetchFailureReason(error), undefined, fetchFailureText(error));
    }
    // Aborted: the query has had its final event (or the transport closed); nothing to report.
    if (controller.signal.aborted || this.loop === undefined) return;
    if (outcome instanceof Uint8Array) {
      this.loop.receive([{ data: outcome, peer: t.peer, token: t.token }]);
      return;
    }
    const network = outcome.reason === 'network' || outcome.reason === 'tls' || outcome.reason === 'alpn';
    const code = network ? fetchErrorCode(cause) : 'EBADRESP';
    const failure = new DohServerError(code, outcome.reason, url, t.handle, outcome.status, `DoH ${url}: ${outcome.detail}`, { cause });
    try {
      this.onServerError?.(failure);
    } catch {
      // A throwing listener must not lose the failure for the core.
    }
    this.loop.fail(t, code, failure);
  }
}
