/**
 * The promise API shaped like Node's `dns.promises.Resolver`, over any
 * transport: the Node driver (dgram + net), the simulator and DoH each give
 * it a {@link TransportFactory}. No DNS logic lives here beyond shaping: the
 * core decides everything, this file turns its final events into Node's
 * results and errors.
 *
 * Mapping of Node's options onto the core (documented, tested):
 * - `timeout` (ms; Node's per-try timeout, `-1`/`0` for the default) is the
 *   core's initial per-attempt `timeout`; the core then adapts it to each
 *   server's RTT and doubles it per round.
 * - `tries` (Node's default 4) is the core's `attempts`: rounds over the
 *   server list.
 * - The overall deadline of a query is `deadline` if given, else
 *   `timeout × tries` when `timeout` is given, else the core's 5000 ms.
 *   So a query never outlives the sum of its tries' budgets (unlike c-ares,
 *   whose doubling turns 5 s × 4 tries into 75 s).
 */
import { Resolver as Core } from '../core/resolver.js';
import { DnsError, isDnsError } from '../core/errors.js';
import { parseIPv6, isIPv4 } from '../core/address.js';
import type { Message } from '../core/codec/types.js';
import type { Endpoint, QueryQuestion, ResolverOptions, ServerInput } from '../core/types.js';
import { CoreLoop, type FinalEvent, type Platform } from '../drivers/loop.js';
import { argError, nodeDnsError, type NodeDnsError } from './errors.js';
import { serverToNode } from './servers.js';
import {
  chase, shapeAny, shapers, type AnyRecord, type CaaRecord, type MxRecord, type NaptrRecord, type RecordWithTtl,
  type SoaRecord, type SrvRecord, type SvcbRecord,
} from './shapes.js';
import type { TraceRecord } from '../sim/trace.js';

/** A platform the API can run a core on, and release. */
export interface Transport extends Platform {
  /** Called once, before any send, with the loop to feed. */
  attach(loop: CoreLoop): void;
  /** Release sockets; called after every query has settled. */
  close(): void;
}

/** Builds a fresh transport for each server set. */
export type TransportFactory = () => Transport;

/**
 * Builds the core for each server set; given the `trace` option. The Node
 * driver and the simulator pass `recordingCore` (`src/api/trace.ts`), which
 * records with `trace`; without it (the DoH driver's default) a `trace`
 * option throws `EBADOPTION`, so a bundle that never traces leaves the
 * recorder out.
 */
export type CoreFactory = (options: ResolverOptions, trace: ((record: TraceRecord) => void) | undefined) => Core;

/** Turns the `servers` argument (of the constructor and `setServers`) into core servers; throws like Node. */
export type ServersParser = (servers: readonly (string | ServerInput)[]) => ServerInput[];

/** The core without a recorder: `trace` needs `recordingCore`. */
export const plainCore: CoreFactory = (options, trace) => {
  if (trace !== undefined) throw new DnsError('EBADOPTION', 'option trace needs a recording core: pass core: recordingCore (from sansdns/sim)');
  return new Core(options);
};

/** Core options the API passes through unchanged. */
type PassThrough = Pick<ResolverOptions, 'edns' | 'ednsPayload' | 'recursionDesired' | 'maxInFlight' | 'minTimeout' | 'maxTimeout' | 'backoff' | 'recentLimit'
  | 'search' | 'ndots' | 'specialNames' | 'idn' | 'rotate' | 'race' | 'demoteAfter' | 'probeShare' | 'cookies' | 'case0x20'
  | 'cache' | 'cacheMaxEntries' | 'cacheMaxBytes' | 'minTtl' | 'maxTtl' | 'negativeMaxTtl' | 'failureTtl' | 'serveStale' | 'maxStale'
  | 'staleTtl' | 'coalesce' | 'maxCnameChain'>;

/** Options of the promise resolver: Node's, plus sansdns's. */
export interface PromiseResolverOptions extends Partial<PassThrough> {
  /** Node: per-try timeout in ms, `-1` for the default. */
  readonly timeout?: number;
  /** Node: tries per server (default 4). */
  readonly tries?: number;
  /** Overall deadline of each query in ms (see the mapping above). */
  readonly deadline?: number;
  /** Servers, in Node's string syntax or as core server objects. */
  readonly servers?: readonly (string | ServerInput)[];
  /** Receives every input of the core, for a replayable bug report (JSON lines). */
  readonly trace?: (record: TraceRecord) => void;
}

