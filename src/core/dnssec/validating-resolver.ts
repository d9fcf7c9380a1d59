/**
 * A validating stub resolver (RFC 4035 §4.9.3, §5): the core `Resolver`
 * wrapped by composition, with the same sans-IO surface.
 *
 * Theory of operation
 * -------------------
 * Every query goes to the core with DO and CD set (RFC 4035 §3.2.1, §4.9.2:
 * the stub validates for itself, so the upstream must not filter bogus
 * data). When the core's final answer for a caller's query arrives, a job
 * starts: the validator (`validate-answer.ts`) runs over the answer and
 * either decides or names the DNSKEY and DS responses it lacks. Those are
 * asked as internal queries through the same core (same matching, cache and
 * coalescing), one per name and type for all jobs at once; when the last
 * one a job waits for arrives, the job runs again. Zones proved secure or
 * insecure are remembered (`zone-state.ts`), so a warm chain costs only the
 * answer's own signature. The caller's deadline bounds the whole: a job
 * still waiting at it ends `ETIMEOUT`. A verdict ends the query: secure,
 * insecure and indeterminate as an answer with `security`; bogus as an
 * `EBOGUS` error with an Extended DNS Error (RFC 8914), or, when the caller
 * set `checkingDisabled`, as an answer marked bogus.
 *
 * Answers from the core's cache keep only the SOA of a negative answer, so
 * the NSEC/NSEC3 proofs of each network answer are kept here (bounded, by
 * question) and given back to the validator with the cached answer.
 */
import type { DnsRecord } from '../codec/types.js';
import { errorEvent } from '../events.js';
import { DnsError, type QueryErrorCode } from '../errors.js';
import { Resolver, type ResolverCore } from '../resolver.js';
import type { Cache } from '../cache.js';
import type { ServerState } from '../servers.js';
import { TimerHeap } from '../timer-heap.js';
import type { AnswerEvent, Endpoint, Output, QueryOptions, ResolverEvent, ResolverStats, Transmit, Received } from '../types.js';
import { Budget } from './budget.js';
import { extendedErrors, type ExtendedError } from './ede.js';
import { PENDING, type Env, type Fetched } from './env.js';
import type { ValidatedAnswer, ValidatedError, ValidationStats } from './events.js';
import { nameOf } from './names.js';
import { dnssecSettings, type DnssecSettings, type ValidatingResolverOptions } from './options.js';
import { capTtls } from './ttl-cap.js';
import { validateAnswer, type Verdict } from './validate-answer.js';
import { KeyCache } from './zone-state.js';

/** One chain fetch (a DNSKEY or DS query) in flight, shared by the jobs waiting for it. */
interface Fetch {
  readonly key: string;
  readonly handle: number;
  readonly waiters: Set<Job>;
}

/** A caller's query whose answer is being validated. */
interface Job {
  readonly handle: number;
  readonly event: AnswerEvent;
  readonly authorities: DnsRecord[];
  readonly cd: boolean;
  readonly deadline: number;
  /** When the core's answer arrived. */
  readonly received: number;
  readonly slot: number;
  readonly budget: Budget;
  readonly fetched: Map<string, Fetched>;
  readonly waiting: Set<string>;
  readonly lines: string[];
  readonly memo: Map<string, unknown>;
}

const NSEC_TYPES = new Set(['NSEC', 'NSEC3', 'RRSIG']);

/** The sans-IO validating resolver. Same inputs and outputs as {@link Resolver}. */
export class ValidatingResolver {
  /** The wrapped core. */
  readonly core: ResolverCore;
  /** Validation counters since construction. */
  readonly validation: ValidationStats = { secure: 0, insecure: 0, bogus: 0, indeterminate: 0, fetches: 0, verifications: 0, bounded: 0 };
  private readonly s: DnssecSettings;
  private readonly keys: KeyCache;
  private readonly proofs = new Map<string, DnsRecord[]>();
  /** Callers' queries not finished: deadline and CD, by handle. */
  private readonly user = new Map<number, { deadline: number; cd: boolean }>();
  private readonly jobs = new Map<number, Job>();
  private readonly fetches = new Map<string, Fetch>();
  private readonly internal = new Map<number, Fetch>();
  private readonly heap = new TimerHeap();
  private readonly slots: Job[] = [];
  private readonly free: number[] = [];
  private transmits: Transmit[] = [];
  private events: ResolverEvent[] = [];
  private lastNow = -Infinity;

