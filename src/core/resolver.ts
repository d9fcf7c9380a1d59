/**
 * The resolver: a synchronous, sans-IO state machine (ARCHITECTURE.md "The core
 * contract"). This file is its surface (h11's `_connection.py`); the
 * transitions of queries live in `machine.ts` (h11's `_state.py`).
 *
 * Theory of operation
 * -------------------
 * Every call that changes state takes `now` first (ms on the caller's
 * monotonic timeline; time going backwards is clamped, a non-finite `now`
 * throws `EBADTIME`). The members come in four kinds, in this order below
 * (quinn's):
 * - getters: `stats`, `cached`, `inFlight`, `held`, `getServers()`;
 * - inputs from the network and the clock: `handleDatagrams`, `handleError`,
 *   `handleTimeout`; each first fires the timers due at its `now`, so no
 *   query outlives its deadline, whatever the driver's timer did;
 * - mutators, the caller's own requests: `query`, `cancel`, `cancelAll`,
 *   `clearCache`, and `learned` (the hook of `snapshot`/`restore`);
 * - outputs: `poll()` drains the datagrams to send, the events and the next
 *   deadline; `pollDeadline()` reads the deadline without draining.
 *
 * This file owns the clock, the checks of caller input (`settings.ts`), the
 * preparation of names, the matching of responses and the drops; every
 * change to a query (start, send, timers, the response table, failures,
 * coalescing, final events) is a transition of `machine.ts`.
 *
 * `query` prepares the name: U-labels become A-labels (`idna.ts`, option
 * `idn`); `localhost` and `.onion` are answered in the call (option
 * `specialNames`, `special-names.ts`); with the search policy, a relative
 * name is tried with the search list (`search.ts`), one candidate query
 * after another under one handle, moved on by `SearchRun.settle` at the end
 * of `query`, `cancel`, `cancelAll`, `handleDatagrams`, `handleTimeout`, and
 * of `handleError` when its transmission is still known.
 *
 * A response is matched by peer and transport (a slot), then ID, then
 * question (RFC 5452 §9.1), then, with their policies, the exact case of a
 * 0x20 name and the client cookie (`case0x20.ts`, `cookies.ts`; screened by
 * the udp policy, whose attempts alone carry them: `screen.ts`), all read
 * on the wire (issue 13: a message is built only for an answer that ends its
 * query, `machine.ts`); anything
 * else is dropped and counted (`stats.dropped`), a malformed one also fails
 * its server. What a matched response does is the machine's response table
 * (`response.ts`).
 *
 * A core is built with policies (`policies.ts`): `ResolverCore` with those
 * given, `Resolver` with every one.
 */
import { readId } from './codec/index.js';
import { checkMessage } from './codec/decode.js';
import { walked } from './codec/walk.js';
import { isResponse, matchQuestion, questionCount, responseRcode, truncated } from './response-match.js';
import { FORMERR, NOTIMP } from './codec/rcode.js';
import { DnsError, type QueryErrorCode, type TransportErrorCode } from './errors.js';
import { toAscii } from './idna.js';
import { Machine } from './machine.js';
import type { Attempt } from './query.js';
import { prepareQuestion, QuestionMemo } from './question.js';
import { RandomPool } from './random.js';
import { TokenIndex } from './token-index.js';
import type { Cache } from './cache.js';
import { STANDARD_POLICIES, type Policies, type UdpPolicy } from './policies.js';
import type { SearchRun } from './search.js';
import { endpointKey, makeServers, parseDohServer, type ServerState } from './servers.js';
import { checkQuery, queryTimeout, settingsFrom, validateReceived, type Settings } from './settings.js';
import { checkFit } from './schedule.js';
import { specialName } from './special-names.js';
import type { DropReason, Endpoint, Output, QueryOptions, Received, ResolverOptions, ResolverStats, Transmit } from './types.js';

/**
 * The sans-IO resolver core, built with the policies given (`policies.ts`);
 * {@link Resolver} is this core with every policy. The DoH driver builds one
 * without them, so its bundle leaves their code out.
 */
export class ResolverCore {
  /** Counters since construction (ARCHITECTURE.md rule 12). */
  readonly stats: ResolverStats;
  private readonly settings: Settings;
  private readonly machine: Machine;
  private readonly servers: ServerState[];
  /** Slot of each server endpoint by `endpointKey`: `index * 2`, `+ 1` for its TCP endpoint. */
  private readonly slots = new Map<string, number>();
  private readonly index: TokenIndex;
  /** Questions asked recently, parsed once (`question.ts`). */
  private readonly questions = new QuestionMemo();
  private lastNow = -Infinity;
  /** The searches in flight, with the search policy (`search.ts`). */
  private readonly search: SearchRun | undefined;