/** Per-call options beyond Node's. */
export interface CallOptions {
  /** Abort this query only; it rejects with `ECANCELLED`. */
  readonly signal?: AbortSignal;
  /** Overall deadline of this query in ms (default: the resolver's). */
  readonly timeout?: number;
}

/** Options of `query()`. */
export interface RawQueryOptions extends CallOptions {
  readonly class?: string | number;
  readonly checkingDisabled?: boolean;
  readonly dnssecOk?: boolean;
  /** Apply the search list to a relative name (default true for `query()`; `resolve*` never do, as Node's). */
  readonly search?: boolean;
}

/** What `query()` resolves with: the whole accepted answer (any answer rcode, NXDOMAIN included). */
export interface QueryResult {
  readonly question: QueryQuestion;
  readonly rcode: number;
  readonly message: Message;
  readonly server: Endpoint;
  readonly elapsed: number;
  readonly sent: number;
  /** With DNSSEC validation (`dnssec`, `validatingCore`): the answer's status (RFC 4035 §4.3) and the server's Extended DNS Errors. */
  readonly security?: 'secure' | 'insecure' | 'bogus' | 'indeterminate';
  readonly extendedErrors?: readonly { readonly code: number; readonly text: string }[];
}

/** The DNSSEC fields of a validated answer event, if any. */
function validation(e: Partial<QueryResult>): Pick<QueryResult, 'security' | 'extendedErrors'> {
  return e.security === undefined ? {} : { security: e.security, extendedErrors: e.extendedErrors ?? [] };
}

/** Node's syscall for a type: `queryA`, `queryAaaa`, `queryCname`, ... */
const syscallOf = (type: string): string => `query${type[0] as string}${type.slice(1).toLowerCase()}`;

function validateName(name: unknown): asserts name is string {
  if (typeof name !== 'string') {
    throw argError('ERR_INVALID_ARG_TYPE', `The "name" argument must be of type string. Received ${typeof name}`);
  }
}

function validateInt32(value: unknown, name: string, min: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number') throw argError('ERR_INVALID_ARG_TYPE', `The "${name}" property must be of type number.`);
  if (!Number.isInteger(value) || value < min || value > 2 ** 31 - 1) {
    throw argError('ERR_OUT_OF_RANGE', `The value of "${name}" is out of range. It must be >= ${min} && <= 2147483647. Received ${value}`, 'range');
  }
}

/** The core's options from Node's, for `servers`. Validates `timeout` and `tries` as Node does. */
export function coreOptions(o: PromiseResolverOptions, servers: readonly ServerInput[], random: (b: Uint8Array) => unknown): ResolverOptions {
  validateInt32(o.timeout, 'options.timeout', -1);
  validateInt32(o.tries, 'options.tries', 1);
  const timeout = o.timeout === undefined || o.timeout === -1 || o.timeout === 0 ? undefined : o.timeout;
  const tries = o.tries ?? 4;
  const deadline = o.deadline ?? (timeout === undefined ? undefined : timeout * tries);
  const { trace: _t, timeout: _o, tries: _r, deadline: _d, servers: _s, ...rest } = o;
  return {
    ...rest, servers, random, attempts: tries,
    ...(timeout === undefined ? {} : { timeout }),
    ...(deadline === undefined ? {} : { deadline }),
  };
}

/** The `in-addr.arpa`/`ip6.arpa` name of an address, or `undefined` when it is not one. */
export function reverseName(ip: string): string | undefined {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const groups = parseIPv6(ip);
  if (groups === undefined) return undefined;
  const nibbles = groups.flatMap((g) => [g >> 12, (g >> 8) & 15, (g >> 4) & 15, g & 15]);
  return `${nibbles.reverse().map((n) => n.toString(16)).join('.')}.ip6.arpa`;
}

const NO_OPTIONS: RawQueryOptions = Object.freeze({});
const NO_SEARCH: RawQueryOptions = Object.freeze({ search: false });

