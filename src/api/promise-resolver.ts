/**
 * The promise API shaped like Node's `dns.promises.Resolver`, over any
 * transport: the Node driver (dgram + net), the simulator and DoH each give
 * it a {@link TransportFactory}. No DNS logic lives here beyond shaping: the
 * core decides everything, this file turns its final events into Node's
 * results and errors. How Node's options map onto the core's: `options.ts`;
 * how its own arguments are checked is injected (`checks.ts`):
 * `PromiseResolver` is this file's base class with Node's checks, what the
 * Node driver and the simulator build on; `DohResolver` builds on the base
 * with the plain checks, so a DoH page leaves Node's message builders out.
 */
import type { ResolverCore as Core } from '../core/resolver.js';
import { DnsError, isDnsError } from '../core/errors.js';
import type { AnswerEvent, Endpoint, ServerInput, TraceEvent } from '../core/types.js';
import { CoreLoop, type Transport, type TransportFactory } from './loop.js';
import { answerResult, Call, eventResult, typedResult } from './call.js';
import { argError, nodeDnsError, type NodeDnsError } from './errors.js';
import type { ArgChecks } from './checks.js';
import { NODE_CHECKS } from './node-checks.js';
import { empty, nodeCode, syscallOf, validation, type QueryResult } from './outcome.js';
import {
  checkedCoreOptions, loopOptions, NO_OPTIONS, plainCore, type CallOptions, type CoreFactory, type PromiseResolverOptions,
  type RawQueryOptions, type ServersParser,
} from './options.js';
import { reverseName, serverToNode } from './servers.js';
import {
  ofType, shape, shapeAny, type AnyRecord, type CaaRecord, type MxRecord, type NaptrRecord, type RecordWithTtl,
  type Shaped, type ShapedType, type SoaRecord, type SrvRecord, type SvcbRecord,
} from './shapes.js';

/**
 * A Node-shaped promise resolver over a core, on any transport, with its
 * argument checks injected (`checks.ts`).
 */
export class BasePromiseResolver {
  private loop: CoreLoop | undefined;
  private transport: Transport | undefined;
  private closed = false;
  private readonly traceListeners = new Set<(event: TraceEvent) => void>();

  constructor(
    private readonly options: PromiseResolverOptions,
    private readonly makeTransport: TransportFactory,
    private readonly random: (bytes: Uint8Array) => unknown,
    defaultServers: readonly (string | ServerInput)[],
    private readonly parseServers: ServersParser,
    private readonly makeCore: CoreFactory,
    private readonly checks: ArgChecks,
    /** A server as `getServers` writes it: Node's syntax (`serverToNode`), or a DoH resolver's URL. */
    private readonly serverText: (server: Endpoint) => string,
  ) {
    const servers = options.servers ?? defaultServers;
    this.open(parseServers(servers));
  }

  /** A core and a transport for `servers`; none for no servers (Node allows `setServers([])`: every query then fails). */
  private open(servers: ServerInput[]): void {
    if (servers.length === 0) {
      checkedCoreOptions(this.options, servers, this.random, this.checks);
      this.loop = undefined;
      this.transport = undefined;
      return;
    }
    const core = this.makeCore(checkedCoreOptions(this.options, servers, this.random, this.checks), this.options.trace);
    const transport = this.makeTransport();
    const loop = new CoreLoop(core, transport, (event) => {
      for (const l of this.traceListeners) l(event);
    });
    transport.attach(loop);
    this.loop = loop;
    this.transport = transport;
  }

  /**
   * Listen to the core's trace events, across `setServers`: with `dnssec: { explain: true }`, a
   * `dnssec` event per verdict line of each validation, before the query settles. Returns the
   * function that stops listening.
   */
  onTrace(listener: (event: TraceEvent) => void): () => void {
    this.traceListeners.add(listener);
    return () => void this.traceListeners.delete(listener);
  }

  /** The servers, as Node writes them (`1.2.3.4`, `[::1]:5353`). */
  getServers(): string[] {
    return this.loop === undefined ? [] : this.loop.core.getServers().map(this.serverText);
  }

