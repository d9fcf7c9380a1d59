/**
 * What failed when a DNS-over-TLS connection or a DoH exchange fails, in
 * words a user can act on: the TLS handshake (certificate, name, pins),
 * ALPN, an HTTP status, a content type, framing. The core only needs a code
 * to move on to the next server; this error rides along as the `cause` of
 * the query's error (see `CoreLoop.fail`) and goes to `onServerError`.
 */
import type { TransportErrorCode } from '../../core/errors.js';

/** Why a transmission failed. Stable strings. */
export type ServerFailureReason =
  /** TCP connect: refused, unreachable, reset. */
  | 'connect'
  /** The TLS handshake: certificate not trusted, wrong name, expired, protocol alert. */
  | 'tls'
  /** No public key of the server's certificate chain is in its pin set (RFC 7858 §4.2). */
  | 'pin'
  /** ALPN: the server does not speak `h2` (DoH) or refused `dot`. */
  | 'alpn'
  /** DoH: an HTTP status other than 2xx. */
  | 'status'
  /** DoH: a content type other than `application/dns-message`. */
  | 'content-type'
  /** DoH: a body larger than a DNS message can be. */
  | 'oversize'
  /** A stream lost its framing (a length prefix that cannot be a message). */
  | 'framing'
  /** The connection or stream closed with the query outstanding (reset, GOAWAY, idle close by the server). */
  | 'closed';

/** One transmission to one server failed; the core moved on to the next server. */
export class ServerTransportError extends Error {
  override readonly name = 'ServerTransportError';

  constructor(
    /** The core's code for this failure (`ECONNREFUSED`, `ECONNRESET`, `ENETUNREACH`, `EBADRESP`). */
    readonly code: TransportErrorCode,
    readonly reason: ServerFailureReason,
    /** The server as written: `tls://192.0.2.1:853#dns.example`, or the DoH URL. */
    readonly server: string,
    /** The HTTP status of a DoH response, when there was one. */
    readonly status: number | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Certificate verification failures as OpenSSL and Node name them. */
const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_UNTRUSTED', 'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE', 'CERT_CHAIN_TOO_LONG', 'INVALID_CA', 'HOSTNAME_MISMATCH', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The reason and the core's code for an error of a socket, a TLS handshake or an HTTP/2 session. */
export function classifySocketError(error: unknown): { reason: ServerFailureReason; code: TransportErrorCode } {
  const code = (error as { code?: unknown } | undefined)?.code;
  const c = typeof code === 'string' ? code : '';
  if (c === 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL' || c === 'ERR_HTTP2_ALPN') return { reason: 'alpn', code: 'ECONNREFUSED' };
  if (CERT_CODES.has(c) || c.startsWith('ERR_SSL_') || c.startsWith('ERR_TLS_')) return { reason: 'tls', code: 'ECONNREFUSED' };
  if (c === 'ECONNREFUSED') return { reason: 'connect', code: 'ECONNREFUSED' };
  if (c === 'ECONNRESET' || c === 'EPIPE' || c === 'ECONNABORTED') return { reason: 'closed', code: 'ECONNRESET' };
  return { reason: 'connect', code: 'ENETUNREACH' };
}

/** A {@link ServerTransportError} for a socket, TLS or session error. */
export function socketFailure(server: string, error: unknown): ServerTransportError {
  const { reason, code } = classifySocketError(error);
  const what = reason === 'tls' ? 'TLS handshake failed' : reason === 'alpn' ? 'ALPN: no protocol in common' : 'connection failed';
  const detail = error instanceof Error ? error.message.split('\n', 1)[0] : String(error);
  return new ServerTransportError(code, reason, server, undefined, `${server}: ${what}: ${detail}`, { cause: error });
}
