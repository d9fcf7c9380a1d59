/**
 * `dns.lookup` over the core: the signature of Node's (`family`, `all`,
 * `order`/`verbatim`), usable as the `lookup` option of `net.connect`,
 * `http.Agent` and undici. Order of sources, as getaddrinfo's: an address
 * literal is its own answer; then the hosts table; then `localhost` and
 * `*.localhost` answer loopback themselves (RFC 6761 §6.3); then DNS, A and
 * AAAA in parallel, with the search list and `ndots` (resolv.conf(5)) applied
 * by the core (options `search`, `ndots`; `src/core/search.ts`).
 */
import { isIPv4, normalizeIP } from '../core/address.js';
import { hostsLookup, type HostAddress, type HostsTable } from '../core/hosts.js';
import { specialName } from '../core/search.js';
import { argError, lookupError, type NodeDnsError } from './errors.js';
import type { CallOptions } from './options.js';
import type { PromiseResolver } from './promise-resolver.js';
import { ofType } from './shapes.js';

/** Options of `lookup`, as Node's. */
export interface LookupOptions extends CallOptions {
  readonly family?: 0 | 4 | 6 | 'IPv4' | 'IPv6' | undefined;
  readonly all?: boolean | undefined;
  readonly hints?: number | undefined;
  /** Node ≥ 22: `verbatim`, `ipv4first` or `ipv6first`. */
  readonly order?: 'verbatim' | 'ipv4first' | 'ipv6first' | undefined;
  /** Node < 22: true for `verbatim`, false for `ipv4first`. */
  readonly verbatim?: boolean | undefined;
}

export type LookupCallback = (err: NodeDnsError | null, address?: string | HostAddress[] | null, family?: number) => void;

/** Where lookups get their configuration. */
export interface LookupContext {
  readonly resolver: PromiseResolver;
  /** The hosts table, read fresh enough by the driver. */
  readonly hosts: () => HostsTable;
}

function familyOf(f: LookupOptions['family']): 0 | 4 | 6 {
  if (f === undefined || f === 0) return 0;
  if (f === 4 || f === 'IPv4') return 4;
  if (f === 6 || f === 'IPv6') return 6;
  throw argError('ERR_INVALID_ARG_VALUE', `The argument 'family' must be one of: 0, 4, 6. Received ${String(f)}`);
}

type Outcome = { addresses: HostAddress[]; transient: boolean };

async function ask(ctx: LookupContext, name: string, type: 'A' | 'AAAA', options: CallOptions): Promise<Outcome> {
  try {
    const { records } = ofType((await ctx.resolver.query(name, type, options)).records, type);
    const family = type === 'A' ? 4 : 6;
    return { addresses: records.map((r) => ({ address: r.data as string, family })), transient: false };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EBADNAME') return { addresses: [], transient: false };
    if (code === 'ECANCELLED') throw error;
    return { addresses: [], transient: true };
  }
}

function order(list: HostAddress[], o: LookupOptions): HostAddress[] {
  const mode = o.order ?? (o.verbatim === false ? 'ipv4first' : 'verbatim');
  if (mode === 'verbatim') return list;
  const first = mode === 'ipv4first' ? 4 : 6;
  return [...list.filter((a) => a.family === first), ...list.filter((a) => a.family !== first)];
}

async function viaDns(ctx: LookupContext, hostname: string, family: 0 | 4 | 6, options: CallOptions): Promise<HostAddress[]> {
  const asks: Promise<Outcome>[] = [];
  if (family !== 6) asks.push(ask(ctx, hostname, 'A', options));
  if (family !== 4) asks.push(ask(ctx, hostname, 'AAAA', options));
  const outcomes = await Promise.all(asks);
  const found = outcomes.flatMap((o) => o.addresses);
  if (found.length > 0) return found;
  throw lookupError(outcomes.some((o) => o.transient) ? 'EAI_AGAIN' : 'ENOTFOUND', hostname);
}

/** Resolve a host name to addresses (the promise form of `lookup`, always `all`). */
export async function lookupAll(ctx: LookupContext, hostname: string, options: LookupOptions = {}): Promise<HostAddress[]> {
  const family = familyOf(options.family);
  const literal = normalizeIP(hostname);
  if (literal !== undefined) {
    const f = isIPv4(literal) ? 4 : 6;
    if (family !== 0 && family !== f) throw lookupError('ENOTFOUND', hostname);
    return [{ address: hostname, family: f }];
  }
  const fromHosts = hostsLookup(ctx.hosts(), hostname, family);
  if (fromHosts.length > 0) return order(fromHosts, options);
  if (specialName(hostname) === 'localhost') {
    const loop: HostAddress[] = [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }];
    return order(loop.filter((a) => family === 0 || a.family === family), options);
  }
  return order(await viaDns(ctx, hostname, family, options), options);
}

/** Build a `lookup` with `dns.lookup`'s signature over `ctx`. */
export function createLookup(ctx: () => LookupContext) {
  return function lookup(hostname: string, options: LookupOptions | number | LookupCallback, callback?: LookupCallback): void {
    let opts: LookupOptions;
    let cb: LookupCallback;
    if (typeof options === 'function') {
      opts = {};
      cb = options;
    } else {
      opts = typeof options === 'number' ? { family: options as 0 | 4 | 6 } : (options ?? {});
      if (typeof callback !== 'function') throw argError('ERR_INVALID_ARG_TYPE', 'The "callback" argument must be of type function.');
      cb = callback;
    }
    if (hostname !== undefined && typeof hostname !== 'string') {
      throw argError('ERR_INVALID_ARG_TYPE', 'The "hostname" argument must be of type string.');
    }
    const family = familyOf(opts.family);
    if (!hostname) {
      queueMicrotask(() => (opts.all === true ? cb(null, []) : cb(null, null, family === 6 ? 6 : 4)));
      return;
    }
    lookupAll(ctx(), hostname, opts).then(
      (list) => {
        const first = list[0] as HostAddress;
        if (opts.all === true) cb(null, list);
        else cb(null, first.address, first.family);
      },
      (error: NodeDnsError) => cb(error),
    );
  };
}