  /** Replace the servers (Node's syntax). Throws like Node on a bad address or while queries are pending. */
  setServers(servers: readonly (string | ServerInput)[]): void {
    const parsed = this.parseServers(servers);
    if (this.loop !== undefined && this.loop.pending > 0) {
      throw argError('ERR_DNS_SET_SERVERS_FAILED', 'c-ares failed to set servers: "There are pending queries." [' + String(servers) + ']', 'plain');
    }
    const old = this.transport;
    this.open(parsed);
    old?.close();
  }

  /** Cancel every query in flight: each rejects with `ECANCELLED`. */
  cancel(): void {
    this.loop?.cancelAll();
  }

  /** Cancel everything, release sockets; later calls reject with `ECANCELLED`. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.loop?.cancelAll();
    this.transport?.close();
  }

  /**
   * Run `use` on the current core at the transport's clock, for the core's
   * standalone functions, which a bundle leaves out unless it imports them:
   * `r.withCore((core, now) => snapshot(core, now))` (`import { snapshot } from 'sansdns'`).
   * `setServers` starts a new core (with an empty cache).
   */
  withCore<T>(use: (core: Core, now: number) => T): T {
    return use(this.currentLoop().core, (this.transport as Transport).now());
  }

  /** Counters of the core. */
  get stats(): Core['stats'] {
    return this.currentLoop().core.stats;
  }

  /** The loop of the current servers; throws `EBADSERVER` when there are none (`setServers([])`). */
  private currentLoop(): CoreLoop {
    if (this.loop === undefined) throw new DnsError('EBADSERVER', 'no servers: setServers() was given none');
    return this.loop;
  }

  /** The whole answer of one query, with TTLs; rejects with a Node-shaped error when there is none. */
  query(name: string, type: string | number = 'A', options: RawQueryOptions = NO_OPTIONS): Promise<QueryResult> {
    this.checks.string(name, 'name');
    return this.run(name, type, `query${typeof type === 'string' ? type : `TYPE${type}`}`, options).then((e) => ({
      question: e.question, rcode: e.message.rcode, message: e.message, records: e.records, server: e.server, elapsed: e.elapsed, sent: e.sent,
      ...validation(e as Partial<QueryResult>),
    }));
  }

  /** Node's `resolve(hostname, rrtype)`: the `resolve*` of `rrtype` (default `A`; also `SVCB` and `HTTPS`, beyond Node). */
  resolve(name: string): Promise<string[]>;
  resolve(name: string, rrtype: 'A' | 'AAAA' | 'CNAME' | 'NS' | 'PTR'): Promise<string[]>;
  resolve(name: string, rrtype: 'ANY'): Promise<AnyRecord[]>;
  resolve(name: string, rrtype: 'CAA'): Promise<CaaRecord[]>;
  resolve(name: string, rrtype: 'MX'): Promise<MxRecord[]>;
  resolve(name: string, rrtype: 'NAPTR'): Promise<NaptrRecord[]>;
  resolve(name: string, rrtype: 'SOA'): Promise<SoaRecord>;
  resolve(name: string, rrtype: 'SRV'): Promise<SrvRecord[]>;
  resolve(name: string, rrtype: 'TXT'): Promise<string[][]>;
  resolve(name: string, rrtype: 'SVCB' | 'HTTPS'): Promise<SvcbRecord[]>;
  resolve(name: string, rrtype: string): Promise<
    string[] | CaaRecord[] | MxRecord[] | NaptrRecord[] | SoaRecord | SrvRecord[] | string[][] | AnyRecord[] | SvcbRecord[]
  >;
  resolve(name: string, rrtype?: string): Promise<unknown> {
    let method = RESOLVE_MAP['A'] as Method;
    if (rrtype !== undefined) {
      this.checks.string(rrtype, 'rrtype');
      const found = Object.hasOwn(RESOLVE_MAP, rrtype) ? RESOLVE_MAP[rrtype] : undefined;
      if (found === undefined) throw this.checks.invalidValue('rrtype', rrtype);
      method = found;
    }
    return method.call(this, name);
  }

  resolve4(name: string): Promise<string[]>;
  resolve4(name: string, options: CallOptions & { ttl: true }): Promise<RecordWithTtl[]>;
  resolve4(name: string, options?: CallOptions & { ttl?: boolean }): Promise<string[] | RecordWithTtl[]>;
  resolve4(name: string, options: CallOptions & { ttl?: boolean } = NO_OPTIONS): Promise<string[] | RecordWithTtl[]> {
    return this.typed(name, 'A', options);
  }

