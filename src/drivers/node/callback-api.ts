/**
 * node:dns's callback shape over the promise resolver: `resolve4(name,
 * [options], callback)` and its kin, with Node's argument checks in Node's
 * order (the name, then the callback), Node's calling convention (a third
 * argument makes the second the options) and Node's synchronous throws, and
 * the callback {@link Resolver} class made of them.
 *
 * Each function carries `__promisify__` (the promise form, as @types/node
 * types it), so it is assignable where Node's is typed.
 */
import type dns from 'node:dns';
import { nodeDnsError } from '../../api/errors.js';
import { invalidArgType, invalidArgValue, validateFunction, validateString } from '../../api/node-args.js';
import { reverseName } from '../../api/servers.js';
import { NodeResolver, type NodeResolverOptions } from './resolver.js';
import { settleOutside } from '../../api/callback.js';

/** The promise methods a callback function may stand for. */
export type QueryMethod =
  | 'resolve4' | 'resolve6' | 'resolveAny' | 'resolveCaa' | 'resolveCname' | 'resolveMx' | 'resolveNaptr' | 'resolveNs'
  | 'resolvePtr' | 'resolveSoa' | 'resolveSrv' | 'resolveTxt' | 'reverse';

type Callback = (err: Error | null, result?: unknown) => void;
type Loose = (name: string, options?: unknown) => Promise<unknown>;

/** The method of each `rrtype` of `resolve(name, rrtype, callback)`, as Node's. */
export const RRTYPE_METHOD: Readonly<Record<string, QueryMethod>> = Object.freeze({
  A: 'resolve4', AAAA: 'resolve6', ANY: 'resolveAny', CAA: 'resolveCaa', CNAME: 'resolveCname', MX: 'resolveMx',
  NAPTR: 'resolveNaptr', NS: 'resolveNs', PTR: 'resolvePtr', SOA: 'resolveSoa', SRV: 'resolveSrv', TXT: 'resolveTxt',
});

/**
 * `method` of `get()` in the callback shape. `reverse` of a non-address
 * throws `EINVAL` at once, as Node's callback `reverse` does (its promise
 * form rejects).
 */
export function callbackOf<M extends QueryMethod>(get: () => NodeResolver, method: M): (typeof dns)[M] {
  const call = function (name: unknown, options?: unknown, callback?: unknown): object {
    // eslint-disable-next-line prefer-rest-params
    if (arguments.length <= 2) {
      callback = options;
      options = undefined;
    }
    validateString(name, 'name');
    validateFunction(callback, 'callback');
    if (method === 'reverse' && reverseName(name) === undefined) {
      const error = nodeDnsError('EINVAL', 'getHostByAddr', name);
      error.errno = -22;
      throw error;
    }
    const cb = callback as Callback;
    settleOutside((get()[method] as Loose)(name, options), (result) => cb(null, result), (error) => cb(error));
    return {}; // Node returns its request object
  };
  const promisified = (name: string, options?: unknown): Promise<unknown> => (get()[method] as Loose)(name, options);
  return Object.assign(call, { __promisify__: promisified }) as unknown as (typeof dns)[M];
}

/** `resolve(name, [rrtype], callback)` of `get()`, with Node's checks of `rrtype`. */
export function callbackResolve(get: () => NodeResolver, methods: { readonly [K in QueryMethod]: (typeof dns)[K] }): typeof dns.resolve {
  const resolve = function (name: unknown, rrtype: unknown, callback?: unknown): object {
    let method: QueryMethod | undefined;
    if (typeof rrtype === 'string') {
      method = Object.hasOwn(RRTYPE_METHOD, rrtype) ? RRTYPE_METHOD[rrtype] : undefined;
    } else if (typeof rrtype === 'function') {
      method = 'resolve4';
      callback = rrtype;
    } else {
      throw invalidArgType('rrtype', 'of type string', rrtype);
    }
    if (method === undefined) throw invalidArgValue('rrtype', rrtype);
    return (methods[method] as unknown as (n: unknown, cb: unknown) => object)(name, callback);
  };
  const promisified = (name: string, rrtype?: string): Promise<unknown> => (get().resolve as (n: string, t?: string) => Promise<unknown>)(name, rrtype);
  return Object.assign(resolve, { __promisify__: promisified }) as unknown as typeof dns.resolve;
}

