/**
 * The query state machine: every change to a query and its attempts happens
 * in this file (h11's `_state.py`; the followers' moves are `coalescing.ts`), driven by the surface (`resolver.ts`),
 * which owns the clock, the matching of responses and the drops.
 *
 * Theory of operation
 * -------------------
 * A query owns a plan of sends (`schedule.ts` has its theory): a walk over
 * the servers in the order `selection.ts` chose, skipping servers that
 * failed it and demoted ones while a healthy one is left, for as many steps
 * as its budget allows. Each send is an attempt with a fresh random ID
 * (`send`). A query has two timers in one heap slot, armed at the earlier:
 * `give-up` on the current attempt, after its window, and its overall
 * `deadline` (which wins a tie). When `give-up` fires, the attempt stays
 * answerable (a late answer still wins) and the next send of the plan goes
 * out, so a slow or lossy server is hedged by the next send; the window is
 * the server's RTO (`rto.ts`), steady while it answers, backed off while it
 * is demoted, cut to fit explicit tries into the deadline. When `deadline`
 * fires the query ends with `ETIMEOUT`: nothing outlives it.
 *
 * Phases (`QueryPhase` in `query.ts`), and what moves a query between them:
 * - start: `following` when an identical question is in flight (coalescing),
 *   else `sending`;
 * - `sending` → `sending`: give-up, and the plan has a next send; or a
 *   response that asks the same server again (TC, no EDNS, BADCOOKIE, 0x20);
 * - `sending` → `exhausted`: give-up or failure with no send left in the plan
 *   (its budget spent, or no answer could arrive before the deadline);
 * - `exhausted` → `sending`: a late response that asks again;
 * - `following` → the leader's phase: the leader ended on its own (cancel,
 *   deadline) and this query, its first follower, takes its resolution over;
 * - any → `done`: the final event is queued (answer, error, or the leader's
 *   outcome for its followers). A `done` query holds no timer, attempt or
 *   handle slot.
 *
 * What an accepted response does is decided by the table of `response.ts`,
 * one row per case of rcode class × TC × transport × EDNS × cookie; each
 * action (`finish`, `tcp`, `no-edns`, `bad-cookie`, `server-failed`) is a
 * transition here, the UDP/TCP-only resends (`tcp`, `bad-cookie`, and the
 * one without 0x20) given with their policies (`resend.ts`).
 */
import { dohAttempt } from './attempt-wire.js';
import { Cache, keysOf, NO_KEYS } from './cache.js';
import { assembleChain } from './cname.js';
import { readId, typeToName } from './codec/index.js';
import { buildMessage } from './codec/decode.js';
import { handOver, NONE, takeFollowers } from './coalescing.js';
import { rcodeError } from './codec/rcode.js';
import { DnsError, type QueryErrorCode } from './errors.js';
import { errorEvent, hitEvent, newStats, staleEvent } from './events.js';
import type { CookiePolicy, Policies, TracePolicy, UdpPolicy } from './policies.js';
import { peerOf, type Attempt, type Query } from './query.js';
import { QueryTable } from './query-table.js';
import { questionOf, type PreparedQuestion } from './question.js';
import { QueryWires } from './query-wires.js';
import type { RandomPool } from './random.js';
import { rcodeClass, responseAction } from './response.js';
import { truncated } from './response-match.js';
import { rto } from './rto.js';
import { planWindow, sendBudget, worthSending } from './schedule.js';
import { nextPosition, noteAnswer, noteFailure, noteMiss, noteResponse, planOrder, serverAt } from './selection.js';
import type { ServerState } from './servers.js';
import type { Settings } from './settings.js';
import { localAnswer } from './special-names.js';
import type { Spares } from './spares.js';
import { TimerHeap } from './timer-heap.js';
import type { TokenIndex } from './token-index.js';
import type { DropReason, QueryOptions, QueryQuestion, Received, ResolverEvent, ResolverStats, TraceEvent, Transmit, Protocol } from './types.js';