  /**
   * Throws `EBADOPTION` or `EBADSERVER` on a bad option, `EBADOPTION` for an
   * option that needs a policy not given, and `EBADOPTION` when explicit
   * tries with a fixed per-try timeout cannot fit the deadline (`schedule.ts`).
   */
  constructor(options: ResolverOptions, policies: Policies = {}) {
    this.settings = settingsFrom(options, policies);
    const random = new RandomPool(options.random);
    this.servers = makeServers(options.servers, policies.udp?.parse ?? parseDohServer);
    checkFit(this.settings.schedule, this.servers.length, this.settings.deadline, 'deadline');
    for (const server of this.servers) {
      this.slots.set(endpointKey(server.endpoint), server.index * 2);
      if (server.tcp !== undefined) this.slots.set(endpointKey(server.tcp), server.index * 2 + 1);
    }
    this.index = policies.udp?.index(this.settings.recentLimit) ?? new TokenIndex(this.settings.recentLimit);
    policies.case0x20?.apply(this.servers, this.settings.policy.case0x20);
    const m = new Machine(this.settings, policies, this.servers, this.index, random);
    this.machine = m;
    this.stats = m.stats;
    this.search = policies.search?.run((t, name, type, o) => this.ask(t, name, type, o), m, this.settings);
  }

  // ---- Getters ----------------------------------------------------------

  /** What the cache holds: entries (expired ones kept for serve-stale included) and their wire size in bytes. */
  get cached(): { entries: number; bytes: number } {
    const cache = this.machine.cache;
    return { entries: cache.size, bytes: cache.bytes };
  }

  /** Queries started and not yet finished. */
  get inFlight(): number {
    return this.machine.queries.size;
  }

  /**
   * What the resolver holds right now: queries, live attempts, armed timers,
   * and remembered IDs of finished attempts (bounded by `recentLimit`). With no
   * query in flight, the first three are 0.
   */
  get held(): { queries: number; attempts: number; timers: number; recentIds: number } {
    const m = this.machine;
    return { queries: m.queries.size, attempts: this.index.size, timers: m.heap.size, recentIds: this.index.recentSize };
  }

  /** The configured servers, normalised. */
  getServers(): Endpoint[] {
    return this.servers.map((s) => s.endpoint);
  }

  // ---- Inputs -----------------------------------------------------------

  /** Feed received datagrams, in the order they arrived. Network bytes never throw. */
  handleDatagrams(now: number, datagrams: readonly Received[]): void {
    const t = this.clock(now);
    validateReceived(datagrams);
    this.lastNow = t;
    this.machine.fireTimers(t);
    for (const d of datagrams) this.receive(d, t);
    this.search?.settle(t);
  }

  /**
   * A transmission failed in the driver (ICMP port unreachable, connection
   * refused or reset, an HTTP error for DoH): that server failed this query.
   * Pass the `Transmit` as it was polled. Unknown or finished ones are ignored.
   */
  handleError(now: number, transmit: Transmit, code: TransportErrorCode): void {
    const t = this.clock(now);
    this.lastNow = t;
    this.machine.fireTimers(t);
    const key = this.keyOf(transmit.peer, transmit.data, transmit.token);
    let a = key === undefined ? undefined : this.index.get(key);
    while (a !== undefined && a.token !== transmit.token) a = a.next;
    if (a === undefined) return;
    this.machine.retire(a);
    this.machine.serverFailed(a, t, code, `transport error ${code}`);
    this.search?.settle(t);
  }

  /** Run every timer due at `now` (`deadline <= now`), earliest first. Extra calls change nothing. */
  handleTimeout(now: number): void {
    const t = this.clock(now);
    this.lastNow = t;
    this.machine.fireTimers(t);
    this.search?.settle(t);
  }

  // ---- Mutators ---------------------------------------------------------

