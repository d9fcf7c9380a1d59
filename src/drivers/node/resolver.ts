/**
 * `NodeResolver`: the Node-shaped promise API on the Node transport,
 * configured by default from `/etc/resolv.conf`, plus a `lookup` with
 * `dns.lookup`'s signature that reads `/etc/hosts`.
 */
import dns from 'node:dns';
import { networkInterfaces } from 'node:os';
import { promisify } from 'node:util';
import type { HostAddress, HostsTable } from '../../core/hosts.js';
import { isIPv4, normalizeIP } from '../../core/codec/ip.js';
import { lookupAll, lookupPromise, lookupWith, type LookupContext, type LookupOptions } from '../../api/lookup.js';
import type { ResultOrder } from '../../api/lookup-args.js';
import { argError } from '../../api/errors.js';
import { validateString } from '../../api/node-args.js';
import { NO_OPTIONS, type CallOptions } from '../../api/options.js';
import { hostsAliases } from './lookup-service.js';
import { defaultOrder } from './result-order.js';
import { PromiseResolver } from '../../api/promise-resolver.js';
import type { PromiseResolverOptions } from '../../api/options.js';
import { serversFromNode } from '../../api/servers.js';
import { recordingCore } from '../../trace/recorder.js';
import { restore, snapshot, type ResolverSnapshot, type RestoreOptions } from '../../core/snapshot.js';
import { cryptoRandom } from '../platform.js';
import { NodeTransport, type NodeTransportOptions } from './transport.js';
import { HostsFile, readResolvConf, type HostsFileOptions } from './system.js';
import { nodeDnssecCore } from './dnssec.js';
import type { DnssecSwitch } from '../../api/dnssec.js';

/** Options of {@link NodeResolver}: Node's (`timeout`, `tries`), the core's, and the sockets'. */
export interface NodeResolverOptions extends PromiseResolverOptions, NodeTransportOptions {
  /** resolv.conf to take defaults from (default `/etc/resolv.conf`); `false` for none. */
  readonly resolvConf?: string | false;
  /** Validate DNSSEC (`sansdns/dnssec`): `true`, or its options; answers get `security`, bogus ones reject with `EBOGUS`. */
  readonly dnssec?: DnssecSwitch;
  /** Hosts file of `lookup` (default `/etc/hosts`); `false` for none. */
  readonly hostsFile?: string | false;
  /** Bytes of the hosts file read at most (default 16 MiB; see {@link HostsFileOptions}). */
  readonly hostsMaxBytes?: number;
}

/**
 * The Node driver's default `maxInFlight` (the core's is 100,000): the
 * number of queries in flight whose deadlines it keeps, measured with
 * `npm run bench -- scale-deadline` (README, "Deadlines at scale"). More can
 * be asked for; past what the machine can serve, queries end late.
 */
export const NODE_MAX_IN_FLIGHT = 20_000;
const NO_HOSTS = new Map<string, readonly HostAddress[]>();

/**
 * A drop-in for `dns.promises.Resolver`, with per-call `signal` and
 * `timeout`, `query()`, `resolveSvcb`/`resolveHttps`, `close()` and `lookup`.
 *
 * Defaults from resolv.conf: its `nameserver`s (else 127.0.0.1), `search` and
 * `ndots` (the core's search list, for `lookup` and `query()`; `resolve*` ask the name as given, as Node's do), `options rotate` as
 * `rotate`, `options edns0` as `edns: true` (EDNS is on by default anyway),
 * `options attempts` as `tries` and `options timeout` as `timeout`, each
 * unless given here.
 */
export class NodeResolver extends PromiseResolver implements dns.promises.Resolver {
  /** `dns.lookup`, bound to this resolver (for `net.connect`, `http.Agent`, undici); `getDefaultResultOrder()` applies. */
  readonly lookup: typeof dns.lookup;
  private readonly lookupContext: LookupContext;
  private readonly local: { ipv4?: string | undefined; ipv6?: string | undefined };

  constructor(given?: NodeResolverOptions) {
    const options: NodeResolverOptions = typeof given === 'object' && given !== null ? given : {};
    const local: { ipv4?: string | undefined; ipv6?: string | undefined } = {};
    const conf = readResolvConf(options.resolvConf === false ? '/nonexistent' : options.resolvConf);
    const merged: PromiseResolverOptions = {
      ...options,
      ...(options.timeout === undefined && conf.timeout !== undefined ? { timeout: conf.timeout * 1000 } : {}),
      ...(options.tries === undefined && conf.attempts !== undefined ? { tries: conf.attempts } : {}),
      search: options.search ?? conf.search,
      ndots: options.ndots ?? conf.ndots,
      rotate: options.rotate ?? conf.rotate,
      ...(options.edns === undefined && conf.edns0 ? { edns: true } : {}),
      maxInFlight: options.maxInFlight ?? NODE_MAX_IN_FLIGHT,
    };
    super(merged, () => new NodeTransport({ ...options, localAddress: local }), cryptoRandom, options.resolvConf === false ? ['127.0.0.1'] : conf.nameservers, serversFromNode, nodeDnssecCore(options.dnssec) ?? recordingCore);
    const hosts = options.hostsFile === false
      ? undefined
      : new HostsFile(options.hostsFile, options.hostsMaxBytes === undefined ? {} : { maxBytes: options.hostsMaxBytes });
    this.local = local;
    this.lookupContext = {
      resolver: this,
      hosts: () => (hosts === undefined ? NO_HOSTS : hosts.get()),
      specialNames: options.specialNames !== false,
      hints: { ADDRCONFIG: dns.ADDRCONFIG, V4MAPPED: dns.V4MAPPED, ALL: dns.ALL },
      families: configuredFamilies,
      onEmptyHostname: warnEmptyHostname,
    };
    this.lookup = boundLookup(this);
  }

