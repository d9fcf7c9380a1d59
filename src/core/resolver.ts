/**
 * The resolver: a synchronous, sans-IO state machine (ARCHITECTURE.md, "The core contract").
 *
 * Theory of operation
 * -------------------
 * Inputs are `query`, `cancel`, `handleDatagrams`, `handleError` and
 * `handleTimeout`, each taking `now` first; the output is drained with
 * `poll()`. Every state transition happens in this file.
 *
 * A query owns a plan of sends: `attempts` rounds over the server list, in
 * order, skipping servers that answered it with a failure. Each send is an
 * attempt with a fresh random ID; the query's single timer (in a heap) is the
 * earlier of "give up on the current attempt" and the overall deadline. When
 * an attempt is given up on, it stays matchable (a late answer still wins) and
 * the next send of the plan goes out, so a slow server is hedged by the next.
 * The per-attempt timeout adapts to each server's smoothed RTT (RFC 6298),
 * between `minTimeout` and `maxTimeout`, times `backoff` per round.
 *
 * A response is matched by peer and transport (a slot), then ID, then
 * question (RFC 5452 §9.1). Then, by rcode:
 * - NOERROR or NXDOMAIN: the final answer, unless TC=1 over UDP, which
 *   re-asks the same server over TCP (RFC 7766 §5);
 * - FORMERR, NOTIMP or BADVERS to an EDNS query: the server is remembered as
 *   EDNS-less and asked again without OPT (RFC 6891 §7);
 * - anything else, or a malformed message: the server failed this query; the
 *   next server is asked. When every server failed, the final event is the
 *   last failure.
 * The overall deadline ends every query: nothing outlives it.
 *
 * Policy hooks (each in its own file): `query` prepares the name first
 * (IDN to A-labels, `localhost`/`.onion` answered locally, the search list
 * run as one candidate query after another under one handle by `settle`,
 * `search.ts`); a query's plan follows an order of servers with demoted ones
 * last and an occasional probe first, rotated with `rotate`, whole rounds at
 * once with `race` (`selection.ts`); each attempt gets its own 0x20 case
 * bits and COOKIE option, and a response is checked for both after the
 * question (`case0x20.ts`, `cookies.ts`; drops `wrong-case`, `bad-cookie`).
 */
import { decodeMessage, encodeQuery, namesEqual, parseName, readId, typeFromInput, typeToName, classFromInput } from './codec/index.js';
import type { Message, Question } from './codec/types.js';
import { AttemptIndex, type Attempt, type Query } from './attempts.js';
import { DnsError, type QueryErrorCode, type TransportErrorCode } from './errors.js';
import { settingsFrom, type Settings } from './options.js';
import { RandomPool } from './random.js';
import { attemptTimeout, bestSampled, sampleRtt, tcpTimeout } from './rto.js';
import { endpointKey, makeServers, type ServerState } from './servers.js';
import { TimerHeap } from './timer-heap.js';
import { QueryTable } from './query-table.js';
import { newStats, rcodeError, validateReceived, queryTimeout } from './resolver-support.js';
import { Cache, keysOf, type Entry, type Keys } from './cache.js';
import { cachedAnswer, remainingTtl, errorEvent } from './cache-events.js';
import { assembleChain } from './cname.js';
import { detach, handOver, join, takeFollowers } from './coalesce.js';
import { toAscii } from './idna.js';
import { candidates, finalOf, localMessage, movesOn, specialName, type SearchJob } from './search.js';
import { noteFailure, planOrder } from './selection.js';
import { BADCOOKIE, checkCookie, withCookie } from './cookies.js';
import { randomizeCase } from './case0x20.js';
import { applyCase } from './policy.js';
import type {
  AnswerEvent, DropReason, ErrorEvent, Endpoint, Output, QueryOptions, QueryQuestion, Received, ResolverEvent, ResolverOptions, ResolverStats,
  Protocol, TraceWhat, Transmit,
} from './types.js';

/** The `server` of an answer the resolver gave itself (`localhost`, `.onion`). */
const LOCAL: Endpoint = { transport: 'udp', address: '127.0.0.1', port: 0 };

/** Keys of a query when neither the cache nor coalescing is on: nothing is looked up or kept. */
const NO_KEYS: Keys = { data: '', nx: '', fail: '' };
const NOERROR = 0;
const FORMERR = 1;
const NXDOMAIN = 3;
const NOTIMP = 4;
const BADVERS = 16;

