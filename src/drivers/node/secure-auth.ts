/**
 * How the Node driver authenticates DNS-over-TLS and DoH servers, and the
 * options that say so (RFC 7858 §4, RFC 8310 §8).
 *
 * - By default a server is authenticated by Node's TLS: a chain to a trusted
 *   CA (`ca`, else Node's bundled roots) and a certificate for its name: the
 *   `servername` of a `tls://` server (also sent as SNI), else its address;
 *   for DoH, the URL's host.
 * - A server with an SPKI pin set (RFC 7858 §4.2, the `pin-sha256` form of
 *   RFC 7469 §2.4: base64 of the SHA-256 of a DER SubjectPublicKeyInfo) is
 *   authenticated by its pins alone: some certificate of the chain it
 *   presents must carry one of the pinned keys, whoever signed it.
 * - Nothing is written on a connection before it is authenticated, so a
 *   query name never reaches a server that fails the checks.
 * - TLS sessions (tickets) are kept per server once authenticated and offered
 *   on the next connection (resumption, RFC 8446 §2.2); a resumed session is
 *   the server that was authenticated before.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type tls from 'node:tls';
import type { ServerTransportError } from './server-error.js';

/** Options of the DNS-over-TLS and DoH transports of the Node driver. */
export interface SecureTransportOptions {
  /** Trust anchors for servers' certificates, as `tls.connect`'s `ca` (default Node's bundled roots). */
  readonly ca?: tls.ConnectionOptions['ca'];
  /**
   * SPKI pin sets by server authority, `host:port` as the server is written
   * (`192.0.2.1:853`, `[2001:db8::1]:853`, `dns.example:443` for
   * `https://dns.example/dns-query`): base64 SHA-256 digests of public keys
   * (RFC 7858 §4.2). A pinned server is authenticated by its pins only.
   */
  readonly pins?: Readonly<Record<string, readonly string[]>>;
  /** ms a DNS-over-TLS connection or an HTTP/2 session stays open without outstanding queries (default 10000). */
  readonly secureIdleTimeout?: number;
  /** Pad queries over TLS and DoH to 128-byte blocks (RFC 8467 §4.1; default true). */
  readonly padding?: boolean;
  /** Told about every failed transmission over TLS or DoH (what failed, which server). */
  readonly onServerError?: (error: ServerTransportError) => void;
}

/** The SHA-256 pin of a DER SubjectPublicKeyInfo, base64 (RFC 7469 §2.4). */
export function spkiPin(spki: Uint8Array): string {
  return createHash('sha256').update(spki).digest('base64');
}

/** The DER SubjectPublicKeyInfo of a certificate (Node's `pubkey` is the bare EC point for EC keys). */
function spkiOf(raw: Buffer): Buffer | undefined {
  try {
    return new X509Certificate(raw).publicKey.export({ type: 'spki', format: 'der' });
  } catch {
    return undefined;
  }
}

/** True when a certificate of the chain `peer` presented carries a key of `pins`. */
export function chainMatchesPins(peer: tls.DetailedPeerCertificate, pins: readonly string[]): boolean {
  const seen = new Set<tls.DetailedPeerCertificate>();
  for (let c: tls.DetailedPeerCertificate | undefined = peer; c?.raw !== undefined && !seen.has(c); c = c.issuerCertificate) {
    seen.add(c);
    const spki = spkiOf(c.raw);
    if (spki !== undefined && pins.includes(spkiPin(spki))) return true;
  }
  return false;
}

/** A `host:port` authority as pins are keyed (IPv6 in brackets). */
export function authorityOf(host: string, port: number): string {
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}

/** Keeps the last TLS session of each authenticated server, for resumption. */
export class SessionCache {
  private readonly sessions = new Map<string, Buffer>();

  constructor(private readonly max = 256) {}

  get(key: string): Buffer | undefined {
    return this.sessions.get(key);
  }

  set(key: string, session: Buffer): void {
    this.sessions.delete(key);
    this.sessions.set(key, session);
    if (this.sessions.size > this.max) this.sessions.delete(this.sessions.keys().next().value as string);
  }

  delete(key: string): void {
    this.sessions.delete(key);
  }
}

/** The `tls.connect` options that authenticate a server at `host` (the name to check) with `pins` or not. */
export function tlsConnectOptions(
  options: SecureTransportOptions, name: string, pins: readonly string[] | undefined, session: Buffer | undefined,
): tls.ConnectionOptions {
  const isIp = /^[\d.]+$|:/.test(name);
  return {
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    ...(isIp ? {} : { servername: name }),
    ...(session === undefined ? {} : { session }),
    // With a pin set the pins decide (checked on secureConnect), not the CA.
    rejectUnauthorized: pins === undefined,
  };
}
