/**
 * sansdns: a DNS stub resolver whose core does no I/O.
 *
 * `Resolver` is the sans-IO state machine: datagrams and `now` in,
 * datagrams, events and the next deadline out. Here also its errors, types,
 * snapshots and the pure parsers of server strings, resolv.conf and hosts
 * files. The wire format is `sansdns/codec`; traces are `sansdns/trace`.
 * @packageDocumentation
 */
export { Resolver } from './core/resolver.js';
export { DnsError, isDnsError } from './core/errors.js';
export type { CallerErrorCode, QueryErrorCode, DnsErrorCode, TransportErrorCode } from './core/errors.js';
export { snapshot, restore } from './core/snapshot.js';
export type { ResolverSnapshot, SnapshotAnswer, SnapshotFailure, SnapshotServer, RestoreOptions } from './core/snapshot.js';
export type * from './core/types.js';
export { normalizeIP } from './core/codec/ip.js';
export { parseServer, endpointKey, endpointText } from './core/servers.js';
export { parseResolvConf } from './core/resolv-conf.js';
export type { ResolvConf } from './core/resolv-conf.js';
export { parseHosts, hostsLookup } from './core/hosts.js';
export type { HostAddress, HostsTable } from './core/hosts.js';