/** The `resolve*` methods of one type each, defined on the prototype from {@link TYPED} below. */
export interface PromiseResolver {
  resolveCaa(name: string, options?: CallOptions): Promise<CaaRecord[]>;
  resolveCname(name: string, options?: CallOptions): Promise<string[]>;
  resolveMx(name: string, options?: CallOptions): Promise<MxRecord[]>;
  resolveNaptr(name: string, options?: CallOptions): Promise<NaptrRecord[]>;
  resolveNs(name: string, options?: CallOptions): Promise<string[]>;
  resolvePtr(name: string, options?: CallOptions): Promise<string[]>;
  resolveSoa(name: string, options?: CallOptions): Promise<SoaRecord>;
  resolveSrv(name: string, options?: CallOptions): Promise<SrvRecord[]>;
  resolveTxt(name: string, options?: CallOptions): Promise<string[][]>;
  /** SVCB records (RFC 9460), with TTLs; params raw. Beyond Node. */
  resolveSvcb(name: string, options?: CallOptions): Promise<SvcbRecord[]>;
  /** HTTPS records (RFC 9460), with TTLs; params raw. Beyond Node. */
  resolveHttps(name: string, options?: CallOptions): Promise<SvcbRecord[]>;
}

/** A Node-shaped promise resolver over a core, on any transport. */
export class PromiseResolver {
  private loop!: CoreLoop;
  private transport!: Transport;
  private closed = false;

  constructor(
    private readonly options: PromiseResolverOptions,
    private readonly makeTransport: TransportFactory,
    private readonly random: (bytes: Uint8Array) => unknown,
    defaultServers: readonly (string | ServerInput)[],
    private readonly parseServers: ServersParser,
    private readonly makeCore: CoreFactory = plainCore,
  ) {
    const servers = options.servers ?? defaultServers;
    this.open(parseServers(servers));
  }

  private open(servers: ServerInput[]): void {
    const core = this.makeCore(coreOptions(this.options, servers, this.random), this.options.trace);
    const transport = this.makeTransport();
    const loop = new CoreLoop(core, transport);
    transport.attach(loop);
    this.loop = loop;
    this.transport = transport;
  }

  /** The servers, as Node writes them (`1.2.3.4`, `[::1]:5353`). */
  getServers(): string[] {
    return this.loop.core.getServers().map(serverToNode);
  }

  /** Replace the servers (Node's syntax). Throws like Node on a bad address or while queries are pending. */
  setServers(servers: readonly (string | ServerInput)[]): void {
    const parsed = this.parseServers(servers);
    if (this.loop.pending > 0) {
      throw argError('ERR_DNS_SET_SERVERS_FAILED', 'c-ares failed to set servers: "There are pending queries." [' + String(servers) + ']', 'plain');
    }
    const old = this.transport;
    this.open(parsed);
    old.close();
  }

  /** Cancel every query in flight: each rejects with `ECANCELLED`. */
  cancel(): void {
    this.loop.cancelAll();
  }

  /** Cancel everything, release sockets; later calls reject with `ECANCELLED`. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.loop.cancelAll();
    this.transport.close();
  }

  /**
   * Run `use` on the current core at the transport's clock, for the core's
   * standalone functions, which a bundle leaves out unless it imports them:
   * `r.withCore((core, now) => snapshot(core, now))` (`import { snapshot } from 'sansdns'`).
   * `setServers` starts a new core (with an empty cache).
   */
  withCore<T>(use: (core: Core, now: number) => T): T {
    return use(this.loop.core, this.transport.now());
  }

  /** Counters of the core. */
  get stats(): Core['stats'] {
    return this.loop.core.stats;
  }

  /** The whole answer of one query, with TTLs; rejects with a Node-shaped error when there is none. */
  query(name: string, type: string | number = 'A', options: RawQueryOptions = NO_OPTIONS): Promise<QueryResult> {
    validateName(name);
    return this.run(name, type, `query${typeof type === 'string' ? type : `TYPE${type}`}`, options).then((e) => ({
      question: e.question, rcode: e.message.rcode, message: e.message, server: e.server, elapsed: e.elapsed, sent: e.sent,
      ...validation(e as Partial<QueryResult>),
    }));
  }

