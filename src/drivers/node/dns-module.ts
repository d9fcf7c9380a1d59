/**
 * node:dns's module-level API over sansdns: `lookup`, `lookupService`, the
 * `resolve*` functions and `reverse` of a default resolver, `getServers`,
 * `setServers`, `setDefaultResultOrder`/`getDefaultResultOrder`, and the
 * `promises` namespace of the same (node:dns/promises).
 *
 * As in Node, the default resolver is built on first use from the system's
 * configuration (`/etc/resolv.conf`; `lookup` also reads `/etc/hosts`);
 * `setServers` replaces it by a fresh one with those servers (for the
 * promise functions too), while `promises.setServers` replaces only the
 * promise functions' one. The state lives on `globalThis` under a
 * registered symbol, so an ESM and a CommonJS copy of this package share it
 * as they would share node:dns.
 */
import nodeDns from 'node:dns';
import { promisify } from 'node:util';
import { validateOneOf } from '../../api/node-args.js';
import { RESULT_ORDERS, type HintFlags } from '../../api/lookup-args.js';
import { callbackMethods, callbackResolve } from './callback-api.js';
import * as codes from './dns-codes.js';
import { lookupService as serviceOf, lookupServiceArgs, ServicesFile } from './lookup-service.js';
import { NodeResolver } from './resolver.js';
import { defaultOrder, setOrder } from './result-order.js';
import { settleOutside } from '../../api/callback.js';

interface State {
  shared: NodeResolver | undefined;
  promises: NodeResolver | undefined;
  readonly services: ServicesFile;
}

const KEY = Symbol.for('sansdns.node.defaults.v1');
const holder = globalThis as unknown as Record<symbol, State | undefined>;
const state: State = (holder[KEY] ??= { shared: undefined, promises: undefined, services: new ServicesFile() });

/** This platform's getaddrinfo hint flags, as Node exports them. */
export const HINTS: HintFlags = Object.freeze({ ADDRCONFIG: nodeDns.ADDRCONFIG, V4MAPPED: nodeDns.V4MAPPED, ALL: nodeDns.ALL });

/** The resolver behind the module-level functions, built on first use from the system's configuration. */
export function defaultResolver(): NodeResolver {
  state.shared ??= new NodeResolver();
  return state.shared;
}

/** The resolver behind the `promises` functions: the default one, unless `promises.setServers` replaced it. */
function promisesResolver(): NodeResolver {
  return state.promises ?? defaultResolver();
}

/** A fresh resolver with the system's options and `servers` (checked as Node checks them). */
function withServers(servers: readonly string[]): NodeResolver {
  const resolver = new NodeResolver();
  resolver.setServers(servers);
  return resolver;
}

/**
 * Node's `dns.getDefaultResultOrder()`: `lookup`'s default `order` (initially
 * Node's own). Typed as the installed @types/node types Node's.
 */
export const getDefaultResultOrder: typeof nodeDns.getDefaultResultOrder = () => defaultOrder() as ReturnType<typeof nodeDns.getDefaultResultOrder>;

/** Node's `dns.setDefaultResultOrder(order)`, for sansdns's `lookup`. */
export const setDefaultResultOrder: typeof nodeDns.setDefaultResultOrder = (order: unknown): void => {
  validateOneOf(order, 'dnsOrder', RESULT_ORDERS);
  setOrder(order);
};

/** The default resolver's servers, as Node writes them. */
export function getServers(): string[] {
  return defaultResolver().getServers();
}

/** Replace the default resolver by one asking `servers` (for the `promises` functions too, as Node's). */
export function setServers(servers: readonly string[]): void {
  state.shared = withServers(servers);
  state.promises = undefined;
}

const methods = callbackMethods(defaultResolver);
export const {
  resolve4, resolve6, resolveAny, resolveCaa, resolveCname, resolveMx, resolveNaptr, resolveNs, resolvePtr, resolveSoa,
  resolveSrv, resolveTxt, reverse,
} = methods;
export const resolve = callbackResolve(defaultResolver, methods);

/** Node's `dns.lookup`, over the default resolver, `/etc/hosts` and `getDefaultResultOrder()`. */
export const lookup: typeof nodeDns.lookup = lookupOf(defaultResolver);

