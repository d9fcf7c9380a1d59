/** spares.ts: finished queries and retired attempts, reusable only after the next reclaim (poll), set up anew, and bounded. */
import { describe, expect, it } from 'vitest';
import type { Attempt, Query } from '../../../src/core/query.js';
import type { ServerState } from '../../../src/core/servers.js';
import { Spares, SPARES_KEPT } from '../../../src/core/spares.js';
import type { QueryQuestion } from '../../../src/core/types.js';

const query = (): Query => ({ current: undefined, live: undefined }) as unknown as Query;
const attempt = (q: Query): Attempt => ({ query: q, spare: false }) as unknown as Attempt;
const question: QueryQuestion = { name: 'a.example', type: 1, class: 1 } as QueryQuestion;
const wire = new Uint8Array(12);
const takeQuery = (s: Spares) => s.query(9, 3, wire, 40, question, 5, 105, 4, 'k', 1, undefined);
const takeAttempt = (s: Spares, q: Query) => s.attempt(q, {} as ServerState, 'udp', 7, 7, 2, 5, true, undefined, undefined);

describe('Spares', () => {
  it('hands nothing out before reclaim, then the released objects, last released first', () => {
    const s = new Spares();
    const q1 = query();
    const q2 = query();
    const a1 = attempt(q1);
    const a2 = attempt(q2);
    s.releaseQuery(q1, 'sending');
    s.releaseQuery(q2, 'exhausted');
    s.releaseAttempt(a1);
    s.releaseAttempt(a2);
    expect([takeQuery(s), takeAttempt(s, q1)]).toEqual([undefined, undefined]);
    s.reclaim();
    expect(s.size).toEqual({ queries: 2, attempts: 2 });
    expect(takeQuery(s)).toBe(q2);
    expect(takeAttempt(s, q1)).toBe(a2);
    expect(takeQuery(s)).toBe(q1);
    expect(takeAttempt(s, q1)).toBe(a1);
    expect([takeQuery(s), takeAttempt(s, q1)]).toEqual([undefined, undefined]);
  });

  it('sets up a spare query and attempt as new ones', () => {
    const s = new Spares();
    const old = Object.assign(query(), { phase: 'done', sent: 3, failed: [true], lastError: 'ETIMEOUT', badCookies: 1 });
    const live = attempt(old);
    const a = Object.assign(attempt(old), { next: live, prev: live, caseName: 'A.example' });
    s.releaseQuery(old, 'following');
    s.releaseQuery(old, 'done');
    s.releaseAttempt(a);
    s.reclaim();
    expect(s.size).toEqual({ queries: 1, attempts: 1 });
    const q = takeQuery(s)!;
    expect(q).toMatchObject({
      handle: 9, slot: 3, wire, questionEnd: 40, name: 'a.example', type: 1, class: 1, question, start: 5, deadline: 105,
      phase: 'sending', cursor: 0, failed: undefined, failedCount: 0, live: undefined, current: undefined, giveUpAt: NaN,
      sent: 0, planned: 0, budget: 4, lastError: undefined, key: 'k', bits: 1, followers: undefined, order: undefined, badCookies: 0,
    });
    q.live = live;
    expect(takeAttempt(s, q)).toMatchObject({
      query: q, transport: 'udp', id: 7, key: 7, token: 2, sentAt: 5, edns: true, caseName: undefined, cookie: undefined,
      next: undefined, prev: undefined, nextLive: live, spare: false,
    });
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
    expect(takeAttempt(s, q)).toBeUndefined();
  });

  it(`keeps at most ${SPARES_KEPT} of each`, () => {
    const s = new Spares();
    for (let i = 0; i < SPARES_KEPT + 5; i++) {
      const q = query();
      s.releaseQuery(q, 'sending');
      s.releaseAttempt(attempt(q));
    }
    s.reclaim();
    s.reclaim();
    expect(s.size).toEqual({ queries: SPARES_KEPT, attempts: SPARES_KEPT });
  });
});
