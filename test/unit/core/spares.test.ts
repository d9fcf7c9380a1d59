/** spares.ts: finished queries and retired attempts, reusable only after the next reclaim (poll), and bounded. */
import { describe, expect, it } from 'vitest';
import type { Attempt, Query } from '../../../src/core/query.js';
import { Spares, SPARES_KEPT } from '../../../src/core/spares.js';

const query = (): Query => ({ current: undefined }) as unknown as Query;
const attempt = (q: Query): Attempt => ({ query: q, spare: false }) as unknown as Attempt;

describe('Spares', () => {
  it('hands nothing out before reclaim, then the released objects, last released first', () => {
    const s = new Spares();
    const q1 = query();
    const q2 = query();
    const a1 = attempt(q1);
    const a2 = attempt(q2);
    s.releaseQuery(q1);
    s.releaseQuery(q2);
    s.releaseAttempt(a1);
    s.releaseAttempt(a2);
    expect([s.query(), s.attempt()]).toEqual([undefined, undefined]);
    s.reclaim();
    expect(s.size).toEqual({ queries: 2, attempts: 2 });
    expect(s.query()).toBe(q2);
    expect(s.attempt()).toBe(a2);
    expect(s.query()).toBe(q1);
    expect(s.attempt()).toBe(a1);
    expect([s.query(), s.attempt()]).toEqual([undefined, undefined]);
  });

  it('takes an attempt once however often it is released, and marks it spare', () => {
    const s = new Spares();
    const a = attempt(query());
    s.releaseAttempt(a);
    s.releaseAttempt(a);
    expect(a.spare).toBe(true);
    s.reclaim();
    expect(s.size.attempts).toBe(1);
  });

  it('leaves to the garbage collector an attempt its query still names as current (its give-up timer reads it)', () => {
    const s = new Spares();
    const q = query();
    const a = attempt(q);
    q.current = a;
    s.releaseAttempt(a);
    s.reclaim();
    expect(s.attempt()).toBeUndefined();
  });

  it(`keeps at most ${SPARES_KEPT} of each`, () => {
    const s = new Spares();
    for (let i = 0; i < SPARES_KEPT + 5; i++) {
      const q = query();
      s.releaseQuery(q);
      s.releaseAttempt(attempt(q));
    }
    s.reclaim();
    s.reclaim();
    expect(s.size).toEqual({ queries: SPARES_KEPT, attempts: SPARES_KEPT });
  });
});
