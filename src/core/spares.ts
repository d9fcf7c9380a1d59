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
import type { Attempt, Query } from './query.js';

/** How many spare queries, and how many spare attempts, are kept at most. */
export const SPARES_KEPT = 1024;

/** Queries and attempts released by the machine, reusable after the next `reclaim`. */
export class Spares {
  private releasedQueries: Query[] = [];
  private releasedAttempts: Attempt[] = [];
  private readonly queries: Query[] = [];
  private readonly attempts: Attempt[] = [];

  /** `q` reached `done` in this call. */
  releaseQuery(q: Query): void {
    this.releasedQueries.push(q);
  }

  /** `a` left the index and its query's live list in this call; once only (`Attempt.spare`). */
  releaseAttempt(a: Attempt): void {
    if (a.spare) return;
    a.spare = true;
    this.releasedAttempts.push(a);
  }

  /** Output was drained: what was released before is no longer read, and may be reused. */
  reclaim(): void {
    if (this.releasedAttempts.length > 0) {
      for (const a of this.releasedAttempts) {
        if (this.attempts.length < SPARES_KEPT && a.query.current !== a) this.attempts.push(a);
      }
      this.releasedAttempts = [];
    }
    if (this.releasedQueries.length > 0) {
      for (const q of this.releasedQueries) if (this.queries.length < SPARES_KEPT) this.queries.push(q);
      this.releasedQueries = [];
    }
  }

  /** A spare query to overwrite, if one is kept. */
  query(): Query | undefined {
    return this.queries.pop();
  }

  /** A spare attempt to overwrite, if one is kept. */
  attempt(): Attempt | undefined {
    return this.attempts.pop();
  }

  /** Spare queries and attempts kept now. */
  get size(): { queries: number; attempts: number } {
    return { queries: this.queries.length, attempts: this.attempts.length };
  }
}