/** The sans-IO stub resolver. */
export class Resolver {
  /** Counters since construction (ARCHITECTURE.md rule 12). */
  readonly stats: ResolverStats = newStats();
  private readonly s: Settings;
  private readonly servers: ServerState[];
  private readonly slots = new Map<string, number>();
  private readonly random: RandomPool;
  private readonly heap = new TimerHeap();
  private readonly index: AttemptIndex;
  private readonly queries = new QueryTable<Query>();
  private transmits: Transmit[] = [];
  private events: ResolverEvent[] = [];
  private lastNow = -Infinity;
  private nextToken = 1;
  private readonly cache: Cache;
  /** The query leading the resolution of each question in flight, by cache key (coalescing). */
  private readonly leaders = new Map<string, Query>();
  /** Search-list queries in flight, by the handle of the candidate being asked (`search.ts`). */
  private readonly searches = new Map<number, SearchJob>();
  /** Queries started: turns the server list with `rotate`. */
  private turn = 0;

  /** Throws `EBADOPTION` or `EBADSERVER` on a bad option. */
  constructor(options: ResolverOptions) {
    this.s = settingsFrom(options);
    this.random = new RandomPool(options.random);
    this.servers = makeServers(options.servers);
    for (const server of this.servers) {
      this.slots.set(endpointKey(server.endpoint), server.index * 2);
      if (server.tcp !== undefined) this.slots.set(endpointKey(server.tcp), server.index * 2 + 1);
    }
    this.index = new AttemptIndex(this.s.recentLimit);
    applyCase(this.servers, this.s.policy.case0x20);
    this.cache = new Cache(this.s.cacheSettings, this.stats);
  }

  /** What the cache holds: entries (expired ones kept for serve-stale included) and their wire size in bytes. */
  get cached(): { entries: number; bytes: number } {
    return { entries: this.cache.size, bytes: this.cache.bytes };
  }

  /** Forget every cached answer, negative answer and failure. */
  clearCache(): void {
    this.cache.clear();
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
    const out = use(t, this.cache, this.servers, this.s.maxCnameChain);
    this.lastNow = t;
    return out;
  }

  /** Queries started and not yet finished. */
  get inFlight(): number {
    return this.queries.size;
  }

  /**
   * What the resolver holds right now: queries, live attempts, armed timers,
   * and remembered IDs of finished attempts (bounded by `recentLimit`). With no
   * query in flight, the first three are 0.
   */
  get held(): { queries: number; attempts: number; timers: number; recentIds: number } {
    return { queries: this.queries.size, attempts: this.index.size, timers: this.heap.size, recentIds: this.index.recentSize };
  }

  /** The configured servers, normalised. */
  getServers(): Endpoint[] {
    return this.servers.map((s) => s.endpoint);
  }

  /**
   * Start a query. Its first datagram is queued by this call; drain it with
   * `poll()`. A live cache entry answers it in this call instead (the final
   * event is queued, nothing is sent); an identical question in flight takes
   * it along (coalescing: nothing is sent, it gets its own final event when
   * that resolution ends). Returns a handle that is never reused. Throws `EBADNAME`,
   * `EBADTYPE`, `EBADCLASS`, `EBADOPTION`, `EBADTIME` or `ELIMIT`, and then
   * changes nothing.
   *
   * Before that, the name is prepared (`search.ts`): U-labels become A-labels
   * (option `idn`); `localhost` and `.onion` are answered in this call
   * (option `specialNames`); a relative name is tried with the search list
   * (options `search`, `ndots`), all under this one handle and deadline.
   */
  query(now: number, name: string, type: string | number = 'A', options: QueryOptions = {}): number {
    const t = this.clock(now);
    if (typeof name !== 'string') throw new DnsError('EBADNAME', 'name must be a string');
    if (typeof options !== 'object' || options === null) throw new DnsError('EBADOPTION', 'query options must be an object');
    if (options.search !== undefined && typeof options.search !== 'boolean') throw new DnsError('EBADOPTION', 'query option search must be a boolean');
    const p = this.s.policy;
    const ascii = p.idn ? toAscii(name) : name;
    const special = p.specialNames ? specialName(ascii) : undefined;
    if (special !== undefined) return this.fromLocal(t, special, ascii, type, options);
    const names = options.search === false ? [ascii] : candidates(ascii, p.search, p.ndots);
    if (names.length === 1) return this.ask(t, ascii, type, options);
    const inner = this.ask(t, names[0] as string, type, options);
    const outer = this.queries.issue();
    const deadline = t + queryTimeout(options, this.s.deadline);
    const job: SearchJob = { outer, names, type, options, start: t, deadline, at: 0, sent: 0, nodata: undefined, inner };
    this.searches.set(inner, job).set(outer, job);
    this.settle(t);
    return outer;
  }