  /** Throws `EBADOPTION` or `EBADSERVER` on a bad option (the core's, or the DNSSEC ones of `options.ts`). */
  constructor(options: ValidatingResolverOptions) {
    this.s = dnssecSettings(options);
    this.core = options.core === undefined ? new Resolver(options) : options.core(options);
    this.keys = new KeyCache(this.s.keyCacheEntries);
  }

  /** The core's counters (datagrams, cache, ...); see {@link validation} for DNSSEC's. */
  get stats(): ResolverStats {
    return this.core.stats;
  }

  /** Queries started and not yet finished (validation included). */
  get inFlight(): number {
    return this.user.size + this.jobs.size;
  }

  /** The configured servers, normalised. */
  getServers(): Endpoint[] {
    return this.core.getServers();
  }

  /** What the core's cache holds (see `Resolver.cached`). */
  get cached(): { entries: number; bytes: number } {
    return this.core.cached;
  }

  /** What the core holds (see `Resolver.held`), plus validations waiting for their chain. */
  get held(): { queries: number; attempts: number; timers: number; recentIds: number } {
    const h = this.core.held;
    return { ...h, queries: h.queries + this.jobs.size, timers: h.timers + this.heap.size };
  }

  /** The core's `learned` hook (snapshot and restore of its cache and server state). @internal */
  learned<T>(now: number, use: (t: number, cache: Cache, servers: readonly ServerState[], maxCnameChain: number) => T): T {
    return this.core.learned(now, use);
  }

  /** Forget cached answers, proven zones and kept proofs. */
  clearCache(): void {
    this.core.clearCache();
    this.keys.clear();
    this.proofs.clear();
  }

  /** Start a query (see `Resolver.query`); its answer is validated before its final event. */
  query(now: number, name: string, type: string | number = 'A', options: QueryOptions = {}): number {
    const handle = this.core.query(now, name, type, { ...options, dnssecOk: true, checkingDisabled: true });
    const t = this.tick(now);
    const timeout = typeof options.timeout === 'number' ? options.timeout : this.s.deadline;
    this.user.set(handle, { deadline: t + timeout, cd: options.checkingDisabled === true });
    this.pump(t);
    return handle;
  }

  /** Cancel one query (see `Resolver.cancel`). Throws `EBADHANDLE` for a handle never given to the caller. */
  cancel(now: number, handle: number): boolean {
    if (this.internal.has(handle)) throw new DnsError('EBADHANDLE', `no query was ever started with handle ${String(handle)}`);
    const job = this.jobs.get(handle);
    if (job === undefined) {
      const r = this.core.cancel(now, handle);
      this.pump(this.tick(now));
      return r;
    }
    const t = this.tick(now);
    this.core.stats.cancelled++;
    this.end(job, t, errorEvent(handle, job.event.question, 'ECANCELLED', 'cancelled by the caller', this.elapsed(job, t), job.event.sent));
    this.pump(t);
    return true;
  }

  /** Cancel every query in flight; returns how many. */
  cancelAll(now: number): number {
    const t = this.tick(now);
    let n = 0;
    for (const job of [...this.jobs.values()]) {
      n++;
      this.core.stats.cancelled++;
      this.end(job, t, errorEvent(job.handle, job.event.question, 'ECANCELLED', 'cancelled by the caller', this.elapsed(job, t), job.event.sent));
    }
    const waiting = this.user.size;
    this.core.cancelAll(now);
    this.pump(t);
    return n + waiting;
  }

  /** Feed received datagrams (see `Resolver.handleDatagrams`). */
  handleDatagrams(now: number, datagrams: readonly Received[]): void {
    this.core.handleDatagrams(now, datagrams);
    this.settle(this.tick(now));
  }

  /** A transmission failed in the driver (see `Resolver.handleError`). */
  handleError(now: number, transmit: Transmit, code: Exclude<QueryErrorCode, 'ETIMEOUT' | 'ECANCELLED'>): void {
    this.core.handleError(now, transmit, code);
    this.settle(this.tick(now));
  }

  /** Run every timer due at `now`: the core's, and validations past their deadline. */
  handleTimeout(now: number): void {
    this.core.handleTimeout(now);
    this.settle(this.tick(now));
  }

  /** The next deadline: `lastNow` while output is queued, else the earlier of the core's and the validations'. */
  pollDeadline(): number | undefined {
    if (this.transmits.length > 0 || this.events.length > 0) return this.lastNow;
    return this.deadline();
  }

  /** Drain everything queued (see `Resolver.poll`). Answers carry `security`; see `events.ts`. */
  poll(): Output {
    const out = { transmits: this.transmits, events: this.events, deadline: this.deadline() };
    this.transmits = [];
    this.events = [];
    return out;
  }

