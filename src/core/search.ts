/**
 * The search list with `ndots` (resolv.conf(5), glibc's `res_nsearch`).
 *
 * Search, as glibc and musl do it: a name ending in a dot is absolute and
 * asked as is; a name with at least `ndots` dots is asked as is first, then
 * with each suffix; a name with fewer is asked with each suffix first, then
 * as is. An NXDOMAIN or a NODATA answer moves to the next candidate; any
 * other outcome (an answer with data, an error) ends the search. When the
 * search ends without data (every candidate NXDOMAIN or NODATA, or a later
 * candidate failed or ran out of time) after a NODATA, the final event is the
 * first NODATA answer (glibc's `got_nodata`); without one, it is the last
 * candidate's outcome. Cancelling is always `ECANCELLED`. The final event's
 * question names the candidate that answered.
 *
 * The search list is a policy (`policies.ts`): {@link SearchRun} runs the
 * candidates of each search under one handle; a core built without it
 * refuses a non-empty `search` option, and a bundle that never builds one
 * leaves this file out (all but {@link searchList}, the option's check).
 */
import { parseName } from './codec/index.js';
import { NOERROR, NXDOMAIN } from './codec/rcode.js';
import { DnsError } from './errors.js';
import type { AnswerEvent, ErrorEvent, QueryOptions, ResolverEvent, ResolverStats, Transmit } from './types.js';

/**
 * Names to ask, in order, for `name` (already in A-label form). Candidates
 * that would be too long on the wire are left out; `name` itself always stays.
 */
export function candidates(name: string, search: readonly string[], ndots: number): string[] {
  if (search.length === 0 || name.endsWith('.')) return [name];
  let dots = 0;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) === 0x2e && name.charCodeAt(i - 1) !== 0x5c) dots++;
  const searched: string[] = [];
  for (const d of search) {
    const full = `${name}.${d}`;
    try {
      parseName(full);
      searched.push(full);
    } catch {
      // Too long with this suffix: glibc skips it too.
    }
  }
  return dots >= ndots ? [name, ...searched] : [...searched, name];
}

/** Check and normalise the `search` option: names without a trailing dot. Throws `EBADOPTION` (or `EBADNAME` for a bad name). */
export function searchList(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 32) throw new DnsError('EBADOPTION', 'option search must be an array of at most 32 domain names');
  return value.map((d: unknown) => {
    if (typeof d !== 'string' || d === '' || d === '.') throw new DnsError('EBADOPTION', `option search: bad domain ${JSON.stringify(d)}`);
    return parseName(d).name;
  });
}

/** One search in flight: its handle, its candidates and what it has seen. */
export interface SearchJob {
  /** The handle the caller holds. */
  readonly outer: number;
  readonly names: readonly string[];
  readonly type: string | number;
  readonly options: { readonly class?: string | number; readonly checkingDisabled?: boolean; readonly dnssecOk?: boolean };
  readonly start: number;
  readonly deadline: number;
  /** Index of the candidate being asked. */
  at: number;
  /** Datagrams sent by candidates already finished. */
  sent: number;
  /** The first NODATA answer, kept for the end. */
  nodata: AnswerEvent | undefined;
  /** The handle of the candidate being asked. */
  inner: number;
}

/** True when a final event moves the search on: NXDOMAIN, or NOERROR without records of the asked type (NODATA). */
export function movesOn(e: AnswerEvent | ErrorEvent): e is AnswerEvent {
  if (e.kind !== 'answer') return false;
  const typeName = e.question.typeName;
  return e.message.rcode === NXDOMAIN || !e.records.some((r) => r.type === typeName);
}

/** The final event of a search from the event of its last candidate. */
export function finalOf(job: SearchJob, e: AnswerEvent | ErrorEvent, t: number): AnswerEvent | ErrorEvent {
  const nodata = job.nodata !== undefined && (e.kind === 'error' ? e.code !== 'ECANCELLED' : movesOn(e));
  const last = nodata ? (job.nodata as AnswerEvent) : e;
  return { ...last, handle: job.outer, elapsed: t - job.start, sent: job.sent + e.sent };
}

/** What a search needs of the resolver it runs in. */
export interface SearchHost {
  /** Start the query for one name, as `query` does after preparing it; throws the same errors. */
  ask(t: number, name: string, type: string | number, options: QueryOptions): number;
  /** A handle for the search itself (never in flight). */
  issue(): number;
  /** The overall timeout in ms of a query with these options. */
  timeout(options: QueryOptions): number;
  readonly stats: ResolverStats;
  /** Note (with option `trace`) that a search moves on from `from`, which had no data (`nodata`) or NXDOMAIN, to `to`. */
  traceSearch(at: number, handle: number, nodata: boolean, from: string, to: string): void;
  /** The output queue, whose events and transmits of candidates the search rewrites. */
  readonly out: { readonly events: ResolverEvent[]; readonly transmits: Transmit[] };
}

/** The searches of one resolver in flight (see the top of this file). */
export class SearchRun {
  /** Search-list queries in flight, by the handle of the candidate being asked and by their own. */
  private readonly jobs = new Map<number, SearchJob>();

  constructor(
    private readonly host: SearchHost,
    private readonly list: readonly string[],
    private readonly ndots: number,
  ) {}

  /** Start `name` (A-label form) with the search list; a name with one candidate is a plain query. */
  query(t: number, name: string, type: string | number, options: QueryOptions): number {
    const names = candidates(name, this.list, this.ndots);
    if (names.length === 1) return this.host.ask(t, name, type, options);
    const inner = this.host.ask(t, names[0] as string, type, options);
    const outer = this.host.issue();
    const deadline = t + this.host.timeout(options);
    const job: SearchJob = { outer, names, type, options, start: t, deadline, at: 0, sent: 0, nodata: undefined, inner };
    this.jobs.set(inner, job).set(outer, job);
    this.settle(t);
    return outer;
  }

  /** The handle of the query in flight for `handle`: the candidate being asked for a search, else itself. */
  innerOf(handle: number): number {
    const job = this.jobs.get(handle);
    return job !== undefined && job.outer === handle ? job.inner : handle;
  }

  /**
   * Move searches on, at the end of every input: a final event of a
   * candidate either starts the next candidate (NXDOMAIN or NODATA, deadline
   * not reached) or becomes the final event of the search under the caller's
   * handle. Transmits and traces of candidates carry the caller's handle too.
   * Costs nothing while no search is in flight.
   */
  settle(t: number): void {
    if (this.jobs.size === 0) return;
    const events = this.host.out.events;
    let kept = 0;
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as ResolverEvent;
      const job = e.handle === undefined ? undefined : this.jobs.get(e.handle);
      if (job === undefined || job.outer === e.handle) events[kept++] = e;
      else if (e.kind === 'trace') events[kept++] = { ...e, handle: job.outer };
      else if (!this.nextCandidate(job, e, t)) {
        this.jobs.delete(job.inner);
        this.jobs.delete(job.outer);
        events[kept++] = finalOf(job, e, t);
      }
    }
    events.length = kept;
    const transmits = this.host.out.transmits;
    for (let i = 0; i < transmits.length; i++) {
      const tr = transmits[i] as Transmit;
      const job = this.jobs.get(tr.handle);
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
    this.host.stats.searched++;
    const name = job.names[job.at] as string;
    this.host.traceSearch(t, job.outer, e.message.rcode === NOERROR, e.question.name, name);
    this.jobs.delete(job.inner);
    job.inner = this.host.ask(t, name, job.type, { ...job.options, timeout: left });
    this.jobs.set(job.inner, job);
    return true;
  }
}