  /**
   * Start a query. Its first datagram is queued by this call; drain it with
   * `poll()`. A live cache entry answers it in this call instead (the final
   * event is queued, nothing is sent); an identical question in flight takes
   * it along (coalescing: nothing is sent, it gets its own final event when
   * that resolution ends). Returns a handle that is never reused. Throws `EBADNAME`,
   * `EBADTYPE`, `EBADCLASS`, `EBADOPTION` (also for a call `timeout` too short
   * for explicit tries with a fixed per-try timeout), `EBADTIME` or `ELIMIT`,
   * and then changes nothing.
   *
   * Before that, the name is prepared: U-labels become A-labels (option
   * `idn`); `localhost` and `.onion` are answered in this call (option
   * `specialNames`); a relative name is tried with the search list
   * (options `search`, `ndots`), all under this one handle and deadline.
   */
  query(now: number, name: string, type: string | number = 'A', options: QueryOptions = {}): number {
    const t = this.clock(now);
    checkQuery(name, options);
    if (options.timeout !== undefined) checkFit(this.settings.schedule, this.servers.length, queryTimeout(options, this.settings.deadline), 'call timeout');
    const p = this.settings.policy;
    const ascii = p.idn ? toAscii(name) : name;
    const special = p.specialNames ? specialName(ascii) : undefined;
    if (special !== undefined) {
      const prepared = prepareQuestion(ascii, type, options.class);
      queryTimeout(options, this.settings.deadline);
      this.lastNow = t;
      return this.machine.answerLocally(special, prepared.question);
    }
    if (this.search === undefined || options.search === false) return this.ask(t, ascii, type, options);
    return this.search.query(t, ascii, type, options);
  }

  /** Cancel one query: its final event is `ECANCELLED`. False when it had already finished. Throws `EBADHANDLE` for a handle never issued. */
  cancel(now: number, handle: number): boolean {
    const t = this.clock(now);
    const queries = this.machine.queries;
    if (!queries.issued(handle)) throw new DnsError('EBADHANDLE', `no query was ever started with handle ${String(handle)}`);
    this.lastNow = t;
    const q = queries.get(this.search === undefined ? handle : this.search.innerOf(handle));
    if (q === undefined) return false;
    this.stats.cancelled++;
    this.machine.finishError(q, 'ECANCELLED', t, 'cancelled by the caller');
    this.search?.settle(t);
    return true;
  }

  /** Cancel every query in flight; returns how many. */
  cancelAll(now: number): number {
    const t = this.clock(now);
    this.lastNow = t;
    const all = this.machine.queries.values();
    for (const q of all) {
      this.stats.cancelled++;
      this.machine.finishError(q, 'ECANCELLED', t, 'cancelled by the caller');
    }
    this.search?.settle(t);
    return all.length;
  }

  /** Forget every cached answer, negative answer and failure. */
  clearCache(): void {
    this.machine.cache.clear();
  }

  /**
   * Run `use` on what the resolver has learned (its cache and per-server
   * state) at `now`: the hook of the standalone `snapshot` and `restore`
   * (`snapshot.ts`), which a bundle leaves out unless it imports them. `now`
   * counts as an input once `use` returns; when `use` throws, nothing changed.
   * @internal
   */
  learned<T>(now: number, use: (t: number, cache: Cache, servers: readonly ServerState[], maxCnameChain: number) => T): T {
    const t = this.clock(now);
    const out = use(t, this.machine.cache, this.servers, this.settings.maxCnameChain);
    this.lastNow = t;
    return out;
  }

  // ---- Outputs ----------------------------------------------------------

  /**
   * The next deadline without draining: while output is queued (any input
   * since the last `poll()` queued a datagram or an event), the `now` of the
   * latest input, meaning "poll now"; else the earliest armed timer (a
   * query's give-up or deadline), or `undefined` when none is armed. It
   * changes with every input and mutator above, and with `poll()`, which
   * empties the queue; never on its own.
   */
  pollDeadline(): number | undefined {
    const m = this.machine;
    if (m.transmits.length > 0 || m.events.length > 0) return this.lastNow;
    return m.heap.peekAt();
  }

  /**
   * Drain everything queued: call after every input, then arm one timer at
   * `deadline` and call `handleTimeout` when it is due. `deadline` is the
   * earliest armed timer (absolute, on the caller's timeline), or `undefined`
   * when no query is in flight; it never reports queued output (this call
   * took it), so unlike `pollDeadline()` it is never the `now` of the last
   * input by that rule. It stays valid until the next input or mutator.
   */
  poll(): Output {
    const m = this.machine;
    const transmits = m.transmits;
    const events = m.events;
    m.transmits = [];
    m.events = [];
    m.spares?.reclaim();
    return { transmits, events, deadline: m.heap.peekAt() };
  }

  // ---- Clock, asking, matching, drops -----------------------------------

