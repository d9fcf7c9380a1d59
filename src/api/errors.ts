/**
 * Errors shaped as Node's `dns` module shapes them: an `Error` whose message
 * is `${syscall} ${code} ${hostname}`, with `code`, `syscall` and `hostname`
 * (and `errno` where Node sets one). The core's {@link DnsError} is kept as
 * `cause`.
 */

/** An error as Node's `dns` module reports it. */
export interface NodeDnsError extends Error {
  code: string;
  syscall: string;
  hostname?: string;
  errno?: number | undefined;
  /**
   * With DNSSEC validation, when the validator ended the query (`EBOGUS`, or a DNSKEY or DS fetch that
   * failed): its Extended DNS Error (RFC 8914), INFO-CODE and reason, and the status it reached.
   */
  extendedError?: { readonly code: number; readonly text: string };
  security?: 'secure' | 'insecure' | 'bogus' | 'indeterminate';
}

/** `error` with the validator's Extended DNS Error and status of `event`, when it has them. */
export function withExtendedError<E extends NodeDnsError>(error: E, event: object): E {
  const e = event as Pick<NodeDnsError, 'extendedError' | 'security'>;
  if (e.extendedError !== undefined) error.extendedError = e.extendedError;
  if (e.security !== undefined) error.security = e.security;
  return error;
}

/** Build a Node-shaped DNS error (lib/internal/errors.js `dnsException`). */
export function nodeDnsError(code: string, syscall: string, hostname: string | undefined, cause?: unknown): NodeDnsError {
  const message = `${syscall} ${code}${hostname ? ` ${hostname}` : ''}`;
  const error = (cause === undefined ? new Error(message) : new Error(message, { cause })) as NodeDnsError;
  error.errno = undefined;
  error.code = code;
  error.syscall = syscall;
  if (hostname) error.hostname = hostname;
  return error;
}

/** libuv's EAI_NONAME as Node reports it from getaddrinfo (`errno` of a failed `dns.lookup`). */
export const UV_EAI_NONAME = -3008;
/** libuv's EAI_AGAIN. */
export const UV_EAI_AGAIN = -3001;
/** libuv's EAI_NODATA: the name exists without addresses (Node still says `ENOTFOUND`). */
export const UV_EAI_NODATA = -3007;

/**
 * A `dns.lookup`-shaped error: syscall `getaddrinfo`, `ENOTFOUND` or
 * `EAI_AGAIN` with libuv's errno (`ENOTFOUND` of a name without addresses,
 * `nodata`, has EAI_NODATA's).
 */
export function lookupError(code: 'ENOTFOUND' | 'EAI_AGAIN', hostname: string, cause?: unknown, nodata = false): NodeDnsError {
  const error = nodeDnsError(code, 'getaddrinfo', hostname, cause);
  error.errno = code === 'EAI_AGAIN' ? UV_EAI_AGAIN : nodata ? UV_EAI_NODATA : UV_EAI_NONAME;
  return error;
}

/** Node's error for a bad argument (`ERR_INVALID_ARG_TYPE` and friends): a TypeError with `code`. */
export function argError(code: string, message: string, kind: 'type' | 'range' | 'plain' = 'type'): Error & { code: string } {
  const Ctor = kind === 'type' ? TypeError : kind === 'range' ? RangeError : Error;
  const error = new Ctor(message) as Error & { code: string };
  error.code = code;
  return error;
}