function lookupOf(get: () => NodeResolver): typeof nodeDns.lookup {
  const fn = function (hostname: unknown, options?: unknown, callback?: unknown): unknown {
    // eslint-disable-next-line prefer-rest-params
    return get().lookupWith(hostname, options, callback, arguments.length, defaultOrder());
  };
  const promised = (hostname: string, options?: unknown): Promise<unknown> => get().lookupPromise(hostname, options, defaultOrder());
  Object.defineProperty(fn, promisify.custom, { value: promised });
  return Object.assign(fn, { __promisify__: promised }) as unknown as typeof nodeDns.lookup;
}

/** Node's `dns.lookupService(address, port, callback)` (see lookup-service.ts). */
export const lookupService: typeof nodeDns.lookupService = Object.assign(
  function (address: unknown, port: unknown, callback: unknown): object {
    // eslint-disable-next-line prefer-rest-params
    const n = lookupServiceArgs('callback', arguments.length, address, port, callback);
    const cb = callback as (err: Error | null, hostname?: string, service?: string) => void;
    const r = defaultResolver();
    settleOutside(
      r.hostsTable().then((hosts) => serviceOf(r, hosts, state.services, address as string, n)),
      ({ hostname, service }) => cb(null, hostname, service), (error) => cb(error),
    );
    return {}; // Node returns its request object
  },
  { __promisify__: (address: string, port: number) => promiseLookupService(2, address, port) },
) as unknown as typeof nodeDns.lookupService;

function promiseLookupService(argc: number, address: unknown, port: unknown): Promise<{ hostname: string; service: string }> {
  const n = lookupServiceArgs('promise', argc, address, port);
  const r = promisesResolver();
  return r.hostsTable().then((hosts) => serviceOf(r, hosts, state.services, address as string, n));
}

/** node:dns/promises over sansdns: the same functions as the module, promise-shaped. */
export const promises = {
  ...codes,
  Resolver: NodeResolver,
  lookup: ((hostname: unknown, options?: unknown) => promisesResolver().lookupPromise(hostname, options, defaultOrder())) as typeof nodeDns.promises.lookup,
  lookupService: function (address: unknown, port: unknown) {
    // eslint-disable-next-line prefer-rest-params
    return promiseLookupService(arguments.length, address, port);
  } as typeof nodeDns.promises.lookupService,
  getServers: (): string[] => promisesResolver().getServers(),
  setServers: (servers: readonly string[]): void => {
    state.promises = withServers(servers);
  },
  // @types/node 20 types the promise namespace's order without 'ipv6first' (which Node 20 accepts).
  getDefaultResultOrder: getDefaultResultOrder as typeof nodeDns.promises.getDefaultResultOrder,
  setDefaultResultOrder: setDefaultResultOrder as typeof nodeDns.promises.setDefaultResultOrder,
  resolve: ((name: string, rrtype?: string) => promisesResolver().resolve(name, rrtype as 'A')) as typeof nodeDns.promises.resolve,
  resolve4: ((name: string, options?: { ttl: boolean }) => promisesResolver().resolve4(name, options as { ttl: true })) as typeof nodeDns.promises.resolve4,
  resolve6: ((name: string, options?: { ttl: boolean }) => promisesResolver().resolve6(name, options as { ttl: true })) as typeof nodeDns.promises.resolve6,
  resolveAny: (name: string) => promisesResolver().resolveAny(name),
  resolveCaa: (name: string) => promisesResolver().resolveCaa(name),
  resolveCname: (name: string) => promisesResolver().resolveCname(name),
  resolveMx: (name: string) => promisesResolver().resolveMx(name),
  resolveNaptr: (name: string) => promisesResolver().resolveNaptr(name),
  resolveNs: (name: string) => promisesResolver().resolveNs(name),
  resolvePtr: (name: string) => promisesResolver().resolvePtr(name),
  resolveSoa: (name: string) => promisesResolver().resolveSoa(name),
  resolveSrv: (name: string) => promisesResolver().resolveSrv(name),
  resolveTxt: (name: string) => promisesResolver().resolveTxt(name),
  reverse: (ip: string) => promisesResolver().reverse(ip),
};