  resolve6(name: string): Promise<string[]>;
  resolve6(name: string, options: CallOptions & { ttl: true }): Promise<RecordWithTtl[]>;
  resolve6(name: string, options?: CallOptions & { ttl?: boolean }): Promise<string[] | RecordWithTtl[]>;
  resolve6(name: string, options: CallOptions & { ttl?: boolean } = NO_OPTIONS): Promise<string[] | RecordWithTtl[]> {
    return this.typed(name, 'AAAA', options);
  }

  /** Every record of the name, of the types Node knows, in Node's order. */
  resolveAny(name: string, options: CallOptions = NO_OPTIONS): Promise<AnyRecord[]> {
    this.checks.string(name, 'name');
    if (!this.checks.sendable(name)) return Promise.reject(nodeDnsError('EBADNAME', 'queryAny', name));
    return this.answer(name, 'ANY', 'queryAny', options).then((event) => {
      const all = shapeAny(event.message);
      return all.length === 0 ? empty('ANY', event, 'queryAny', name) : all;
    });
  }

  /** Node's `reverse(ip)`: the PTR names of an address. Rejects `EINVAL` (syscall `getHostByAddr`) for a non-address. */
  reverse(ip: string, options: CallOptions = NO_OPTIONS): Promise<string[]> {
    this.checks.string(ip, 'name');
    const name = reverseName(ip);
    if (name === undefined) {
      const error = nodeDnsError('EINVAL', 'getHostByAddr', ip);
      error.errno = -22;
      return Promise.reject(error);
    }
    // As c-ares's gethostbyaddr: any failure but a cancellation is ENOTFOUND; an answer without PTR is ENODATA.
    return this.answer(name, 'PTR', 'getHostByAddr', options, ip).then((event) => {
      const { records } = ofType(event.records, 'PTR');
      if (records.length === 0) throw nodeDnsError('ENODATA', 'getHostByAddr', ip);
      return shape('PTR', records);
    }, (error: NodeDnsError) => {
      if (error.code === 'ENODATA' || error.code === 'ECANCELLED') throw error;
      throw nodeDnsError('ENOTFOUND', 'getHostByAddr', ip, error.cause);
    });
  }

  /** CAA records (RFC 8659). */
  resolveCaa(name: string, options: CallOptions = NO_OPTIONS): Promise<CaaRecord[]> {
    return this.typed(name, 'CAA', options);
  }

  /** The CNAME record of the name itself (no chain is followed). */
  resolveCname(name: string, options: CallOptions = NO_OPTIONS): Promise<string[]> {
    return this.typed(name, 'CNAME', options);
  }

  /** MX records (RFC 1035 §3.3.9). */
  resolveMx(name: string, options: CallOptions = NO_OPTIONS): Promise<MxRecord[]> {
    return this.typed(name, 'MX', options);
  }

  /** NAPTR records (RFC 3403). */
  resolveNaptr(name: string, options: CallOptions = NO_OPTIONS): Promise<NaptrRecord[]> {
    return this.typed(name, 'NAPTR', options);
  }

  /** NS records (RFC 1035 §3.3.11). */
  resolveNs(name: string, options: CallOptions = NO_OPTIONS): Promise<string[]> {
    return this.typed(name, 'NS', options);
  }

  /** PTR records (RFC 1035 §3.3.12); see {@link reverse} for an address. */
  resolvePtr(name: string, options: CallOptions = NO_OPTIONS): Promise<string[]> {
    return this.typed(name, 'PTR', options);
  }

  /** The SOA record (RFC 1035 §3.3.13). */
  resolveSoa(name: string, options: CallOptions = NO_OPTIONS): Promise<SoaRecord> {
    return this.typed(name, 'SOA', options);
  }

  /** SRV records (RFC 2782). */
  resolveSrv(name: string, options: CallOptions = NO_OPTIONS): Promise<SrvRecord[]> {
    return this.typed(name, 'SRV', options);
  }

  /** TXT records (RFC 1035 §3.3.14), each as its character-strings. */
  resolveTxt(name: string, options: CallOptions = NO_OPTIONS): Promise<string[][]> {
    return this.typed(name, 'TXT', options);
  }

  /** SVCB records (RFC 9460), with TTLs; params raw. Beyond Node. */
  resolveSvcb(name: string, options: CallOptions = NO_OPTIONS): Promise<SvcbRecord[]> {
    return this.typed(name, 'SVCB', options);
  }