  private clock(now: number): number {
    if (typeof now !== 'number' || !Number.isFinite(now)) {
      throw new DnsError('EBADTIME', `now must be a finite number of milliseconds, got ${String(now)}`);
    }
    return now > this.lastNow ? now : this.lastNow;
  }

  /** Start the query for one name (see `query`). */
  private ask(t: number, name: string, type: string | number, options: QueryOptions): number {
    const prepared = this.questions.prepare(name, type, options.class);
    const handle = this.machine.start(t, prepared, options, queryTimeout(options, this.settings.deadline));
    this.lastNow = t;
    return handle;
  }

  /**
   * The slot of a peer: first by identity with the endpoints the core handed
   * out (drivers that pass them back skip building a key), else by value.
   */
  private slotOf(peer: Endpoint): number | undefined {
    for (const server of this.servers) {
      if (peer === server.endpoint) return server.index * 2;
      if (peer === server.tcp) return server.index * 2 + 1;
    }
    return this.slots.get(endpointKey(peer));
  }

  /** The attempt-index key of a datagram: slot and ID, or `-token` for DoH. */
  private keyOf(peer: Endpoint, data: Uint8Array, token: number | undefined, slot = this.slotOf(peer)): number | undefined {
    if (slot === undefined) return undefined;
    if (peer.transport === 'doh') return token === undefined ? undefined : -token;
    const id = readId(data);
    return id === undefined ? undefined : slot * 65536 + id;
  }

  /** Match one datagram to an attempt (RFC 5452 §9.1), or drop it; a match goes to the machine. */
  private receive(d: Received, t: number): void {
    this.stats.datagramsReceived++;
    const slot = this.slotOf(d.peer);
    if (slot === undefined) return this.drop('unknown-peer', d, t);
    const key = this.keyOf(d.peer, d.data, d.token, slot);
    const chain = key === undefined ? undefined : this.index.get(key);
    if (chain === undefined) {
      const reason = key !== undefined && this.index.isRecent(key) ? 'late' : 'unmatched';
      return this.drop(reason, d, t);
    }
    const s = this.settings;
    const cap = d.peer.transport === 'udp' ? (s.edns ? s.ednsPayload : 512) : 65535;
    const reason = checkMessage(d.data, cap);
    if (reason !== undefined) {
      this.stats.malformed[reason] = (this.stats.malformed[reason] ?? 0) + 1;
      this.drop('malformed', d, t, reason);
      if (chain.next !== undefined) return;
      this.machine.retire(chain);
      return this.machine.serverFailed(chain, t, 'EBADRESP', `malformed response (${reason})`);
    }
    // Where the walk found the OPT record: read before anything walks again (`codec/walk.ts`).
    const opt = walked.opt;
    // Header, question, rcode, case and cookie are all read on the wire (`response-match.ts`, issue 13):
    // no message is built here; the machine builds one only for an answer that ends its query.
    if (!isResponse(d.data)) return this.drop('not-response', d, t);
    const count = questionCount(d.data);
    const rcode = responseRcode(d.data, opt);
    const a = count === 1 ? matchQuestion(chain, d.data) : questionless(chain, count, rcode);
    if (a === undefined) return this.drop('wrong-question', d, t);
    // The 0x20 case and the cookie, screened by the udp policy, whose attempts alone carry them (`screen.ts`).
    if ((a.caseName !== undefined || a.cookie !== undefined) && !(this.machine.policies.udp as UdpPolicy).screen(this.machine, a, d, opt, t)) return;
    this.machine.note(this.machine.tracer?.receive(t, a.query.handle, d.peer, readId(d.data) as number, rcode, truncated(d.data), d.data.length));
    this.machine.respond(a, d.data, rcode, t);
  }

  private drop(reason: DropReason, d: Received, t: number, detail?: string): void {
    this.machine.drop(reason, d, t, detail);
  }
}

/**
 * The attempt a response with `count` questions other than one answers: a
 * FORMERR or NOTIMP without a question answers a lone attempt; nothing else
 * does. One question is matched on the wire (`matchQuestion`).
 */
function questionless(chain: Attempt, count: number, rcode: number): Attempt | undefined {
  return count === 0 && chain.next === undefined && (rcode === FORMERR || rcode === NOTIMP) ? chain : undefined;
}

/** The sans-IO stub resolver, with every policy (`STANDARD_POLICIES`: cookies, 0x20, the search list). */
export class Resolver extends ResolverCore {
  /** Throws `EBADOPTION` or `EBADSERVER` on a bad option. */
  constructor(options: ResolverOptions) {
    super(options, STANDARD_POLICIES);
  }
}
