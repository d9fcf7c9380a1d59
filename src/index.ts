/**
 * sansdns: a DNS stub resolver whose core does no I/O.
 *
 * `Resolver` is the sans-IO state machine; the codec functions are the
 * validated wire format it uses, exported for drivers, servers and tests.
 * @packageDocumentation
 */
export { Resolver } from './core/resolver.js';
export { DnsError, isDnsError } from './core/errors.js';
export type { CallerErrorCode, QueryErrorCode, DnsErrorCode } from './core/errors.js';
export { snapshot, restore } from './core/snapshot.js';
export type { ResolverSnapshot, SnapshotAnswer, SnapshotFailure, SnapshotServer, RestoreOptions } from './core/snapshot.js';
export type * from './core/types.js';
export type * from './core/codec/types.js';
export {
  decodeMessage, encodeQuery, encodeMessage, parseName, namesEqual, readId,
  typeFromInput, typeToName, classFromInput, classToName,
} from './core/codec/index.js';
export type { ParsedName, QuerySpec } from './core/codec/index.js';
export { rcodeName } from './core/codec/rcode.js';
export { normalizeIP } from './core/codec/ip.js';
export { parseServer, endpointKey } from './core/servers.js';
export { parseResolvConf } from './core/resolv-conf.js';
export type { ResolvConf } from './core/resolv-conf.js';
export { parseHosts, hostsLookup } from './core/hosts.js';
export type { HostAddress, HostsTable } from './core/hosts.js';
