/**
 * `dns.lookup` over the core: Node's signature, checks (`lookup-args.ts`) and
 * results, usable as the `lookup` option of `net.connect`, `http.Agent` and
 * undici. Sources in getaddrinfo's order: an address literal is its own
 * answer (whatever `family` says, as Node's); then the hosts table; then,
 * unless `specialNames` is off, `localhost` and `*.localhost` answer loopback
 * themselves (RFC 6761 §6.3); then DNS, A and AAAA in parallel, with the
 * search list and `ndots` (resolv.conf(5)) applied by the core.
 *
 * Hints as getaddrinfo's: `V4MAPPED` with family 6 maps the IPv4 addresses
 * to `::ffff:a.b.c.d` when there is no IPv6 one (`ALL`: always, after the
 * IPv6 ones); `ADDRCONFIG` keeps only families the host has a non-loopback
 * address of (the driver says which).
 */
import { isIPv4, normalizeIP } from '../core/codec/ip.js';
import { MAX_NAME_TEXT } from '../core/codec/name.js';
import { DnsError } from '../core/errors.js';
import { hostsLookup, type HostAddress, type HostsTable } from '../core/hosts.js';
import { specialName } from '../core/special-names.js';
import { lookupError, type NodeDnsError } from './errors.js';
import { callbackLookupArgs, LINUX_HINTS, promiseLookupArgs, type HintFlags, type LookupRequest, type ResultOrder } from './lookup-args.js';
import type { CallOptions } from './options.js';
import type { PromiseResolver } from './promise-resolver.js';
import { ofType } from './shapes.js';
import { settleOutside } from './callback.js';

export type { ResultOrder } from './lookup-args.js';

/** Options of `lookup`, as Node's, and the per-call ones of sansdns. */
export interface LookupOptions extends CallOptions {
  readonly family?: number | 'IPv4' | 'IPv6' | undefined;
  readonly all?: boolean | undefined;
  readonly hints?: number | undefined;
  readonly order?: ResultOrder | undefined;
  /** Node < 22: true for `verbatim`, false for `ipv4first`. */
  readonly verbatim?: boolean | undefined;
}

export type LookupCallback = (err: NodeDnsError | null, address?: string | HostAddress[] | null, family?: number) => void;

/** Where lookups get their configuration. */
export interface LookupContext {
  readonly resolver: PromiseResolver;
  /** The hosts table, read fresh enough by the driver (asynchronously: a file read never blocks the loop). */
  readonly hosts: () => HostsTable | Promise<HostsTable>;
  /** Whether `localhost` is answered here (the resolver's `specialNames`; default true). */
  readonly specialNames?: boolean;
  /** The platform's hint flags (default glibc's). */
  readonly hints?: HintFlags;
  /** The families the host has a non-loopback address of, for `ADDRCONFIG` (default both). */
  readonly families?: () => { readonly v4: boolean; readonly v6: boolean };
  /** Called once per call with a falsy host name (Node warns DEP0118). */
  readonly onEmptyHostname?: (hostname: unknown) => void;
}

type Outcome = { addresses: HostAddress[]; transient: boolean; nodata: boolean };

async function ask(ctx: LookupContext, name: string, type: 'A' | 'AAAA', options: CallOptions): Promise<Outcome> {
  try {
    const result = await ctx.resolver.query(name, type, options);
    const { records } = ofType(result.records, type);
    const family = type === 'A' ? 4 : 6;
    return { addresses: records.map((r) => ({ address: r.data as string, family })), transient: false, nodata: result.rcode === 0 };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EBADNAME') return { addresses: [], transient: false, nodata: false };
    if (code === 'ECANCELLED') throw error;
    return { addresses: [], transient: true, nodata: false };
  }
}

function order(list: HostAddress[], mode: ResultOrder): HostAddress[] {
  if (mode === 'verbatim') return list;
  const first = mode === 'ipv4first' ? 4 : 6;
  return [...list.filter((a) => a.family === first), ...list.filter((a) => a.family !== first)];
}

/** getaddrinfo's `V4MAPPED` (and `ALL`) for family 6. */
function mapV4(found: HostAddress[], request: LookupRequest, flags: HintFlags): HostAddress[] {
  const v6 = found.filter((a) => a.family === 6);
  if ((request.hints & flags.V4MAPPED) === 0 || (v6.length > 0 && (request.hints & flags.ALL) === 0)) return v6;
  const mapped = found.filter((a) => a.family === 4).map((a): HostAddress => ({ address: `::ffff:${a.address}`, family: 6 }));
  return [...v6, ...mapped];
}