/** The two timers of a query (Q4 of quinn's `TimerTable`); one heap slot holds the earlier. */
export type TimerKind = 'give-up' | 'deadline';

/** @internal The state of every query in flight and its transitions; the surface is `Resolver`. */
export class Machine {
  /** Counters since construction (ARCHITECTURE.md rule 12). */
  readonly stats: ResolverStats = newStats();
  readonly heap = new TimerHeap();
  /** The query wires of kept questions, by DO/CD bits, and their question names (`query-wires.ts`). */
  readonly wires: QueryWires;
  readonly queries: QueryTable<Query>;
  readonly cache: Cache;
  /** The query leading the resolution of each question in flight, by cache key (coalescing). */
  readonly leaders = new Map<string, Query>();
  /** Output queued for `poll()`. */
  transmits: Transmit[] = [];
  events: ResolverEvent[] = [];
  private nextToken = 1;
  /** Finished queries and retired attempts, reused after the next `poll()` (`spares.ts`; the `udp` policy's). */
  readonly spares: Spares | undefined;
  /** Queries started: turns the server list with `rotate`. */
  private turn = 0;
  /** The trace event builders, when the option `trace` is on. */
  readonly tracer: TracePolicy | undefined;

  constructor(
    readonly settings: Settings,
    readonly policies: Policies,
    readonly servers: readonly ServerState[],
    readonly index: TokenIndex,
    private readonly random: RandomPool,
  ) {
    this.cache = new Cache(settings.cacheSettings, this.stats);
    this.wires = new QueryWires(settings);
    this.tracer = settings.trace ? policies.trace : undefined;
    this.spares = policies.udp?.spares();
    this.queries = new QueryTable<Query>(policies.udp?.slots());
  }

  /**
   * Start a query for a prepared question with `timeout` ms to its deadline:
   * answered from a live cache entry within this call (a fresh handle, the
   * final event queued, nothing sent), or attached to its identical leader,
   * or with its first send queued. Throws `ELIMIT`, and then changes nothing.
   */
  start(t: number, p: PreparedQuestion, options: QueryOptions, timeout: number): number {
    const question = p.question;
    const checkingDisabled = options.checkingDisabled === true;
    const bits = (options.dnssecOk === true ? 1 : 0) | (checkingDisabled ? 2 : 0);
    const keys = this.settings.cache || this.settings.coalesce ? keysOf(question.name, question.type, question.class, bits) : NO_KEYS;
    const hit = this.settings.cache ? this.cache.lookup(t, keys) : undefined;
    if (hit !== undefined) {
      const handle = this.queries.issue();
      this.events.push(hitEvent(this.stats, this.cache, t, keys, hit, handle, question));
      return handle;
    }
    if (this.queries.size >= this.settings.maxInFlight) {
      throw new DnsError('ELIMIT', `${this.settings.maxInFlight} queries are in flight (option maxInFlight)`);
    }
    const q = this.newQuery(p, t, timeout, keys.data, bits);
    this.queries.add(q);
    this.stats.queriesStarted++;
    if (this.settings.cache) this.stats.cacheMisses++;
    const leader = this.settings.coalesce ? this.leaders.get(keys.data) : undefined;
    if (leader !== undefined) return this.follow(leader, q);
    if (this.settings.coalesce) this.leaders.set(keys.data, q);
    this.sendNext(q, t);
    return q.handle;
  }

  /** A query in phase `sending`, nothing sent yet: a spare one set up anew (`spares.ts`), else a new one. */
  private newQuery(p: PreparedQuestion, t: number, timeout: number, key: string, bits: number): Query {
    const question = p.question;
    const handle = this.queries.nextHandle();
    const slot = this.queries.nextSlot();
    const wire = this.wires.of(p, bits);
    const questionEnd = 12 + p.wireLength + 4;
    const budget = sendBudget(this.settings.schedule, this.servers.length, this.settings.policy.race, timeout);
    const order = planOrder(this.servers, this.settings.policy, this.turn++, this.random, this.stats);
    return this.spares?.query(handle, slot, wire, questionEnd, question, t, t + timeout, budget, key, bits, order) ?? {
      handle, slot, wire, questionEnd, name: question.name, type: question.type, class: question.class, question,
      start: t, deadline: t + timeout, phase: 'sending',
      cursor: 0, failed: undefined, failedCount: 0, live: undefined, current: undefined, giveUpAt: NaN, sent: 0,
      planned: 0, budget, lastError: undefined, key, bits, followers: undefined, order, badCookies: 0,
    };
  }