  /** HTTPS records (RFC 9460), with TTLs; params raw. Beyond Node. */
  resolveHttps(name: string, options: CallOptions = NO_OPTIONS): Promise<SvcbRecord[]> {
    return this.typed(name, 'HTTPS', options);
  }

  /**
   * The `resolve*` of one type (`resolve4`, `resolveMx`, ...): the records of
   * `type` on the answer's CNAME chain, shaped; addresses (or with TTLs,
   * option `ttl`) in one pass over the answer.
   */
  private typed<K extends ShapedType>(name: string, type: K, options: CallOptions): Promise<Shaped<K>>;
  private typed(name: string, type: 'A' | 'AAAA', options: CallOptions & { ttl?: boolean }): Promise<string[] | RecordWithTtl[]>;
  private typed(name: string, type: ShapedType | 'A' | 'AAAA', options: CallOptions & { ttl?: boolean }): Promise<unknown> {
    this.checks.string(name, 'name');
    const syscall = syscallOf(type);
    if (!this.checks.sendable(name)) return Promise.reject(nodeDnsError('EBADNAME', syscall, name));
    const ttl = Boolean((options as { ttl?: boolean } | null)?.ttl); // Node: `!!(options && options.ttl)`
    return this.start(name, type, options, false, new Call(typedResult, type, syscall, name, ttl));
  }

  /** An answer event with NXDOMAIN turned into `ENOTFOUND`. */
  private answer(name: string, type: string, syscall: string, options: CallOptions, hostname = name): Promise<AnswerEvent> {
    return this.start(name, type, options, false, new Call(answerResult, type, syscall, hostname, false)) as Promise<AnswerEvent>;
  }

  /** Start a query; resolve with its answer event or reject with a Node-shaped error. */
  private run(name: string, type: string | number, syscall: string, options: RawQueryOptions, hostname = name): Promise<AnswerEvent> {
    return this.start(name, type, options, true, new Call(eventResult, String(type), syscall, hostname, false)) as Promise<AnswerEvent>;
  }

  /**
   * Start a query and return the one promise of this call: `call`'s result
   * for its final event (a throw rejects), or a rejection for a caller
   * mistake or a closed resolver.
   */
  private start(name: string, type: string | number, options: RawQueryOptions, search: boolean, call: Call): Promise<unknown> {
    if (this.closed) return Promise.reject(nodeDnsError('ECANCELLED', call.syscall, call.hostname));
    try {
      // Node reads the options of a call with `options && options.x`: null is no options.
      this.currentLoop().start(name, type, loopOptions((options as RawQueryOptions | null) ?? NO_OPTIONS, search), call);
    } catch (error) {
      if (!isDnsError(error)) throw error;
      return Promise.reject(nodeDnsError(nodeCode(error.code), call.syscall, call.hostname, error));
    }
    return call.promise;
  }
}

type Method = (this: BasePromiseResolver, name: string, options?: CallOptions) => Promise<unknown>;
const p = BasePromiseResolver.prototype;
/** `resolve(name, rrtype)`'s method for each `rrtype`, as Node's. */
const RESOLVE_MAP: Readonly<Record<string, Method>> = {
  A: p.resolve4, AAAA: p.resolve6, ANY: p.resolveAny, CAA: p.resolveCaa, CNAME: p.resolveCname, MX: p.resolveMx,
  NAPTR: p.resolveNaptr, NS: p.resolveNs, PTR: p.resolvePtr, SOA: p.resolveSoa, SRV: p.resolveSrv, TXT: p.resolveTxt,
  SVCB: p.resolveSvcb, HTTPS: p.resolveHttps,
};

/** A Node-shaped promise resolver over a core, on any transport, checking its arguments word for word as Node does. */
export class PromiseResolver extends BasePromiseResolver {
  constructor(
    options: PromiseResolverOptions,
    makeTransport: TransportFactory,
    random: (bytes: Uint8Array) => unknown,
    defaultServers: readonly (string | ServerInput)[],
    parseServers: ServersParser,
    makeCore: CoreFactory = plainCore,
  ) {
    super(options, makeTransport, random, defaultServers, parseServers, makeCore, NODE_CHECKS, serverToNode);
  }
}
