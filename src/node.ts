/**
 * `sansdns/node`: node:dns over sansdns, name for name, so that
 * `import dns from 'sansdns/node'` (or `import * as dns`, or
 * `require('sansdns/node')`) replaces `import dns from 'node:dns'`: the
 * callback {@link Resolver}, `promises` (also `sansdns/node/promises`), the
 * module-level functions, the constants and error codes; plus `install()`
 * for all outgoing HTTP, {@link NodeResolver} (the promise resolver with
 * sansdns's options), the DoH bridge, and the pieces they are made of.
 * @packageDocumentation
 */
import nodeDns from 'node:dns';
import type { LookupFunction } from 'node:net';
import * as module from './drivers/node/dns-module.js';
import * as codes from './drivers/node/dns-codes.js';
import { Resolver } from './drivers/node/callback-api.js';
import { install as installInto, uninstall, type InstallOptions } from './drivers/node/install.js';

export { Resolver } from './drivers/node/callback-api.js';
export { NodeResolver, NODE_MAX_IN_FLIGHT } from './drivers/node/resolver.js';
export type { NodeResolverOptions } from './drivers/node/resolver.js';
export {
  defaultResolver, lookup, lookupService, getServers, setServers, getDefaultResultOrder, setDefaultResultOrder, resolve, resolve4,
  resolve6, resolveAny, resolveCaa, resolveCname, resolveMx, resolveNaptr, resolveNs, resolvePtr, resolveSoa, resolveSrv, resolveTxt,
  reverse, promises,
} from './drivers/node/dns-module.js';
export * from './drivers/node/dns-codes.js';
/** getaddrinfo's hint flags, this platform's values (as node:dns exports them). */
export const { ADDRCONFIG, V4MAPPED, ALL } = nodeDns;
export { uninstall } from './drivers/node/install.js';
export type { InstallOptions, UndiciModule } from './drivers/node/install.js';
export { NodeTransport } from './drivers/node/transport.js';
export type { NodeTransportOptions } from './drivers/node/transport.js';
export { readResolvConf, HostsFile, HOSTS_MAX_BYTES } from './drivers/node/system.js';
export type { HostsFileOptions } from './drivers/node/system.js';
export { ServerTransportError } from './drivers/node/server-error.js';
export type { ServerFailureReason } from './drivers/node/server-error.js';
export type { SecureTransportOptions } from './drivers/node/secure-auth.js';
export { PromiseResolver } from './api/promise-resolver.js';
export type { QueryResult } from './api/outcome.js';
export { reverseName } from './api/servers.js';
export type { PromiseResolverOptions, CallOptions, RawQueryOptions, CoreFactory } from './api/options.js';
export type { Transport, TransportFactory } from './api/loop.js';
export type {
  RecordWithTtl, MxRecord, SrvRecord, SoaRecord, NaptrRecord, CaaRecord, AnyRecord, SvcbRecord,
} from './api/shapes.js';
export type { LookupOptions, LookupCallback } from './api/lookup.js';
export type { NodeDnsError } from './api/errors.js';
export { DnsError, isDnsError } from './core/errors.js';
export type { TransportErrorCode } from './core/errors.js';
export { DohServer, createDohServer } from './drivers/node/doh-server.js';
export type { DohServerOptions, DohServerStats } from './drivers/node/doh-server.js';

/**
 * Make all outgoing HTTP of the process resolve through sansdns: the
 * `lookup` of `http.globalAgent` and `https.globalAgent` (or the `agents`
 * given), and, given the `undici` module, undici's global dispatcher (which
 * Node's `fetch` uses too). `lookup` defaults to this module's. Undo with
 * {@link uninstall}.
 */
export function install(options: InstallOptions = {}): void {
  installInto({ ...options, lookup: options.lookup ?? (module.lookup as unknown as LookupFunction) });
}

/** node:dns's shape as one object: `import dns from 'sansdns/node'`. */
const dns = {
  ...codes,
  ADDRCONFIG: nodeDns.ADDRCONFIG, V4MAPPED: nodeDns.V4MAPPED, ALL: nodeDns.ALL,
  Resolver,
  lookup: module.lookup, lookupService: module.lookupService, getServers: module.getServers, setServers: module.setServers,
  getDefaultResultOrder: module.getDefaultResultOrder, setDefaultResultOrder: module.setDefaultResultOrder,
  resolve: module.resolve, resolve4: module.resolve4, resolve6: module.resolve6, resolveAny: module.resolveAny,
  resolveCaa: module.resolveCaa, resolveCname: module.resolveCname, resolveMx: module.resolveMx, resolveNaptr: module.resolveNaptr,
  resolveNs: module.resolveNs, resolvePtr: module.resolvePtr, resolveSoa: module.resolveSoa, resolveSrv: module.resolveSrv,
  resolveTxt: module.resolveTxt, reverse: module.reverse, promises: module.promises,
  install, uninstall,
};
export default dns;
