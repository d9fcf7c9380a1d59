/**
 * `NodeResolver`: the Node-shaped promise API on the Node transport,
 * configured by default from `/etc/resolv.conf`, plus a `lookup` with
 * `dns.lookup`'s signature that reads `/etc/hosts`.
 */
import type { HostAddress } from '../../core/hosts.js';
import { createLookup, lookupAll, type LookupContext, type LookupOptions } from '../../api/lookup.js';
import { PromiseResolver } from '../../api/promise-resolver.js';
import type { PromiseResolverOptions } from '../../api/options.js';
import { serversFromNode } from '../../api/servers.js';
import { recordingCore } from '../../trace/recorder.js';
import { restore, snapshot, type ResolverSnapshot, type RestoreOptions } from '../../core/snapshot.js';
import { cryptoRandom } from '../platform.js';
import { NodeTransport, type NodeTransportOptions } from './transport.js';
import { HostsFile, readResolvConf } from './system.js';

/** Options of {@link NodeResolver}: Node's (`timeout`, `tries`), the core's, and the sockets'. */
export interface NodeResolverOptions extends PromiseResolverOptions, NodeTransportOptions {
  /** resolv.conf to take defaults from (default `/etc/resolv.conf`); `false` for none. */
  readonly resolvConf?: string | false;
  /** Hosts file of `lookup` (default `/etc/hosts`); `false` for none. */
  readonly hostsFile?: string | false;
}

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
export class NodeResolver extends PromiseResolver {
  /** `dns.lookup`'s signature, bound to this resolver (for `net.connect`, `http.Agent`, undici). */
  readonly lookup: ReturnType<typeof createLookup>;
  private readonly lookupContext: LookupContext;

  constructor(options: NodeResolverOptions = {}) {
    const conf = readResolvConf(options.resolvConf === false ? '/nonexistent' : options.resolvConf);
    const merged: PromiseResolverOptions = {
      ...options,
      ...(options.timeout === undefined && conf.timeout !== undefined ? { timeout: conf.timeout * 1000 } : {}),
      ...(options.tries === undefined && conf.attempts !== undefined ? { tries: conf.attempts } : {}),
      search: options.search ?? conf.search,
      ndots: options.ndots ?? conf.ndots,
      rotate: options.rotate ?? conf.rotate,
      ...(options.edns === undefined && conf.edns0 ? { edns: true } : {}),
    };
    super(merged, () => new NodeTransport(options), cryptoRandom, options.resolvConf === false ? ['127.0.0.1'] : conf.nameservers, serversFromNode, recordingCore);
    const hosts = options.hostsFile === false ? undefined : new HostsFile(options.hostsFile);
    this.lookupContext = {
      resolver: this,
      hosts: () => (hosts === undefined ? NO_HOSTS : hosts.get()),
    };
    this.lookup = createLookup(() => this.lookupContext);
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
    return lookupAll(this.lookupContext, hostname, options);
  }
}