async function viaDns(ctx: LookupContext, hostname: string, request: LookupRequest, options: CallOptions): Promise<HostAddress[]> {
  const flags = ctx.hints ?? LINUX_HINTS;
  const mapping = request.family === 6 && (request.hints & flags.V4MAPPED) !== 0;
  let want = { v4: request.family !== 6 || mapping, v6: request.family !== 4 };
  if ((request.hints & flags.ADDRCONFIG) !== 0 && ctx.families !== undefined) {
    const has = ctx.families();
    // glibc (sysdeps/posix/getaddrinfo.c): an unspecified family is narrowed only when some family is
    // configured; on a host with loopback alone (a container, a network namespace) both are asked.
    if (request.family !== 0 || has.v4 || has.v6) want = { v4: want.v4 && has.v4, v6: want.v6 && has.v6 };
  }
  const asks: Promise<Outcome>[] = [];
  if (want.v4) asks.push(ask(ctx, hostname, 'A', options));
  if (want.v6) asks.push(ask(ctx, hostname, 'AAAA', options));
  const outcomes = await Promise.all(asks);
  let found = outcomes.flatMap((o) => o.addresses);
  if (request.family === 6) found = mapV4(found, request, flags);
  if (found.length > 0) return found;
  if (outcomes.some((o) => o.transient)) throw lookupError('EAI_AGAIN', hostname);
  // getaddrinfo's EAI_NODATA (the name exists, without addresses) and EAI_NONAME are both ENOTFOUND to Node.
  throw lookupError('ENOTFOUND', hostname, undefined, outcomes.length > 0 && outcomes.every((o) => o.nodata));
}

/** Resolve a host name to addresses (every address; `request` read by `lookup-args.ts`). */
export async function lookupRequest(ctx: LookupContext, hostname: string, request: LookupRequest, options: CallOptions = {}): Promise<HostAddress[]> {
  if (hostname.length > MAX_NAME_TEXT) {
    // One length check: a name too long for any DNS name is getaddrinfo's EAI_NONAME (its cause the core's EBADNAME).
    throw lookupError('ENOTFOUND', hostname, new DnsError('EBADNAME', `a name of ${hostname.length} characters is longer than any DNS name`));
  }
  const literal = normalizeIP(hostname);
  if (literal !== undefined) return [{ address: hostname, family: isIPv4(literal) ? 4 : 6 }];
  const fromHosts = hostsLookup(await ctx.hosts(), hostname, request.family);
  if (fromHosts.length > 0) return order(fromHosts, request.order);
  if (ctx.specialNames !== false && specialName(hostname) === 'localhost') {
    const loop: HostAddress[] = [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }];
    return order(loop.filter((a) => request.family === 0 || a.family === request.family), request.order);
  }
  return order(await viaDns(ctx, hostname, request, options), request.order);
}

/**
 * Resolve a host name to addresses (the promise form of `lookup`, always
 * `all`, options as Node's): a bad argument rejects (Node's code and
 * message), a falsy name gives `[]`, as `dns.promises.lookup(name, { all: true })`.
 */
export async function lookupAll(ctx: LookupContext, hostname: string, options: LookupOptions = {}): Promise<HostAddress[]> {
  const request = promiseLookupArgs(hostname, options, options.order ?? 'verbatim', ctx.hints);
  if (!hostname) return [];
  return lookupRequest(ctx, hostname, { ...request, all: true }, options);
}

/** `callback(err, …)` with Node's arguments for a lookup's result. */
function deliver(request: LookupRequest, list: HostAddress[], cb: LookupCallback): void {
  if (request.all) cb(null, list);
  else cb(null, (list[0] as HostAddress).address, (list[0] as HostAddress).family);
}

/**
 * Node's `dns.lookup(hostname, [options], callback)` over `ctx`: `argc` is the
 * caller's argument count, `defaultOrder` Node's `getDefaultResultOrder()`.
 */
export function lookupWith(ctx: LookupContext, hostname: unknown, options: unknown, callback: unknown, argc: number, defaultOrder: ResultOrder): object {
  const { request, callback: raw } = callbackLookupArgs(hostname, options, callback, argc, defaultOrder, ctx.hints);
  const cb = raw as unknown as LookupCallback;
  if (!hostname) {
    ctx.onEmptyHostname?.(hostname);
    queueMicrotask(() => (request.all ? cb(null, []) : cb(null, null, request.family === 6 ? 6 : 4)));
    return {};
  }
  const call = typeof options === 'object' && options !== null ? (options as CallOptions) : {};
  settleOutside(lookupRequest(ctx, hostname as string, request, call), (list) => deliver(request, list, cb), (error) => cb(error as NodeDnsError));
  return {};
}

/** Node's `dns.promises.lookup(hostname, [options])` over `ctx`: `{ address, family }`, or every one with `all`. */
export function lookupPromise(ctx: LookupContext, hostname: unknown, options: unknown, defaultOrder: ResultOrder): Promise<HostAddress | HostAddress[] | { address: null; family: 4 | 6 }> {
  const request = promiseLookupArgs(hostname, options, defaultOrder, ctx.hints);
  if (!hostname) {
    ctx.onEmptyHostname?.(hostname);
    return Promise.resolve(request.all ? [] : { address: null, family: request.family === 6 ? 6 : 4 });
  }
  const call = typeof options === 'object' && options !== null ? (options as CallOptions) : {};
  return lookupRequest(ctx, hostname as string, request, call).then((list) => (request.all ? list : (list[0] as HostAddress)));
}

/** A `lookup` with `dns.lookup`'s signature over `ctx` (its default order: `defaultOrder()`). */
export function createLookup(ctx: () => LookupContext, defaultOrder: () => ResultOrder = () => 'verbatim') {
  return function lookup(hostname: string, options: LookupOptions | number | LookupCallback, callback?: LookupCallback): void {
    // eslint-disable-next-line prefer-rest-params
    lookupWith(ctx(), hostname, options, callback, arguments.length, defaultOrder());
  };
}