  /** Attach `q` to the resolution `leader` runs: it sends nothing, and its only timer is its deadline. */
  private follow(leader: Query, q: Query): number {
    q.phase = 'following';
    (leader.followers ??= []).push(q);
    this.stats.coalesced++;
    this.heap.set(q.slot, q.deadline);
    return q.handle;
  }

  /** Answer a special-use name within the call (RFC 6761 §6.3, RFC 7686 §2): no datagram, source `local`. */
  answerLocally(kind: 'localhost' | 'onion', question: QueryQuestion): number {
    const handle = this.queries.issue();
    this.stats.queriesStarted++;
    this.stats.local++;
    this.stats.answered++;
    this.events.push(localAnswer(kind, handle, question));
    return handle;
  }

  /** Fire every timer due at `t` (`at <= t`), earliest first. */
  fireTimers(t: number): void {
    for (let at = this.heap.peekAt(); at !== undefined && at <= t; at = this.heap.peekAt()) {
      const q = this.queries.bySlot(this.heap.peekId()) as Query;
      const kind: TimerKind = at >= q.deadline ? 'deadline' : 'give-up';
      if (kind === 'deadline') {
        this.finishError(q, 'ETIMEOUT', at, `no answer within ${q.deadline - q.start} ms`);
      } else {
        const a = q.current as Attempt;
        this.stats.timeouts++;
        this.note(this.tracer?.timeout(at, q.handle, peerOf(a)));
        if (noteMiss(a.server, a.sentAt)) this.failure(a.server, at);
        this.sendNext(q, at);
      }
    }
  }

  /**
   * The next step of the plan (`schedule.ts`): a send to the next server of
   * the walk (with `race`, to every server left in the round), while the
   * budget lasts and, without explicit tries, while an answer could still
   * arrive before the deadline; else the query is `exhausted` and only its
   * deadline is armed.
   */
  private sendNext(q: Query, t: number): void {
    const n = this.servers.length;
    const p = this.settings.policy;
    const pos = q.planned < q.budget ? nextPosition(this.servers, p, q, q.cursor, q.cursor + n) : undefined;
    const d = this.settings.schedule;
    if (pos !== undefined && (q.planned === 0 || worthSending(d, this.servers, serverAt(this.servers, q, pos), t, q.deadline))) {
      q.planned++;
      const end = (Math.floor(pos / n) + 1) * n;
      for (let at: number | undefined = pos; at !== undefined; at = p.race ? nextPosition(this.servers, p, q, q.cursor, end) : undefined) {
        q.cursor = at + 1;
        const server = serverAt(this.servers, q, at);
        this.send(q, server, server.endpoint.transport, t, planWindow(d, p, this.servers, q, server, t));
      }
      return;
    }
    q.phase = 'exhausted';
    q.current = undefined;
    q.giveUpAt = NaN;
    this.heap.set(q.slot, q.deadline);
  }

  /**
   * Queue an attempt of `q` to `server` over `transport` (`attempt-wire.ts`),
   * giving up on it after `timeout` ms: it leads the query's live attempts,
   * and the query is `sending`.
   */
  send(q: Query, server: ServerState, transport: Protocol, t: number, timeout: number): void {
    const udp = this.policies.udp;
    const token = this.nextToken++;
    // The new attempt is the query's current one (no pair per attempt, issue 13).
    const data = udp === undefined
      ? dohAttempt(q, server, t, token, this.settings)
      : udp.attempt(q, server, transport, t, token, this.settings, this.policies, this.index, this.random, this.spares);
    const a = q.current as Attempt;
    this.index.add(a);
    q.live = a;
    q.phase = 'sending';
    if (q.sent++ > 0) this.stats.retransmissions++;
    this.stats.datagramsSent++;
    const peer = peerOf(a);
    this.transmits.push({ data, peer, handle: q.handle, token: a.token });
    this.note(this.tracer?.send(t, q.handle, peer, a.id, data.length, timeout));
    q.giveUpAt = t + timeout;
    this.heap.set(q.slot, Math.min(q.giveUpAt, q.deadline));
  }

