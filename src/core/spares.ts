/**
 * Finished queries and retired attempts kept for reuse (issue 13: 100,000 in
 * flight cost at most 1.3× per query what 100 do). A query or attempt lives
 * as long as its answer takes, so with many in flight V8 allocates them in the
 * old generation, where each one is later garbage for a full collection that
 * also marks everything still in flight. Reusing the objects of finished
 * queries keeps the old generation from growing at all in a steady state, and
 * the object a new query gets is one that was touched a moment ago.
 *
 * Reuse waits for `poll()` (`reclaim`): the call that finishes a query or
 * retires an attempt still reads it after the fact (the response table's
 * actions, the final events), and nothing of the core holds one after the
 * call returns, except an attempt its query still names as `current` (the
 * give-up timer reads it), which is left to the garbage collector. At most
 * {@link SPARES_KEPT} of each are kept, so the memory held is bounded
 * whatever the number once in flight.
 */
import type { Attempt, Query, QueryPhase } from './query.js';
import type { ServerState } from './servers.js';
import type { Protocol, QueryQuestion } from './types.js';
import { WireSlab } from './wire-slab.js';

/** How many spare queries, and how many spare attempts, are kept at most. */
export const SPARES_KEPT = 1024;

/**
 * Queries and attempts released by the machine, reusable after the next
 * `reclaim`. Given by the `udp` policy (`policies.ts`): a DoH core makes new
 * ones, and its bundle leaves this file out.
 */
export class Spares {
  /** Released since the last `reclaim`: the first `releasedQueryCount` (and `releasedAttemptCount`) entries. */
  private releasedQueries: (Query | undefined)[] = [];
  private releasedAttempts: (Attempt | undefined)[] = [];
  private releasedQueryCount = 0;
  private releasedAttemptCount = 0;
  private readonly queries: Query[] = [];
  private readonly attempts: Attempt[] = [];
  /** Room for the attempts' datagrams, never reused (`wire-slab.ts`). */
  readonly wires = new WireSlab();

  /** `q` reached `done` in this call from phase `was` (once only: from `done`, nothing happens). */
  releaseQuery(q: Query, was: QueryPhase): void {
    if (was !== 'done') this.releasedQueries[this.releasedQueryCount++] = q;
  }

  /** `a` left the index and its query's live list in this call; once only (`Attempt.spare`). */
  releaseAttempt(a: Attempt): void {
    if (a.spare) return;
    a.spare = true;
    this.releasedAttempts[this.releasedAttemptCount++] = a;
  }

  /**
   * Output was drained: what was released before is no longer read, and may
   * be reused. The release lists keep their room for the next `poll()` (no
   * new list per `poll()`, issue 13), unless a burst made them longer than
   * {@link SPARES_KEPT}.
   */
  reclaim(): void {
    const attempts = this.releasedAttempts;
    for (let i = 0; i < this.releasedAttemptCount; i++) {
      const a = attempts[i] as Attempt;
      attempts[i] = undefined;
      if (this.attempts.length < SPARES_KEPT && a.query.current !== a) this.attempts.push(a);
    }
    if (this.releasedAttemptCount > SPARES_KEPT) this.releasedAttempts = [];
    this.releasedAttemptCount = 0;
    const queries = this.releasedQueries;
    for (let i = 0; i < this.releasedQueryCount; i++) {
      if (this.queries.length < SPARES_KEPT) this.queries.push(queries[i] as Query);
      queries[i] = undefined;
    }
    if (this.releasedQueryCount > SPARES_KEPT) this.releasedQueries = [];
    this.releasedQueryCount = 0;
  }

  /**
   * A spare query set up as a new one (`sending`, nothing sent yet: the
   * fields `Machine.start` gives a new query), or undefined when none is kept.
   */
  query(
    handle: number, slot: number, wire: Uint8Array, questionEnd: number, question: QueryQuestion,
    start: number, deadline: number, budget: number, key: string, bits: number, order: readonly number[] | undefined,
  ): Query | undefined {
    const q = this.queries.pop();
    if (q === undefined) return undefined;
    q.handle = handle; q.slot = slot; q.wire = wire; q.questionEnd = questionEnd;
    q.name = question.name; q.type = question.type; q.class = question.class; q.question = question;
    q.start = start; q.deadline = deadline; q.phase = 'sending';
    q.cursor = 0; q.failed = undefined; q.failedCount = 0; q.live = undefined; q.current = undefined; q.giveUpAt = undefined;
    q.sent = 0; q.planned = 0; q.budget = budget; q.lastError = undefined; q.key = key; q.bits = bits;
    q.followers = undefined; q.order = order; q.badCookies = 0;
    return q;
  }

  /** A spare attempt set up as a new one of `q` (`newAttempt`), or undefined when none is kept. */
  attempt(
    q: Query, server: ServerState, transport: Protocol, id: number, key: number, token: number,
    sentAt: number, edns: boolean, caseName: string | undefined, cookie: Uint8Array | undefined,
  ): Attempt | undefined {
    const a = this.attempts.pop();
    if (a === undefined) return undefined;
    a.query = q; a.server = server; a.transport = transport; a.id = id; a.key = key; a.token = token;
    a.sentAt = sentAt; a.edns = edns; a.caseName = caseName; a.cookie = cookie;
    a.next = undefined; a.prev = undefined; a.nextLive = q.live; a.spare = false;
    return a;
  }

  /** Spare queries and attempts kept now. */
  get size(): { queries: number; attempts: number } {
    return { queries: this.queries.length, attempts: this.attempts.length };
  }
}
