/**
 * `DohResolver`: DNS-over-HTTPS with the Node-shaped promise API
 * (`resolve4`, `resolveTxt`, ..., `query()`, the same error codes) on the
 * `fetch` transport. The core decides everything: failover across servers,
 * per-attempt timers, the overall deadline, validation of answers.
 */
import { DnsError } from '../../core/errors.js';
import { parseDohServer } from '../../core/servers.js';
import type { Endpoint, ServerInput } from '../../core/types.js';
import { BasePromiseResolver } from '../../api/promise-resolver.js';
import { PLAIN_CHECKS } from '../../api/checks.js';
import { plainCore, type CoreFactory, type PromiseResolverOptions } from '../../api/options.js';
import { cryptoRandom } from '../platform.js';
import { FetchTransport, type FetchTransportOptions } from './transport.js';

/** A DoH server: its URL (`https://dns.example/dns-query`), or `{ url, transport: 'doh' }`. */
export type DohServerInput = string | { readonly url: string; readonly transport: 'doh' };

/** Options of the DoH {@link DohResolver}: the promise API's, and the transport's. */
export interface DohResolverOptions extends Omit<PromiseResolverOptions, 'servers'>, FetchTransportOptions {
  /** DoH servers in order of preference; the core fails over from one to the next. Required. */
  readonly servers: readonly DohServerInput[];
  /** Fills a `Uint8Array` with random bytes (default `crypto.getRandomValues`). */
  readonly random?: (bytes: Uint8Array) => unknown;
  /**
   * Builds the core. The default core has none of the UDP/TCP policies
   * (cookies, 0x20, the search list, UDP/TCP servers: `src/core/policies.ts`)
   * and no recorder, so the bundle leaves them out; options `trace`,
   * `search` and `case0x20` throw `EBADOPTION` with it. `recordingCore`
   * (`import { recordingCore } from 'sansdns/trace'`) builds a core with
   * every policy, which records with `trace`.
   */
  readonly core?: CoreFactory;
}

/** Every server as a DoH server object; throws `EBADSERVER` for anything else. */
export function dohServers(servers: unknown): ServerInput[] {
  if (!Array.isArray(servers) || servers.length === 0) {
    throw new DnsError('EBADSERVER', 'a DoH resolver needs at least one https:// server');
  }
  return servers.map((s: unknown) => ({ url: parseDohServer(s as ServerInput).url, transport: 'doh' }));
}

/** A DoH server as `getServers` writes it: its URL. */
const dohUrl = (server: Endpoint): string => (server as Extract<Endpoint, { transport: 'doh' }>).url;

/**
 * A DNS resolver over HTTPS with the API of Node's `dns.promises.Resolver`,
 * for browsers, workers, Deno, Bun and Node. Per call: `signal` and `timeout`.
 * Its own arguments get the plain checks (`api/checks.ts`: Node's codes and
 * classes, short messages, names left to the core), so the bundle leaves
 * Node's message builders out; `PromiseResolver` has Node's.
 *
 * ```ts
 * const r = new DohResolver({ servers: ['https://dns.example/dns-query'] });
 * await r.resolve4('example.com'); // ['93.184.215.14']
 * ```
 */
export class DohResolver extends BasePromiseResolver {
  constructor(options: DohResolverOptions) {
    const { servers, random, method: _m, maxResponseSize: _s, fetch: _f, headers: _h, onServerError: _e, core, ...rest } = options;
    // The transport's options, as given now (each transport of a later setServers gets the same); it reads its own only.
    const transport: FetchTransportOptions = { ...options };
    super({ ...rest, servers: dohServers(servers) }, () => new FetchTransport(transport), random ?? cryptoRandom, [], dohServers, core ?? plainCore, PLAIN_CHECKS, dohUrl);
  }

  /** Replace the servers (DoH URLs). Throws `EBADSERVER` on a bad one, and like Node while queries are pending. */
  override setServers(servers: readonly (DohServerInput | ServerInput)[]): void {
    super.setServers(dohServers(servers));
  }
}
