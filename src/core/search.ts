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
 */
import { parseName } from './codec/index.js';
import { NXDOMAIN } from './codec/rcode.js';
import { DnsError } from './errors.js';
import type { AnswerEvent, ErrorEvent } from './types.js';

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