  /** Node's `resolve(hostname, rrtype)`. */
  resolve(name: string, rrtype: string = 'A'): Promise<unknown> {
    if (typeof rrtype !== 'string') throw argError('ERR_INVALID_ARG_TYPE', 'The "rrtype" argument must be of type string.');
    const method = RESOLVE_MAP[rrtype];
    if (method === undefined) {
      throw argError('ERR_INVALID_ARG_VALUE', `The argument 'rrtype' is invalid. Received '${rrtype}'`);
    }
    return method.call(this, name);
  }

  resolve4(name: string): Promise<string[]>;
  resolve4(name: string, options: CallOptions & { ttl: true }): Promise<RecordWithTtl[]>;
  resolve4(name: string, options?: CallOptions & { ttl?: boolean }): Promise<string[] | RecordWithTtl[]>;
  resolve4(name: string, options: CallOptions & { ttl?: boolean } = NO_OPTIONS): Promise<string[] | RecordWithTtl[]> {
    return this.addresses(name, 'A', options);
  }

  resolve6(name: string): Promise<string[]>;
  resolve6(name: string, options: CallOptions & { ttl: true }): Promise<RecordWithTtl[]>;
  resolve6(name: string, options?: CallOptions & { ttl?: boolean }): Promise<string[] | RecordWithTtl[]>;
  resolve6(name: string, options: CallOptions & { ttl?: boolean } = NO_OPTIONS): Promise<string[] | RecordWithTtl[]> {
    return this.addresses(name, 'AAAA', options);
  }

  resolveAny(name: string, options: CallOptions = NO_OPTIONS): Promise<AnyRecord[]> {
    validateName(name);
    return this.answer(name, 'ANY', 'queryAny', options).then(({ message }) => {
      const all = shapeAny(message);
      if (all.length === 0) throw nodeDnsError('ENODATA', 'queryAny', name);
      return all;
    });
  }

  /** Node's `reverse(ip)`: the PTR names of an address. Rejects `EINVAL` (syscall `getHostByAddr`) for a non-address. */
  reverse(ip: string, options: CallOptions = NO_OPTIONS): Promise<string[]> {
    validateName(ip);
    const name = reverseName(ip);
    if (name === undefined) {
      const error = nodeDnsError('EINVAL', 'getHostByAddr', ip);
      error.errno = -22;
      return Promise.reject(error);
    }
    return this.answer(name, 'PTR', 'getHostByAddr', options, ip).then(({ message }) => {
      const { records } = chase(message, name, 'PTR');
      if (records.length === 0) throw nodeDnsError('ENODATA', 'getHostByAddr', ip);
      return shapers.PTR(records);
    });
  }

  /** @internal The `resolve*` of one type (`resolveMx`, ...). */
  typed<K extends keyof typeof shapers, R>(
    name: string, type: K, options: CallOptions, shape: (records: Parameters<(typeof shapers)[K]>[0]) => R,
  ): Promise<R> {
    validateName(name);
    const syscall = syscallOf(type);
    // One promise per query, settled from the drain that delivers the final event.
    return this.start(name, type, syscall, options, name, false, (event) => {
      const message = answerOf(event, syscall, name);
      const { records } = chase(message, event.question.name, type);
      if (records.length === 0) throw nodeDnsError('ENODATA', syscall, name);
      return shape(records as never);
    });
  }

  /** `resolve4`/`resolve6`: addresses (or with TTLs) built in one pass over the answer. */
  private addresses(name: string, type: 'A' | 'AAAA', options: CallOptions & { ttl?: boolean }): Promise<string[] | RecordWithTtl[]> {
    validateName(name);
    const syscall = syscallOf(type);
    const ttl = options.ttl === true;
    return this.start(name, type, syscall, options, name, false, (event) => {
      const { records, cnameTtl } = chase(answerOf(event, syscall, name), event.question.name, type);
      const out = shapers[type](records as never, ttl, cnameTtl) as string[] | RecordWithTtl[];
      if (out.length === 0) throw nodeDnsError('ENODATA', syscall, name);
      return out;
    });
  }

