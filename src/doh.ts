/**
 * `sansdns/doh`: DNS over HTTPS (RFC 8484) over `fetch`, for browsers,
 * workers, Deno, Bun and Node. Nothing here imports `node:*`, and the codec
 * needs no `Buffer`, so any bundler builds it without polyfills.
 *
 * `DohResolver` has the promise API of the Node driver: `resolve4`,
 * `resolve6`, `resolveTxt`, ..., `query()`, with the same error codes. The
 * DoH wire helpers (`DNS_MESSAGE`, `dohGetUrl`, base64url) are in
 * `sansdns/codec`.
 * @packageDocumentation
 */
export { DohResolver, dohServers } from './drivers/doh/resolver.js';
export type { DohResolverOptions, DohServerInput } from './drivers/doh/resolver.js';
export { FetchTransport, DohServerError } from './drivers/doh/transport.js';
export type { FetchTransportOptions, DohFailureReason } from './drivers/doh/transport.js';
export { PromiseResolver } from './api/promise-resolver.js';
export type { QueryResult } from './api/outcome.js';
export { reverseName } from './api/servers.js';
export type { PromiseResolverOptions, CallOptions, RawQueryOptions, CoreFactory } from './api/options.js';
export type { Transport, TransportFactory } from './api/loop.js';
export type {
  RecordWithTtl, MxRecord, SrvRecord, SoaRecord, NaptrRecord, CaaRecord, AnyRecord, SvcbRecord,
} from './api/shapes.js';
export type { NodeDnsError } from './api/errors.js';
export { DnsError, isDnsError } from './core/errors.js';