  /**
   * A response to `a` was accepted (matched, case and cookie checked): act on
   * it by the table `RESPONSE`. Decided on the wire (`rcode` read with the
   * OPT's upper bits, `response-match.ts`); a message is built only for an
   * answer that ends the query (`finishAnswer`, issue 13).
   */
  respond(a: Attempt, wire: Uint8Array, rcode: number, t: number): void {
    const q = a.query;
    this.retire(a);
    noteResponse(this.settings.policy, a.server, t);
    if (a.transport === 'udp') (this.policies.udp as UdpPolicy).sample(a.server, t - a.sentAt);
    const kind = rcodeClass(rcode);
    if (kind === 'answer') noteAnswer(a.server);
    switch (responseAction(kind, truncated(wire), a.transport, a.edns, a.cookie !== undefined)) {
      case 'finish':
        return this.finishAnswer(q, a, t, wire);
      case 'tcp':
        return (this.policies.udp as UdpPolicy).tcp(this, a, readId(wire) as number, t);
      case 'no-edns':
        a.server.noEdns = true;
        this.stats.ednsFallbacks++;
        this.note(this.tracer?.ednsFallback(t, q.handle, peerOf(a), readId(wire) as number, rcode));
        return this.send(q, a.server, a.transport, t, rto(this.settings.schedule, a.server));
      case 'bad-cookie':
        return (this.policies.cookies as CookiePolicy).bad(this, a, t);
      case 'server-failed':
        return this.serverFailed(a, t, rcodeError(rcode), `rcode ${rcode}`);
    }
  }

  /**
   * The server of `a` failed its query (an rcode, a malformed answer, a
   * transport error); `a` is retired. When every server has failed, the query
   * ends with this failure; when `a` was the current attempt, the next send goes.
   */
  serverFailed(a: Attempt, t: number, code: QueryErrorCode, detail: string): void {
    const q = a.query;
    const failed = (q.failed ??= []);
    if (failed[a.server.index] !== true) {
      failed[a.server.index] = true;
      q.failedCount++;
    }
    q.lastError = code;
    this.note(this.tracer?.serverFailed(t, q.handle, peerOf(a), a.id, detail));
    if (code !== 'ESERVFAIL') this.failure(a.server, t);
    if (q.failedCount === this.servers.length) return this.finishError(q, code, t, `every server failed; last: ${detail}`);
    if (q.current === a) this.sendNext(q, t);
  }

  /** A timeout or failure of `server`: demote it after `demoteAfter` in a row (`selection.ts`). */
  private failure(server: ServerState, t: number): void {
    if (!noteFailure(this.settings.policy, server)) return;
    this.stats.demotions++;
    this.note(this.tracer?.demoted(t, server.endpoint, server.failures));
  }

  /** Take `a` out of the index and off its query's live list. */
  retire(a: Attempt): void {
    this.index.retire(a);
    this.spares?.releaseAttempt(a);
    const q = a.query;
    if (q.live === a) q.live = a.nextLive;
    else for (let p = q.live; p !== undefined; p = p.nextLive) if (p.nextLive === a) p.nextLive = a.nextLive;
  }