  /** An answer event with NXDOMAIN turned into `ENOTFOUND`. */
  private answer(name: string, type: string, syscall: string, options: CallOptions, hostname = name): Promise<FinalEvent & { kind: 'answer' }> {
    return this.start(name, type, syscall, options, hostname, false, (event) => {
      answerOf(event, syscall, hostname);
      return event as FinalEvent & { kind: 'answer' };
    });
  }

  /** Start a query; resolve with its answer event or reject with a Node-shaped error. */
  private run(name: string, type: string | number, syscall: string, options: RawQueryOptions, hostname = name): Promise<FinalEvent & { kind: 'answer' }> {
    return this.start(name, type, syscall, options, hostname, true, (event) => {
      if (event.kind === 'answer') return event;
      throw nodeDnsError(event.code, syscall, hostname, event.error) satisfies NodeDnsError;
    });
  }

  /**
   * Start a query and return the one promise of this call: `result` of its
   * final event (a throw rejects), or a rejection for a caller mistake or a
   * closed resolver.
   */
  private start<T>(
    name: string, type: string | number, syscall: string, options: RawQueryOptions, hostname: string, search: boolean, result: (event: FinalEvent) => T,
  ): Promise<T> {
    if (this.closed) return Promise.reject(nodeDnsError('ECANCELLED', syscall, hostname));
    let resolve!: (value: T) => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    try {
      this.loop.start(name, type, loopOptions(options, search), (event) => {
        try {
          resolve(result(event));
        } catch (error) {
          reject(error);
        }
      });
    } catch (error) {
      if (!isDnsError(error)) throw error;
      const code = error.code === 'EBADOPTION' ? 'EINVAL' : error.code;
      return Promise.reject(nodeDnsError(code, syscall, hostname, error));
    }
    return done;
  }
}

/** The message of an answer event; throws Node's error for an error event or NXDOMAIN. */
function answerOf(event: FinalEvent, syscall: string, hostname: string): Message {
  if (event.kind === 'error') throw nodeDnsError(event.code, syscall, hostname, event.error);
  if (event.message.rcode === 3) throw nodeDnsError('ENOTFOUND', syscall, hostname);
  return event.message;
}

/** Only the options the loop knows (the caller's object may carry `ttl` and more). */
/**
 * The loop's options for one call. `resolve*` pass `search: false`: Node's
 * `dns.resolve*` (c-ares `ares_query`) never apply the search list; only
 * `lookup` and `query()` do.
 */
function loopOptions(o: RawQueryOptions, search: boolean): RawQueryOptions {
  if (o.signal === undefined && o.timeout === undefined && o.class === undefined && o.checkingDisabled === undefined && o.dnssecOk === undefined) {
    return search ? (o.search === false ? NO_SEARCH : NO_OPTIONS) : NO_SEARCH;
  }
  const out: { -readonly [K in keyof RawQueryOptions]: RawQueryOptions[K] } = {};
  if (!search || o.search === false) out.search = false;
  if (o.signal !== undefined) out.signal = o.signal;
  if (o.timeout !== undefined) out.timeout = o.timeout;
  if (o.class !== undefined) out.class = o.class;
  if (o.checkingDisabled !== undefined) out.checkingDisabled = o.checkingDisabled;
  if (o.dnssecOk !== undefined) out.dnssecOk = o.dnssecOk;
  return out;
}

type Method = (this: PromiseResolver, name: string, options?: CallOptions) => Promise<unknown>;
const p = PromiseResolver.prototype;
const RESOLVE_MAP: Record<string, Method> = { A: p.resolve4, AAAA: p.resolve6, ANY: p.resolveAny };
const TYPED = ['CAA', 'CNAME', 'MX', 'NAPTR', 'NS', 'PTR', 'SOA', 'SRV', 'TXT', 'SVCB', 'HTTPS'] as const;
for (const type of TYPED) {
  const method: Method = function (name, options = NO_OPTIONS) {
    return this.typed(name, type, options, shapers[type] as never);
  };
  // `resolveMx`, `resolveCname`, ...: a plain prototype method, as if written in the class.
  Object.defineProperty(p, `resolve${type[0] as string}${type.slice(1).toLowerCase()}`, { value: method, writable: true, configurable: true });
  RESOLVE_MAP[type] = method;
}