/** Every query function of `get()` in the callback shape. */
export function callbackMethods(get: () => NodeResolver): { readonly [K in QueryMethod]: (typeof dns)[K] } {
  return {
    resolve4: callbackOf(get, 'resolve4'), resolve6: callbackOf(get, 'resolve6'), resolveAny: callbackOf(get, 'resolveAny'),
    resolveCaa: callbackOf(get, 'resolveCaa'), resolveCname: callbackOf(get, 'resolveCname'), resolveMx: callbackOf(get, 'resolveMx'),
    resolveNaptr: callbackOf(get, 'resolveNaptr'), resolveNs: callbackOf(get, 'resolveNs'), resolvePtr: callbackOf(get, 'resolvePtr'),
    resolveSoa: callbackOf(get, 'resolveSoa'), resolveSrv: callbackOf(get, 'resolveSrv'), resolveTxt: callbackOf(get, 'resolveTxt'),
    reverse: callbackOf(get, 'reverse'),
  };
}

/**
 * node:dns's callback `Resolver`, over a {@link NodeResolver} (its
 * `promises`): the same methods, arguments, results and errors as
 * `new dns.Resolver()`, plus `close()` and `lookup`.
 */
export class Resolver implements dns.Resolver {
  /** The promise resolver behind this one (same servers, cache and sockets). */
  readonly promises: NodeResolver;
  /** `dns.lookup`'s signature over this resolver's servers and hosts file. */
  readonly lookup: NodeResolver['lookup'];
  readonly resolve: typeof dns.resolve;
  readonly resolve4: typeof dns.resolve4;
  readonly resolve6: typeof dns.resolve6;
  readonly resolveAny: typeof dns.resolveAny;
  readonly resolveCaa: typeof dns.resolveCaa;
  readonly resolveCname: typeof dns.resolveCname;
  readonly resolveMx: typeof dns.resolveMx;
  readonly resolveNaptr: typeof dns.resolveNaptr;
  readonly resolveNs: typeof dns.resolveNs;
  readonly resolvePtr: typeof dns.resolvePtr;
  readonly resolveSoa: typeof dns.resolveSoa;
  readonly resolveSrv: typeof dns.resolveSrv;
  readonly resolveTxt: typeof dns.resolveTxt;
  readonly reverse: typeof dns.reverse;

  constructor(options?: NodeResolverOptions) {
    const promises = new NodeResolver(options);
    const get = (): NodeResolver => promises;
    const m = callbackMethods(get);
    this.promises = promises;
    this.lookup = promises.lookup;
    this.resolve = callbackResolve(get, m);
    this.resolve4 = m.resolve4;
    this.resolve6 = m.resolve6;
    this.resolveAny = m.resolveAny;
    this.resolveCaa = m.resolveCaa;
    this.resolveCname = m.resolveCname;
    this.resolveMx = m.resolveMx;
    this.resolveNaptr = m.resolveNaptr;
    this.resolveNs = m.resolveNs;
    this.resolvePtr = m.resolvePtr;
    this.resolveSoa = m.resolveSoa;
    this.resolveSrv = m.resolveSrv;
    this.resolveTxt = m.resolveTxt;
    this.reverse = m.reverse;
  }

  /** The servers, as Node writes them. */
  getServers(): string[] {
    return this.promises.getServers();
  }

  /** Replace the servers (Node's syntax and checks). */
  setServers(servers: readonly string[]): void {
    this.promises.setServers(servers);
  }

  /** The local addresses queries are sent from (Node's checks). */
  setLocalAddress(ipv4?: string, ipv6?: string): void {
    this.promises.setLocalAddress(ipv4, ipv6);
  }

  /** Cancel every query in flight: each callback gets `ECANCELLED`. */
  cancel(): void {
    this.promises.cancel();
  }

  /** Cancel everything and release the sockets (beyond Node). */
  close(): void {
    this.promises.close();
  }
}
