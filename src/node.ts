/**
 * `sansdns/node`: the Node driver. {@link NodeResolver}, a drop-in for
 * `dns.promises.Resolver` (`import { NodeResolver as Resolver } from
 * 'sansdns/node'`), a `lookup` with `dns.lookup`'s signature, the DoH bridge,
 * and the pieces they are made of.
 * @packageDocumentation
 */
import { type LookupCallback, type LookupOptions } from './api/lookup.js';
import { NodeResolver } from './drivers/node/resolver.js';

export { NodeResolver } from './drivers/node/resolver.js';
export type { NodeResolverOptions } from './drivers/node/resolver.js';
export { NodeTransport } from './drivers/node/transport.js';
export type { NodeTransportOptions } from './drivers/node/transport.js';
export { readResolvConf, HostsFile } from './drivers/node/system.js';
export { PromiseResolver } from './api/promise-resolver.js';
export type { QueryResult } from './api/promise-resolver.js';
export { reverseName } from './api/servers.js';
export type { PromiseResolverOptions, CallOptions, RawQueryOptions, CoreFactory } from './api/options.js';
export type { Transport, TransportFactory } from './api/loop.js';
export type {
  RecordWithTtl, MxRecord, SrvRecord, SoaRecord, NaptrRecord, CaaRecord, AnyRecord, SvcbRecord,
} from './api/shapes.js';
export type { LookupOptions, LookupCallback } from './api/lookup.js';
export type { NodeDnsError } from './api/errors.js';
export { DnsError, isDnsError } from './core/errors.js';

let shared: NodeResolver | undefined;

/** The resolver behind the module-level {@link lookup}, built on first use from the system's configuration. */
export function defaultResolver(): NodeResolver {
  shared ??= new NodeResolver();
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