  private deadline(): number | undefined {
    const a = this.core.pollDeadline();
    const b = this.heap.peekAt();
    return a === undefined ? b : b === undefined ? a : Math.min(a, b);
  }

  private tick(now: number): number {
    this.lastNow = Math.max(this.lastNow, now);
    return this.lastNow;
  }

  private settle(t: number): void {
    this.pump(t);
    for (let at = this.heap.peekAt(); at !== undefined && at <= t; at = this.heap.peekAt()) {
      const job = this.slots[this.heap.peekId()] as Job;
      this.core.stats.failed++;
      this.end(job, t, errorEvent(job.handle, job.event.question, 'ETIMEOUT', 'DNSSEC validation: no chain within the deadline', this.elapsed(job, t), job.event.sent));
    }
    this.pump(t);
  }

  /** ms from the caller's query to `t`. */
  private elapsed(job: Job, t: number): number {
    return job.event.elapsed + t - job.received;
  }

  /** Move the core's output through: transmits as they are, events routed to callers, fetches and jobs. */
  private pump(t: number): void {
    for (;;) {
      const out = this.core.poll();
      for (const tr of out.transmits) this.transmits.push(tr);
      if (out.events.length === 0) return;
      for (const e of out.events) this.route(e, t);
    }
  }

  private route(e: ResolverEvent, t: number): void {
    const fetch = this.internal.get(e.handle as number);
    if (e.kind === 'trace') {
      const owner = fetch === undefined ? undefined : [...fetch.waiters][0];
      this.events.push(owner === undefined ? e : { ...e, handle: owner.handle });
      return;
    }
    if (fetch !== undefined) return this.fetched(fetch, e, t);
    const u = this.user.get(e.handle);
    if (u === undefined) return;
    this.user.delete(e.handle);
    if (e.kind === 'error') return void this.events.push(e);
    if (e.source === 'local') {
      const local: ValidatedAnswer = { ...e, security: 'indeterminate', extendedErrors: [] };
      return void this.events.push(local);
    }
    this.startJob(e, u, t);
  }

  private startJob(e: AnswerEvent, u: { deadline: number; cd: boolean }, t: number): void {
    const slot = this.free.pop() ?? this.slots.length;
    const job: Job = {
      handle: e.handle, event: e, authorities: this.authoritiesOf(e), cd: u.cd, deadline: u.deadline, received: t, slot,
      budget: new Budget(this.s.limits), fetched: new Map(), waiting: new Set(), lines: [], memo: new Map(),
    };
    this.slots[slot] = job;
    this.jobs.set(e.handle, job);
    this.heap.set(slot, u.deadline);
    this.run(job, t);
  }

  /** The authority records of `e`, with the proofs kept from the network answer when `e` comes from the cache. */
  private authoritiesOf(e: AnswerEvent): DnsRecord[] {
    const q = e.question;
    const key = `${q.name.toLowerCase()}/${q.type}/${q.class}`;
    const own = e.message.authorities.filter((r) => NSEC_TYPES.has(r.type));
    if (e.source === 'network' || e.source === 'coalesced') {
      if (own.length > 0 && this.s.keyCacheEntries > 0) {
        this.proofs.delete(key);
        this.proofs.set(key, own);
        if (this.proofs.size > this.s.keyCacheEntries) this.proofs.delete(this.proofs.keys().next().value as string);
      }
      return [...e.message.authorities];
    }
    return own.length > 0 ? [...e.message.authorities] : [...e.message.authorities, ...(this.proofs.get(key) ?? [])];
  }

  /** A chain fetch finished: hand its outcome to every job waiting for it, and run those with nothing left to wait for. */
  private fetched(f: Fetch, e: AnswerEvent | ValidatedError, t: number): void {
    this.internal.delete(f.handle);
    if (this.fetches.get(f.key) === f) this.fetches.delete(f.key);
    const result: Fetched = e.kind === 'answer'
      ? { ok: true, event: { ...e, message: { ...e.message, authorities: this.authoritiesOf(e) } } }
      : { ok: false, code: e.code, detail: e.error.message };
    for (const job of f.waiters) {
      job.waiting.delete(f.key);
      job.fetched.set(f.key, result);
      if (job.waiting.size === 0) this.run(job, t);
    }
  }

