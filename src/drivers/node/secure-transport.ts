/**
 * The encrypted transports of the Node driver, beside its UDP and TCP:
 * DNS over TLS (`tls` servers, RFC 7858) on one pipelined connection per
 * server (`tls-channel.ts`), and DNS over HTTPS (`doh` servers, RFC 8484)
 * on one multiplexed HTTP/2 session per origin (`h2-session.ts`).
 *
 * - Queries are padded to 128-byte blocks first (RFC 8467 §4.1) unless
 *   `padding` is false; a query without EDNS is sent as it is.
 * - A failed transmission goes to the loop with the core's code and a
 *   {@link ServerTransportError} saying what failed, and to `onServerError`.
 * - A channel or session that is gone is never handed out again: it is
 *   dropped from the maps before its queries are failed or sent again.
 * - When a query has its final event its streams are cancelled and its
 *   connections may go idle; `close()` ends every connection at once.
 */
import { padMessage, QUERY_BLOCK } from '../../core/codec/padding.js';
import { endpointKey } from '../../core/servers.js';
import type { Received, Transmit } from '../../core/types.js';
import { H2Session, type H2SessionOwner } from './h2-session.js';
import { authorityOf, SessionCache, type SecureTransportOptions } from './secure-auth.js';
import type { TransportErrorCode } from '../../core/errors.js';
import { ServerTransportError } from './server-error.js';
import { TlsChannel, type TlsChannelOwner, type TlsEndpoint } from './tls-channel.js';

/** How the encrypted transports reach the loop. */
export interface SecureHooks {
  receive(received: Received): void;
  fail(t: Transmit, code: TransportErrorCode, cause: ServerTransportError): void;
}

type Carrier = TlsChannel | H2Session;

/** The `https://host:port` origin and the request path of a DoH URL. */
function splitUrl(url: string): { origin: string; path: string } {
  const u = new URL(url.replace('{?dns}', ''));
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return { origin: `${u.protocol}//${u.hostname}:${port}`, path: `${u.pathname}${u.search}` };
}

/** DNS over TLS and DNS over HTTPS/2 for one core loop. */
export class SecureTransport implements TlsChannelOwner, H2SessionOwner {
  private readonly channels = new Map<string, TlsChannel>();
  private readonly h2 = new Map<string, H2Session>();
  private readonly byHandle = new Map<number, Set<Carrier>>();
  private readonly sessions = new SessionCache();
  private readonly resent = new WeakSet<Transmit>();
  private readonly idle: number;
  private closed = false;

  constructor(private readonly options: SecureTransportOptions, private readonly hooks: SecureHooks) {
    this.idle = options.secureIdleTimeout ?? 10_000;
  }

  /** Send one transmit to a `tls` or `doh` peer. */
  send(t: Transmit): void {
    const peer = t.peer;
    if (this.closed || (peer.transport !== 'tls' && peer.transport !== 'doh')) {
      const failure = new ServerTransportError('ENETUNREACH', 'connect', endpointKey(peer), undefined, 'the transport is closed');
      queueMicrotask(() => this.hooks.fail(t, failure.code, failure));
      return;
    }
    const data = this.options.padding === false ? t.data : padMessage(t.data, QUERY_BLOCK);
    let carrier: Carrier;
    if (peer.transport === 'tls') {
      const ch = this.channel(peer);
      ch.write(t, data);
      carrier = ch;
    } else {
      const { origin, path } = splitUrl(peer.url);
      const s = this.session(origin);
      s.request(t, data, path);
      carrier = s;
    }
    let set = this.byHandle.get(t.handle);
    if (set === undefined) this.byHandle.set(t.handle, (set = new Set()));
    set.add(carrier);
  }

  /** The query `handle` had its final event. */
  finished(handle: number): void {
    const set = this.byHandle.get(handle);
    if (set === undefined) return;
    this.byHandle.delete(handle);
    for (const c of set) {
      if (c instanceof TlsChannel) c.settle(handle);
      else c.cancel(handle);
    }
  }

  /** End every connection now. */
  close(): void {
    this.closed = true;
    for (const ch of this.channels.values()) ch.close();
    for (const s of this.h2.values()) s.close();
    this.channels.clear();
    this.h2.clear();
  }

  // --- owner of channels and sessions ---

  deliver(data: Uint8Array, from: TlsEndpoint | Transmit): void {
    if ('handle' in from) this.hooks.receive({ data, peer: from.peer, token: from.token });
    else this.hooks.receive({ data, peer: from });
  }

  fail(t: Transmit, failure: ServerTransportError): void {
    try {
      this.options.onServerError?.(failure);
    } catch {
      // A throwing listener must not take the socket's event handler down.
    }
    this.hooks.fail(t, failure.code, failure);
  }

  resend(t: Transmit): void {
    if (this.closed || !this.byHandle.has(t.handle)) return;
    this.send(t);
  }

  release(c: Carrier): void {
    if (c instanceof TlsChannel) {
      const key = endpointKey(c.peer);
      if (this.channels.get(key) === c) this.channels.delete(key);
    } else if (this.h2.get(c.origin) === c) {
      this.h2.delete(c.origin);
    }
  }

  private pinsOf(host: string, port: number, name?: string): readonly string[] | undefined {
    const pins = this.options.pins;
    if (pins === undefined) return undefined;
    return (name === undefined ? undefined : pins[authorityOf(name, port)]) ?? pins[authorityOf(host, port)];
  }

  private channel(peer: TlsEndpoint): TlsChannel {
    const key = endpointKey(peer);
    let ch = this.channels.get(key);
    if (ch === undefined) {
      const pins = this.pinsOf(peer.address, peer.port, peer.servername);
      ch = new TlsChannel(this, peer, this.options, pins, this.sessions, this.idle, this.resent);
      this.channels.set(key, ch);
    }
    return ch;
  }

  private session(origin: string): H2Session {
    let s = this.h2.get(origin);
    if (s === undefined) {
      const u = new URL(origin);
      const pins = this.pinsOf(u.hostname.replace(/^\[|\]$/g, ''), Number(u.port));
      s = new H2Session(this, origin, this.options, pins, this.sessions, this.idle, this.resent);
      this.h2.set(origin, s);
    }
    return s;
  }
}
