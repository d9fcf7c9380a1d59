/**
 * `sansdns/node`: the Node driver. A drop-in for `dns.promises.Resolver`,
 * a `lookup` with `dns.lookup`'s signature, and the pieces they are made of.
 * @packageDocumentation
 */
import { type LookupCallback, type LookupOptions } from './api/lookup.js';
import { Resolver } from './drivers/node/resolver.js';

export { Resolver } from './drivers/node/resolver.js';
export type { NodeResolverOptions } from './drivers/node/resolver.js';
export { NodeTransport } from './drivers/node/transport.js';
export type { NodeTransportOptions } from './drivers/node/transport.js';
export { readResolvConf, HostsFile } from './drivers/node/system.js';
export { ServerTransportError } from './drivers/node/server-error.js';
export type { ServerFailureReason, TransportErrorCode } from './drivers/node/server-error.js';
export type { SecureTransportOptions } from './drivers/node/secure-auth.js';
export { PromiseResolver } from './api/promise-resolver.js';
export type {
  PromiseResolverOptions, CallOptions, RawQueryOptions, QueryResult, Transport, TransportFactory,
} from './api/promise-resolver.js';
export type {
  RecordWithTtl, MxRecord, SrvRecord, SoaRecord, NaptrRecord, CaaRecord, AnyRecord, SvcbRecord,
} from './api/shapes.js';
export type { LookupOptions, LookupCallback } from './api/lookup.js';
export type { NodeDnsError } from './api/errors.js';
export { replayTrace, toHex, fromHex, recordingCore } from './api/trace.js';
export type { TraceRecord } from './api/trace.js';
export { DnsError, isDnsError } from './core/errors.js';

let shared: Resolver | undefined;

/** The resolver behind the module-level {@link lookup}, built on first use from the system's configuration. */
export function defaultResolver(): Resolver {
  shared ??= new Resolver();
  return shared;
}

/**
 * `dns.lookup`'s signature over the default resolver: `/etc/hosts`, then
 * `localhost` (RFC 6761), then DNS with the search list. Usable as the
 * `lookup` option of `net.connect`, `http.Agent` and undici.
 */
export const lookup: (hostname: string, options: LookupOptions | number | LookupCallback, callback?: LookupCallback) => void = (
  hostname, options, callback,
) => defaultResolver().lookup(hostname, options, callback);

export { DohServer, createDohServer } from './drivers/node/doh-server.js';
export type { DohServerOptions, DohServerStats } from './drivers/node/doh-server.js';