  /** Answer a special-use name within the call (RFC 6761 §6.3, RFC 7686 §2): no datagram, source `local`. */
  private fromLocal(t: number, kind: 'localhost' | 'onion', name: string, type: string | number, options: QueryOptions): number {
    const parsed = parseName(name);
    const qtype = typeFromInput(type);
    const qclass = classFromInput(options.class ?? 'IN');
    queryTimeout(options, this.s.deadline);
    this.lastNow = t;
    const handle = this.queries.issue();
    this.stats.queriesStarted++;
    this.stats.local++;
    this.stats.answered++;
    const message = localMessage(kind, parsed.name, qtype, qclass);
    const question = { name: parsed.name, type: qtype, class: qclass, typeName: typeToName(qtype) };
    this.events.push({ kind: 'answer', handle, question, message, server: LOCAL, elapsed: 0, sent: 0, records: message.answers, source: 'local' });
    return handle;
  }

  /** The handle of the query in flight for `handle`: the candidate being asked for a search, else itself. */
  private innerOf(handle: number): number {
    const job = this.searches.get(handle);
    return job !== undefined && job.outer === handle ? job.inner : handle;
  }

  /**
   * Move search-list queries on (`search.ts`), at the end of every input: a
   * final event of a candidate either starts the next candidate (NXDOMAIN or
   * NODATA, deadline not reached) or becomes the final event of the search
   * under the caller's handle. Transmits and traces of candidates carry the
   * caller's handle too. Costs nothing while no search is in flight.
   */
  private settle(t: number): void {
    if (this.searches.size === 0) return;
    const events = this.events;
    let kept = 0;
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as ResolverEvent;
      const job = e.handle === undefined ? undefined : this.searches.get(e.handle);
      if (job === undefined || job.outer === e.handle) events[kept++] = e;
      else if (e.kind === 'trace') events[kept++] = { ...e, handle: job.outer };
      else if (!this.nextCandidate(job, e, t)) {
        this.searches.delete(job.inner);
        this.searches.delete(job.outer);
        events[kept++] = finalOf(job, e, t);
      }
    }
    events.length = kept;
    const transmits = this.transmits;
    for (let i = 0; i < transmits.length; i++) {
      const tr = transmits[i] as Transmit;
      const job = this.searches.get(tr.handle);
      if (job !== undefined) transmits[i] = { ...tr, handle: job.outer };
    }
  }

  /** Ask the next candidate of a search after `e`, if `e` moves it on and time is left. */
  private nextCandidate(job: SearchJob, e: AnswerEvent | ErrorEvent, t: number): boolean {
    const left = job.deadline - t;
    if (!movesOn(e) || job.at + 1 >= job.names.length || left <= 0) return false;
    if (e.message.rcode === NOERROR) job.nodata ??= e;
    job.sent += e.sent;
    job.at++;
    this.stats.searched++;
    const name = job.names[job.at] as string;
    this.trace('search', t, job.outer, undefined, undefined, `${e.message.rcode === NOERROR ? 'NODATA' : 'NXDOMAIN'} for ${e.question.name}: asking ${name}`);
    this.searches.delete(job.inner);
    job.inner = this.ask(t, name, job.type, { ...job.options, timeout: left });
    this.searches.set(job.inner, job);
    return true;
  }

  /** Start the query for one name (see `query`). */
  private ask(t: number, name: string, type: string | number, options: QueryOptions): number {
    const parsed = parseName(name);
    const qtype = typeFromInput(type);
    const qclass = classFromInput(options.class ?? 'IN');
    const timeout = queryTimeout(options, this.s.deadline);
    const checkingDisabled = options.checkingDisabled === true;
    const bits = (options.dnssecOk === true ? 1 : 0) | (checkingDisabled ? 2 : 0);
    const keys = this.s.cache || this.s.coalesce ? keysOf(parsed.name, qtype, qclass, bits) : NO_KEYS;
    const hit = this.s.cache ? this.cache.lookup(t, keys) : undefined;
    if (hit !== undefined) return this.fromCache(t, keys, hit, { name: parsed.name, type: qtype, class: qclass, typeName: typeToName(qtype) });
    if (this.queries.size >= this.s.maxInFlight) {
      throw new DnsError('ELIMIT', `${this.s.maxInFlight} queries are in flight (option maxInFlight)`);
    }
    this.lastNow = t;
    const wire = encodeQuery({
      id: 0, labels: parsed.labels, type: qtype, class: qclass, rd: this.s.recursionDesired, cd: checkingDisabled,
      edns: this.s.edns ? { payload: this.s.ednsPayload, do: options.dnssecOk === true } : undefined,
    });
    const q: Query = {
      handle: this.queries.nextHandle(), slot: this.queries.nextSlot(), wire, questionEnd: 12 + parsed.wireLength + 4,
      name: parsed.name, type: qtype, class: qclass,
      start: t, deadline: t + timeout,
      cursor: 0, failed: undefined, failedCount: 0, live: undefined, current: undefined, giveUpAt: undefined, sent: 0,
      lastError: undefined, key: keys.data, bits, follower: false, followers: undefined,
      order: planOrder(this.servers, this.s.policy, this.turn++, () => this.random.u16(), this.stats), badCookies: 0,
    };
    this.queries.add(q);
    this.stats.queriesStarted++;
    if (this.s.cache) this.stats.cacheMisses++;
    const leader = this.s.coalesce ? this.leaders.get(keys.data) : undefined;
    if (leader !== undefined) return this.follow(leader, q);
    if (this.s.coalesce) this.leaders.set(keys.data, q);
    this.sendNext(q, t);
    return q.handle;
  }

  /** Attach `q` to the resolution `leader` runs: it sends nothing, and its only timer is its deadline. */
  private follow(leader: Query, q: Query): number {
    join(leader, q);
    this.stats.coalesced++;
    this.heap.set(q.slot, q.deadline);
    return q.handle;
  }

  /** Answer a query from a live entry within the call: a fresh handle, the final event queued, nothing sent. */
  private fromCache(t: number, keys: Keys, e: Entry, question: QueryQuestion): number {
    this.lastNow = t;
    const handle = this.queries.issue();
    this.stats.queriesStarted++;
    this.stats.cacheHits++;
    if (e.kind !== 'failure') {
      this.stats.answered++;
      this.events.push(cachedAnswer(handle, question, e, remainingTtl(e, t), 0, 'cache'));
      return handle;
    }
    const stale = this.staleAnswer(t, keys, handle, question, 0);
    if (stale !== undefined) this.events.push(stale);
    else {
      this.stats.failed++;
      this.events.push(errorEvent(handle, question, e.code as QueryErrorCode, 'failure remembered (option failureTtl, RFC 9520)', 0, 0, 'cache'));
    }
    return handle;
  }

  /** An answer from expired data, when serve-stale is on and there is some (RFC 8767 §4). */
  private staleAnswer(t: number, keys: Keys, handle: number, question: QueryQuestion, elapsed: number): AnswerEvent | undefined {
    const e = this.cache.stale(t, keys);
    if (e === undefined) return undefined;
    this.stats.staleAnswers++;
    this.stats.answered++;
    return cachedAnswer(handle, question, e, this.s.cacheSettings.staleTtl, elapsed, 'stale');
  }

  /** Cancel one query: its final event is `ECANCELLED`. False when it had already finished. Throws `EBADHANDLE` for a handle never issued. */
  cancel(now: number, handle: number): boolean {
    const t = this.clock(now);
    if (!this.queries.issued(handle)) throw new DnsError('EBADHANDLE', `no query was ever started with handle ${String(handle)}`);
    this.lastNow = t;
    const q = this.queries.get(this.innerOf(handle));
    if (q === undefined) return false;
    this.stats.cancelled++;
    this.finishError(q, 'ECANCELLED', t, 'cancelled by the caller');
    this.settle(t);
    return true;
  }

  /** Cancel every query in flight; returns how many. */
  cancelAll(now: number): number {
    const t = this.clock(now);
    this.lastNow = t;
    const all = this.queries.values();
    for (const q of all) {
      this.stats.cancelled++;
      this.finishError(q, 'ECANCELLED', t, 'cancelled by the caller');
    }
    this.settle(t);
    return all.length;
  }

  /** Feed received datagrams, in the order they arrived. Network bytes never throw. */
  handleDatagrams(now: number, datagrams: readonly Received[]): void {
    const t = this.clock(now);
    validateReceived(datagrams);
    this.lastNow = t;
    this.runTimers(t);
    for (const d of datagrams) this.receive(d, t);
    this.settle(t);
  }

  /**
   * A transmission failed in the driver (ICMP port unreachable, connection
   * refused or reset, an HTTP error for DoH): that server failed this query.
   * Pass the `Transmit` as it was polled. Unknown or finished ones are ignored.
   */
  handleError(now: number, transmit: Transmit, code: TransportErrorCode): void {
    const t = this.clock(now);
    this.lastNow = t;
    this.runTimers(t);
    const key = this.keyOf(transmit.peer, transmit.data, transmit.token);
    let a = key === undefined ? undefined : this.index.get(key);
    while (a !== undefined && a.token !== transmit.token) a = a.next;
    if (a === undefined) return;
    this.retire(a);
    this.serverFailed(a, t, code, `transport error ${code}`);
    this.settle(t);
  }

  /** Run every timer due at `now` (`deadline <= now`), earliest first. */
  handleTimeout(now: number): void {
    const t = this.clock(now);
    this.lastNow = t;
    this.runTimers(t);
    this.settle(t);
  }

  /** The next deadline: `lastNow` while output is queued, else the earliest timer, or `undefined`. */
  pollDeadline(): number | undefined {
    if (this.transmits.length > 0 || this.events.length > 0) return this.lastNow;
    return this.heap.peekAt();
  }

  /** Drain everything queued: call after every input, then arm one timer at `deadline`. */
  poll(): Output {
    const transmits = this.transmits;
    const events = this.events;
    this.transmits = [];
    this.events = [];
    return { transmits, events, deadline: this.heap.peekAt() };
  }

  /**
   * Every input runs the timers due at its `now` first, so a datagram that
   * arrives after a query's deadline (a late timer in the driver) cannot
   * answer it: no query outlives its deadline.
   */
  private runTimers(t: number): void {
    for (let at = this.heap.peekAt(); at !== undefined && at <= t; at = this.heap.peekAt()) {
      const q = this.queries.bySlot(this.heap.peekId()) as Query;
      if (at >= q.deadline) {
        this.finishError(q, 'ETIMEOUT', at, `no answer within ${q.deadline - q.start} ms`);
      } else {
        this.stats.timeouts++;
        this.trace('timeout', at, q.handle, this.peerOf(q.current as Attempt), undefined, 'attempt timed out');
        this.failure((q.current as Attempt).server, at);
        this.sendNext(q, at);
      }
    }
  }

  private clock(now: number): number {
    if (typeof now !== 'number' || !Number.isFinite(now)) {
      throw new DnsError('EBADTIME', `now must be a finite number of milliseconds, got ${String(now)}`);
    }
    return now > this.lastNow ? now : this.lastNow;
  }

  /**
   * The next send of the plan: the next server of the query's order (with
   * `race`, every server of the round at once) that has not failed it.
   */
  private sendNext(q: Query, t: number): void {
    const n = this.servers.length;
    const race = this.s.policy.race;
    while (q.cursor < n * this.s.attempts) {
      const pos = q.cursor++;
      const server = this.servers[q.order === undefined ? pos % n : (q.order[pos % n] as number)] as ServerState;
      if (q.failed?.[server.index] !== true) {
        const transport = server.endpoint.transport;
        this.send(q, server, transport, t, attemptTimeout(this.s, server, Math.floor(pos / n), bestSampled(this.servers)));
        if (!race) return;
      }
      if (race && q.cursor % n === 0) return;
    }
    q.current = undefined;
    q.giveUpAt = undefined;
    this.heap.set(q.slot, q.deadline);
  }

  private send(q: Query, server: ServerState, transport: Protocol, t: number, timeout: number): void {
    const token = this.nextToken++;
    const slot = server.index * 2 + (transport === 'tcp' && server.tcp !== undefined ? 1 : 0);
    let id = 0;
    let key = -token;
    if (transport !== 'doh') {
      for (let tries = 0; tries < 4; tries++) {
        id = this.random.u16();
        key = slot * 65536 + id;
        if (!this.index.has(key)) break;
      }
    }
    const edns = this.s.edns && !server.noEdns;
    const mixCase = server.case0x20 && !server.noCase;
    let data = q.sent === 0 && !mixCase && (edns || !this.s.edns) ? q.wire : q.wire.slice(0, edns ? q.wire.length : q.questionEnd);
    const caseName = mixCase ? randomizeCase(data, q.questionEnd - 4, q.name, this.random) : undefined;
    const cookie = edns && this.s.policy.cookies && transport !== 'doh' ? (server.clientCookie ??= this.random.bytes(8)) : undefined;
    if (cookie !== undefined) data = withCookie(data, cookie, server.serverCookie);
    data[0] = id >>> 8;
    data[1] = id & 0xff;
    if (!edns) {
      data[10] = 0;
      data[11] = 0;
    }
    const a: Attempt = { query: q, server, transport, id, key, token, sentAt: t, edns, caseName, cookie, next: undefined, nextLive: q.live };
    this.index.add(a);
    q.live = a;
    q.current = a;
    if (q.sent++ > 0) this.stats.retransmissions++;
    this.stats.datagramsSent++;
    const peer = this.peerOf(a);
    this.transmits.push({ data, peer, handle: q.handle, token });
    this.trace('send', t, q.handle, peer, id, `size ${data.length}, timer ${Math.round(timeout)} ms`, data.length);
    q.giveUpAt = t + timeout;
    this.heap.set(q.slot, Math.min(q.giveUpAt, q.deadline));
  }

  private peerOf(a: Attempt): Endpoint {
    return a.transport === 'tcp' && a.server.tcp !== undefined ? a.server.tcp : a.server.endpoint;
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

  private keyOf(peer: Endpoint, data: Uint8Array, token: number | undefined, slot = this.slotOf(peer)): number | undefined {
    if (slot === undefined) return undefined;
    if (peer.transport === 'doh') return token === undefined ? undefined : -token;
    const id = readId(data);
    return id === undefined ? undefined : slot * 65536 + id;
  }

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
    const cap = d.peer.transport === 'udp' ? (this.s.edns ? this.s.ednsPayload : 512) : 65535;
    const result = decodeMessage(d.data, cap);
    if (!result.ok) {
      this.stats.malformed[result.reason] = (this.stats.malformed[result.reason] ?? 0) + 1;
      this.drop('malformed', d, t, result.reason);
      if (chain.next !== undefined) return;
      this.retire(chain);
      return this.serverFailed(chain, t, 'EBADRESP', `malformed response (${result.reason})`);
    }
    const m = result.message;
    if (!m.flags.qr || m.opcode !== 0) return this.drop('not-response', d, t);
    const a = findAttempt(chain, m);
    if (a === undefined) return this.drop('wrong-question', d, t);
    if (a.caseName !== undefined && m.questions.length > 0 && (m.questions[0] as Question).name !== a.caseName) return this.wrongCase(a, m, d, t);
    if (a.cookie !== undefined && !checkCookie(a.server, a.cookie, m)) return this.drop('bad-cookie', d, t);
    this.trace('receive', t, a.query.handle, d.peer, m.id, `rcode ${m.rcode}${m.flags.tc ? ' TC' : ''}`, d.data.length);
    this.accept(a, m, t, d.data);
  }

  private accept(a: Attempt, m: Message, t: number, wire: Uint8Array): void {
    const q = a.query;
    this.retire(a);
    if (a.transport === 'udp') sampleRtt(a.server, t - a.sentAt);
    if (m.rcode === NOERROR || m.rcode === NXDOMAIN) {
      a.server.failures = 0;
      if (!m.flags.tc || a.transport !== 'udp') return this.finishAnswer(q, m, a, t, wire);
      this.stats.tcpFallbacks++;
      this.trace('tcp-fallback', t, q.handle, this.peerOf(a), m.id, 'TC=1: asking again over TCP');
      return this.send(q, a.server, 'tcp', t, tcpTimeout(this.s, a.server));
    }
    if (a.edns && (m.rcode === FORMERR || m.rcode === NOTIMP || m.rcode === BADVERS)) {
      a.server.noEdns = true;
      this.stats.ednsFallbacks++;
      this.trace('edns-fallback', t, q.handle, this.peerOf(a), m.id, `rcode ${m.rcode} to EDNS: asking again without it`);
      return this.send(q, a.server, a.transport, t, attemptTimeout(this.s, a.server, 0));
    }
    if (m.rcode === BADCOOKIE && a.cookie !== undefined) return this.badCookie(a, t);
    const code = rcodeError(m.rcode);
    this.serverFailed(a, t, code, `rcode ${m.rcode}`);
  }

  private serverFailed(a: Attempt, t: number, code: QueryErrorCode, detail: string): void {
    const q = a.query;
    const failed = (q.failed ??= []);
    if (failed[a.server.index] !== true) {
      failed[a.server.index] = true;
      q.failedCount++;
    }
    q.lastError = code;
    this.trace('server-failed', t, q.handle, this.peerOf(a), a.id, detail);
    if (code !== 'ESERVFAIL') this.failure(a.server, t);
    if (q.failedCount === this.servers.length) return this.finishError(q, code, t, `every server failed; last: ${detail}`);
    if (q.current === a) this.sendNext(q, t);
  }

  /** A timeout or failure of `server`: demote it after `demoteAfter` in a row (`selection.ts`). */
  private failure(server: ServerState, t: number): void {
    if (!noteFailure(this.s.policy, server)) return;
    this.stats.demotions++;
    this.trace('demoted', t, undefined, server.endpoint, undefined, `${server.failures} failures in a row: asked after the healthy servers`);
  }

  /**
   * An answer to a 0x20 query in another case (dropped). The second one from
   * a server, with a valid cookie when cookies are in use, marks it as not
   * preserving case: it is asked again at once, and from then on, without
   * 0x20 (`case0x20.ts`).
   */
  private wrongCase(a: Attempt, m: Message, d: Received, t: number): void {
    this.drop('wrong-case', d, t);
    const server = a.server;
    if (a.cookie !== undefined && !checkCookie(server, a.cookie, m)) return;
    if (++server.caseMisses !== 2) return;
    server.noCase = true;
    this.stats.caseFallbacks++;
    this.trace('case-fallback', t, a.query.handle, this.peerOf(a), a.id, 'case not preserved twice: asking again without 0x20');
    this.send(a.query, server, a.transport, t, attemptTimeout(this.s, server, 0));
  }

  /** BADCOOKIE (RFC 7873 §5.3): ask again once with the server cookie just learned, then over TCP. */
  private badCookie(a: Attempt, t: number): void {
    const q = a.query;
    this.stats.badCookies++;
    this.trace('bad-cookie', t, q.handle, this.peerOf(a), a.id, 'BADCOOKIE');
    if (a.transport === 'tcp') return this.serverFailed(a, t, 'EBADRESP', 'BADCOOKIE over TCP');
    if (q.badCookies++ === 0) return this.send(q, a.server, 'udp', t, attemptTimeout(this.s, a.server, 0));
    this.send(q, a.server, 'tcp', t, tcpTimeout(this.s, a.server));
  }

  private retire(a: Attempt): void {
    this.index.retire(a);
    const q = a.query;
    if (q.live === a) q.live = a.nextLive;
    else for (let p = q.live; p !== undefined; p = p.nextLive) if (p.nextLive === a) p.nextLive = a.nextLive;
  }

  private finish(q: Query): void {
    for (let a = q.live; a !== undefined; a = a.nextLive) this.index.retire(a);
    q.live = undefined;
    q.current = undefined;
    this.heap.delete(q.slot);
    this.queries.delete(q.handle);
    if (q.follower) detach(this.leaders.get(q.key) as Query, q);
    else if (this.leaders.get(q.key) === q) this.leaders.delete(q.key);
  }

  /** An accepted answer: check its CNAME chain, cache it, and end the query and its followers with it. */
  private finishAnswer(q: Query, message: Message, a: Attempt, t: number, wire: Uint8Array): void {
    const chain = assembleChain(message.answers, q.name, q.type, typeToName(q.type), q.class, this.s.maxCnameChain);
    if (!chain.ok) return this.finishError(q, 'EBADRESP', t, chain.detail);
    this.stats.offChainRecords += chain.ignored;
    const server = this.peerOf(a);
    if (this.s.cache) this.cache.storeAnswer(t, questionOf(q), q.bits, message, chain, server, wire);
    const followers = takeFollowers(q);
    this.finish(q);
    this.stats.answered++;
    const records = chain.records;
    this.events.push({ kind: 'answer', handle: q.handle, question: questionOf(q), message, server, elapsed: t - q.start, sent: q.sent, records, source: 'network' });
    for (const f of followers) {
      this.finish(f);
      this.stats.answered++;
      this.events.push({ kind: 'answer', handle: f.handle, question: questionOf(f), message, server, elapsed: t - f.start, sent: 0, records, source: 'coalesced' });
    }
  }

  /**
   * End `q` with an error. When the query itself ends (cancelled, or its
   * deadline passed), its followers keep the resolution (the first one leads
   * it now); when the resolution failed, they share the failure. SERVFAIL is
   * remembered for `failureTtl` (RFC 9520).
   */
  private finishError(q: Query, code: QueryErrorCode, t: number, detail: string): void {
    const own = code === 'ECANCELLED' || code === 'ETIMEOUT';
    const heir = own ? handOver(q) : undefined;
    if (heir !== undefined) {
      this.leaders.set(heir.key, heir);
      // The heir's timer is its deadline; move it only when a give-up comes first (equal deadlines keep their order).
      if (heir.giveUpAt !== undefined && heir.giveUpAt < heir.deadline) this.heap.set(heir.slot, heir.giveUpAt);
    }
    const followers = own ? [] : takeFollowers(q);
    if (code === 'ESERVFAIL' && this.s.cache) this.cache.storeFailure(t, questionOf(q), q.bits, code);
    this.endWithError(q, code, t, detail, undefined);
    for (const f of followers) this.endWithError(f, code, t, detail, 'coalesced');
  }

  /** The final event of a failed query: stale data if allowed and present (RFC 8767), else the error. */
  private endWithError(q: Query, code: QueryErrorCode, t: number, detail: string, source: 'coalesced' | undefined): void {
    this.finish(q);
    const question = questionOf(q);
    const stale = code !== 'ECANCELLED' && this.s.cache ? this.staleAnswer(t, keysOf(q.name, q.type, q.class, q.bits), q.handle, question, t - q.start) : undefined;
    if (stale !== undefined) {
      this.cache.storeFailure(t, question, q.bits, code);
      this.events.push(stale);
      return;
    }
    if (code !== 'ECANCELLED') this.stats.failed++;
    if (code === 'ETIMEOUT') this.trace('deadline', t, q.handle, undefined, undefined, detail);
    this.events.push(errorEvent(q.handle, question, code, detail, t - q.start, source ? 0 : q.sent, source));
  }

  private drop(reason: DropReason, d: Received, t: number, detail?: string): void {
    this.stats.dropped[reason]++;
    if (!this.s.trace) return;
    const id = readId(d.data);
    this.trace('drop', t, undefined, d.peer, id, detail === undefined ? reason : `${reason} (${detail})`, d.data.length);
  }

  private trace(what: TraceWhat, at: number, handle: number | undefined, peer: Endpoint | undefined, id: number | undefined, detail: string, size?: number): void {
    if (!this.s.trace) return;
    this.events.push({ kind: 'trace', at, what, handle, peer, id, size, detail });
  }
}

function questionOf(q: Query): QueryQuestion {
  return { name: q.name, type: q.type, class: q.class, typeName: typeToName(q.type) };
}

function findAttempt(chain: Attempt, m: Message): Attempt | undefined {
  const qs = m.questions;
  if (qs.length === 0 && chain.next === undefined && (m.rcode === FORMERR || m.rcode === NOTIMP)) return chain;
  const q0 = qs.length === 1 ? qs[0] : undefined;
  if (q0 === undefined) return undefined;
  for (let a: Attempt | undefined = chain; a !== undefined; a = a.next) {
    const want = a.query;
    if (q0.type === want.type && q0.class === want.class && namesEqual(q0.name, want.name, false)) return a;
  }
  return undefined;
}