  /** Run the validator for `job`: finish it, or ask for what it lacks. */
  private run(job: Job, t: number): void {
    const needs: [string, Uint8Array[], 43 | 48][] = [];
    const before = job.budget.verifications;
    const env: Env = {
      ctx: { verifier: this.s.verifier, unixNow: this.s.unixTime(t), budget: job.budget }, t, anchors: this.s.anchors, cache: this.keys, sha1: this.s.sha1,
      response: (name, type) => {
        const key = `${nameOf(name)}/${type}`;
        const got = job.fetched.get(key);
        if (got === undefined) needs.push([key, [...name], type]);
        return got;
      },
      memo: job.memo,
      log: (line) => void job.lines.push(line),
    };
    const v = validateAnswer(env, job.event.question, job.event, job.authorities);
    this.validation.verifications += job.budget.verifications - before;
    if (v !== PENDING) return this.finish(job, v, t);
    for (const [key, name, type] of needs) {
      if (job.waiting.has(key)) continue;
      if (++job.budget.fetches > this.s.limits.maxFetches) {
        return this.finish(job, { status: 'bogus', code: 6, reason: `more than ${this.s.limits.maxFetches} DNSKEY/DS queries (option maxFetches)`, error: undefined, proof: [] }, t);
      }
      try {
        this.ask(job, key, name, type, t);
      } catch (err) {
        // The core refused the query (ELIMIT: maxInFlight reached); the chain cannot be fetched.
        return this.finish(job, { status: 'indeterminate', code: 22, reason: `cannot ask ${key}: ${(err as Error).message}`, error: 'ESERVFAIL', proof: [] }, t);
      }
    }
  }

  private ask(job: Job, key: string, name: Uint8Array[], type: 43 | 48, t: number): void {
    let f = this.fetches.get(key);
    if (f === undefined) {
      const handle = this.core.query(t, nameOf(name), type, { dnssecOk: true, checkingDisabled: true, search: false, timeout: Math.max(1, job.deadline - t) });
      f = { key, handle, waiters: new Set() };
      this.fetches.set(key, f);
      this.internal.set(handle, f);
      this.validation.fetches++;
    }
    f.waiters.add(job);
    job.waiting.add(key);
  }

  /** The final event of a validated job. */
  private finish(job: Job, v: Verdict, t: number): void {
    this.validation[v.status]++;
    if (/budget|option max/.test(v.reason) && v.status === 'bogus') this.validation.bounded++;
    const e = job.event;
    const ede: ExtendedError | undefined = v.code === undefined ? undefined : { code: v.code, text: v.reason };
    if (v.error !== undefined) {
      this.core.stats.failed++;
      return this.end(job, t, { ...errorEvent(e.handle, e.question, v.error as QueryErrorCode, `DNSSEC: ${v.reason}`, this.elapsed(job, t), e.sent), security: 'indeterminate', ...(ede && { extendedError: ede }) });
    }
    if (v.status === 'bogus' && !job.cd) {
      this.core.stats.failed++;
      this.core.stats.answered--;
      return this.end(job, t, { ...errorEvent(e.handle, e.question, 'EBOGUS', `DNSSEC bogus: ${v.reason}`, this.elapsed(job, t), e.sent), security: 'bogus', ...(ede && { extendedError: ede }) });
    }
    // RFC 4035 §5.3.3: a secure RRset lives no longer than its signatures allow (`ttl-cap.ts`).
    const records = v.status === 'secure' ? capTtls(e.records, this.s.unixTime(t)) : e.records;
    const answer: ValidatedAnswer = {
      ...e, records, elapsed: this.elapsed(job, t), security: v.status, extendedErrors: extendedErrors(e.message),
      ...(ede && { extendedError: ede }), ...(this.s.validationChain && { chain: v.proof }),
    };
    this.end(job, t, answer);
  }

  /** Remove `job` and emit its trace lines and final event. */
  private end(job: Job, t: number, final: ValidatedAnswer | ValidatedError): void {
    this.jobs.delete(job.handle);
    this.heap.delete(job.slot);
    this.free.push(job.slot);
    for (const key of job.waiting) this.leave(key, job, t);
    if (this.s.trace) {
      for (const line of job.lines) this.events.push({ kind: 'trace', at: t, what: 'dnssec', handle: job.handle, peer: undefined, id: undefined, size: undefined, detail: line });
    }
    this.events.push(final);
  }

  /** `job` no longer waits for `key`; a fetch nobody waits for is cancelled. */
  private leave(key: string, job: Job, t: number): void {
    const f = this.fetches.get(key) as Fetch;
    f.waiters.delete(job);
    if (f.waiters.size > 0) return;
    this.fetches.delete(key);
    this.core.cancel(t, f.handle);
  }
}