  /** Node's `dns.lookup(hostname, [options], callback)` over this resolver, with `order` as the default order. @internal */
  lookupWith(hostname: unknown, options: unknown, callback: unknown, argc: number, order: ResultOrder): object {
    return lookupWith(this.lookupContext, hostname, options, callback, argc, order);
  }

  /** Node's `dns.promises.lookup(hostname, [options])` over this resolver. @internal */
  lookupPromise(hostname: unknown, options: unknown, order: ResultOrder = defaultOrder()): Promise<never> {
    return lookupPromise(this.lookupContext, hostname, options, order) as Promise<never>;
  }

  /** The hosts table `lookup` reads (empty with `hostsFile: false`). */
  async hostsTable(): Promise<HostsTable> {
    return this.lookupContext.hosts();
  }

  /**
   * Node's `setLocalAddress(ipv4, [ipv6])`: the addresses queries are sent
   * from, one per family, in either order (Node's checks and messages);
   * sockets opened from now on use them.
   */
  setLocalAddress(ipv4?: string, ipv6?: string): void {
    validateString(ipv4, 'ipv4');
    if (ipv6 !== undefined) validateString(ipv6, 'ipv6');
    const first = familyOf(ipv4);
    const second = ipv6 === undefined ? undefined : familyOf(ipv6);
    if (first === second) throw argError('ERR_INVALID_ARG_VALUE', `Cannot specify two IPv${first} addresses.`);
    this.local.ipv4 = first === 4 ? ipv4 : second === 4 ? ipv6 : undefined;
    this.local.ipv6 = first === 6 ? ipv4 : second === 6 ? ipv6 : undefined;
  }

  /**
   * Node's `reverse(ip)`: the hosts file first, as c-ares's gethostbyaddr
   * (the address's names there after the first: c-ares's aliases), then PTR.
   */
  override reverse(ip: string, options: CallOptions = NO_OPTIONS): Promise<string[]> {
    const address = typeof ip === 'string' ? normalizeIP(ip) : undefined;
    // Not an address (or not a string): the promise form's own checks (a throw, or EINVAL).
    if (address === undefined) return super.reverse(ip, options);
    return this.hostsTable().then((hosts) => hostsAliases(hosts, address) ?? super.reverse(ip, options));
  }

  /**
   * What the core has learned (its cache and per-server state), as a plain
   * JSON-able object for a warm start elsewhere: the core's `snapshot`.
   * `setServers` starts a new core with an empty cache.
   */
  snapshot(): ResolverSnapshot {
    return this.withCore(snapshot);
  }

  /**
   * Warm start from `snapshot()` of another resolver (pass `elapsed`, the ms
   * since it was taken, when it comes from another process). Throws the
   * core's `EBADSNAPSHOT` on a bad snapshot, and then changes nothing.
   */
  restore(saved: ResolverSnapshot, options: RestoreOptions = {}): void {
    this.withCore((core, now) => restore(core, now, saved, options));
  }

  /** `lookup` as a promise, always every address. */
  lookupAll(hostname: string, options: LookupOptions = {}): Promise<HostAddress[]> {
    return lookupAll(this.lookupContext, hostname, { order: defaultOrder(), ...options });
  }
}

/** 4 or 6 for an address, else Node's `ERR_INVALID_ARG_VALUE` ("Invalid IP address."). */
function familyOf(ip: string): 4 | 6 {
  const address = normalizeIP(ip);
  if (address === undefined) throw argError('ERR_INVALID_ARG_VALUE', 'Invalid IP address.');
  return isIPv4(address) ? 4 : 6;
}

/** The families this host has a non-internal address of (getaddrinfo's `AI_ADDRCONFIG`). */
function configuredFamilies(): { v4: boolean; v6: boolean } {
  const all = Object.values(networkInterfaces()).flat().filter((i) => i !== undefined && !i.internal);
  return { v4: all.some((i) => i?.family === 'IPv4'), v6: all.some((i) => i?.family === 'IPv6') };
}

let warned = false;
/** Node's DEP0118, once per process, for a lookup of a falsy host name. */
function warnEmptyHostname(hostname: unknown): void {
  if (warned) return;
  warned = true;
  process.emitWarning(
    `The provided hostname "${String(hostname)}" is not a valid hostname, and is supported in the dns module solely for compatibility.`,
    'DeprecationWarning', 'DEP0118',
  );
}

/** `r`'s `lookup` as Node's `dns.lookup` (with its promise forms). */
function boundLookup(r: NodeResolver): typeof dns.lookup {
  const fn = function (hostname: unknown, options?: unknown, callback?: unknown): object {
    // eslint-disable-next-line prefer-rest-params
    return r.lookupWith(hostname, options, callback, arguments.length, defaultOrder());
  };
  const promised = (hostname: string, options?: unknown): Promise<unknown> => r.lookupPromise(hostname, options);
  Object.defineProperty(fn, promisify.custom, { value: promised });
  return Object.assign(fn, { __promisify__: promised }) as unknown as typeof dns.lookup;
}