  /** `q` is `done`: its attempts, timer and slot go; a follower leaves its leader, a leader its key. */
  private finish(q: Query): void {
    const was = q.phase;
    q.phase = 'done';
    for (let a = q.live; a !== undefined; a = a.nextLive) this.retire(a);
    this.spares?.releaseQuery(q, was);
    q.live = undefined;
    q.current = undefined;
    this.heap.delete(q.slot);
    this.queries.delete(q.handle);
    if (was === 'following') {
      const list = (this.leaders.get(q.key) as Query).followers as Query[];
      list.splice(list.indexOf(q), 1);
    } else if (this.leaders.get(q.key) === q) this.leaders.delete(q.key);
  }

  /**
   * An accepted answer: check its CNAME chain, cache it, and end the query
   * and its followers with it. Its message is built here, and only here on
   * the receive path (the decisions before read the wire, issue 13).
   */
  private finishAnswer(q: Query, a: Attempt, t: number, wire: Uint8Array): void {
    const message = buildMessage(wire, this.wires.names.get(q.wire));
    const chain = assembleChain(message.answers, q.name, q.type, typeToName(q.type), q.class, this.settings.maxCnameChain);
    if (!chain.ok) return this.finishError(q, 'EBADRESP', t, chain.detail);
    this.stats.offChainRecords += chain.ignored;
    const server = peerOf(a);
    if (this.settings.cache) this.cache.storeAnswer(t, questionOf(q.name, q.type, q.class), q.bits, message, chain, server, wire);
    const followers = takeFollowers(q);
    this.finish(q);
    this.stats.answered++;
    const records = chain.records;
    this.events.push({ kind: 'answer', handle: q.handle, question: q.question, message, server, elapsed: t - q.start, sent: q.sent, records, source: 'network' });
    for (const f of followers) {
      this.finish(f);
      this.stats.answered++;
      this.events.push({ kind: 'answer', handle: f.handle, question: f.question, message, server, elapsed: t - f.start, sent: 0, records, source: 'coalesced' });
    }
  }

  /**
   * End `q` with an error. When the query itself ends (cancelled, or its
   * deadline passed), its followers keep the resolution (the first one leads
   * it now); when the resolution failed, they share the failure. SERVFAIL is
   * remembered for `failureTtl` (RFC 9520).
   */
  finishError(q: Query, code: QueryErrorCode, t: number, detail: string): void {
    const own = code === 'ECANCELLED' || code === 'ETIMEOUT';
    if (own) handOver(q, this.leaders, this.heap);
    const followers = own ? NONE : takeFollowers(q);
    if (code === 'ESERVFAIL' && this.settings.cache) this.cache.storeFailure(t, questionOf(q.name, q.type, q.class), q.bits, code);
    this.endWithError(q, code, t, detail, undefined);
    for (const f of followers) this.endWithError(f, code, t, detail, 'coalesced');
  }

  /** The final event of a failed query: stale data if allowed and present (RFC 8767), else the error. */
  private endWithError(q: Query, code: QueryErrorCode, t: number, detail: string, source: 'coalesced' | undefined): void {
    this.finish(q);
    const question = q.question;
    const stale = code !== 'ECANCELLED' && this.settings.cache
      ? staleEvent(this.stats, this.cache, t, keysOf(q.name, q.type, q.class, q.bits), q.handle, question, t - q.start)
      : undefined;
    if (stale !== undefined) {
      this.cache.storeFailure(t, question, q.bits, code);
      this.events.push(stale);
      return;
    }
    if (code !== 'ECANCELLED') this.stats.failed++;
    if (code === 'ETIMEOUT') this.note(this.tracer?.deadline(t, q.handle, detail));
    this.events.push(errorEvent(q.handle, question, code, detail, t - q.start, source ? 0 : q.sent, source));
  }

  /** Count a datagram the surface dropped for `reason`, and with option `trace` say so (rule 12). */
  drop(reason: DropReason, d: Received, t: number, detail?: string): void {
    this.stats.dropped[reason]++;
    this.note(this.tracer?.drop(t, d.peer, d.data, reason, detail));
  }

  /** Queue a trace event, if there is one (the option `trace` is on). */
  note(e: TraceEvent | undefined): void {
    if (e !== undefined) this.events.push(e);
  }
}
