/**
 * The counts of a bulk run by outcome (`NOERROR`, `NODATA`, `NXDOMAIN`,
 * `SERVFAIL`, `REFUSED`, `TIMEOUT`, the core's codes, `EUSAGE` for a line
 * that could not be read), and the summary printed at the end: a `;;` line,
 * or a JSON object with `"summary": true`.
 */
import { round } from './format-trace.js';
import { outcomeStatus, responded, type Outcome } from './outcome.js';

/** The order outcomes are listed in; others follow by count. */
const FIRST = ['NOERROR', 'NODATA', 'NXDOMAIN', 'SERVFAIL', 'REFUSED', 'TIMEOUT'];

/** Counters of a bulk run. */
export class BulkSummary {
  questions = 0;
  /** Questions that got no response at all (dig's exit status 9). */
  unanswered = 0;
  /** Lines that could not be read as questions (exit status 1). */
  badLines = 0;
  readonly outcomes = new Map<string, number>();

  /** Count one outcome. */
  add(o: Outcome): void {
    this.questions++;
    const status = outcomeStatus(o);
    this.outcomes.set(status, (this.outcomes.get(status) ?? 0) + 1);
    if (o.kind === 'error' && (o.code === 'EUSAGE' || o.code === 'EBADNAME') && o.sent === 0) this.badLines++;
    else if (!responded(o)) this.unanswered++;
  }

  /** Outcomes with their counts, the usual ones first, then by count. */
  sorted(): [string, number][] {
    const rank = (k: string): number => (FIRST.includes(k) ? FIRST.indexOf(k) : FIRST.length);
    return [...this.outcomes].sort((a, b) => rank(a[0]) - rank(b[0]) || b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  }

  /** dig's exit status for the run: 9 when a question got no response, else 1 for an unreadable line, else 0. */
  status(): number {
    return this.unanswered > 0 ? 9 : this.badLines > 0 ? 1 : 0;
  }
}

function qps(questions: number, elapsedMs: number): number {
  return elapsedMs > 0 ? Math.round((questions / elapsedMs) * 1000 * 10) / 10 : 0;
}

/** `;; 1000 questions in 1.23 s (813 q/s): NOERROR 700, NXDOMAIN 300; 1012 datagrams sent`. */
export function summaryText(s: BulkSummary, elapsedMs: number, sent: number): string {
  const counts = s.sorted().map(([k, n]) => `${k} ${n}`).join(', ');
  return `;; ${s.questions} questions in ${(elapsedMs / 1000).toFixed(2)} s (${qps(s.questions, elapsedMs)} q/s)`
    + `${counts === '' ? '' : `: ${counts}`}; ${sent} datagrams sent\n`;
}

/** The summary as one JSON object (`"summary": true`). */
export function summaryJson(s: BulkSummary, elapsedMs: number, sent: number): object {
  const n = (k: string): number => s.outcomes.get(k) ?? 0;
  return {
    summary: true,
    queries: s.questions,
    outcomes: Object.fromEntries(s.sorted()),
    answered: n('NOERROR'),
    nodata: n('NODATA'),
    nxdomain: n('NXDOMAIN'),
    failed: s.questions - n('NOERROR') - n('NODATA') - n('NXDOMAIN'),
    unanswered: s.unanswered,
    datagramsSent: sent,
    elapsedMs: round(elapsedMs),
    qps: qps(s.questions, elapsedMs),
  };
}
