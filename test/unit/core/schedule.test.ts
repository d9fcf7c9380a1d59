import { describe, expect, it } from 'vitest';
import {
  answerMargin, baseWindow, checkFit, demoteThreshold, fitWindow, isDemoted, lossAfterResponse, rto, sendBudget,
  type LinkState, type ScheduleSettings,
} from '../../../src/core/schedule.js';
import { isDnsError } from '../../../src/core/errors.js';

const S: ScheduleSettings = { timeout: 400, minTimeout: 100, maxTimeout: 4000, backoff: 2, demoteAfter: 3, attempts: undefined };
const link = (o: Partial<LinkState> = {}): LinkState => ({ srtt: undefined, rttvar: 0, failures: 0, misses: 0, loss: 0, ...o });

describe('rto', () => {
  it('is timeout before any sample, the best sampled server when it has none, SRTT + 4·RTTVAR clamped after', () => {
    expect(rto(S, link())).toBe(400);
    expect(rto(S, link(), link({ srtt: 150, rttvar: 10 }))).toBe(190);
    expect(rto(S, link({ srtt: 40, rttvar: 2 }))).toBe(100);
    expect(rto(S, link({ srtt: 3000, rttvar: 1000 }))).toBe(4000);
  });
});

describe('demotion threshold', () => {
  it('is demoteAfter on a clean link and grows with the observed loss, to 16 at most', () => {
    expect(demoteThreshold(S, link())).toBe(3);
    expect(demoteThreshold(S, link({ loss: 0.1 }))).toBe(3);
    expect(demoteThreshold(S, link({ loss: 0.3 }))).toBe(6);
    // 30% each way: a try goes unanswered with 0.51; 0.51^11 < 1/1000 <= 0.51^10.
    expect(demoteThreshold(S, link({ loss: 0.51 }))).toBe(11);
    expect(demoteThreshold(S, link({ loss: 0.99 }))).toBe(16);
    expect(demoteThreshold(S, link({ loss: 1 }))).toBe(16);
    expect(demoteThreshold({ ...S, demoteAfter: 20 }, link({ loss: 0.51 }))).toBe(20);
  });

  it('demotes after that many failures in a row', () => {
    expect(isDemoted(S, link({ failures: 2 }))).toBe(false);
    expect(isDemoted(S, link({ failures: 3 }))).toBe(true);
    expect(isDemoted(S, link({ failures: 10, loss: 0.51 }))).toBe(false);
    expect(isDemoted(S, link({ failures: 11, loss: 0.51 }))).toBe(true);
  });
});

describe('window', () => {
  const live = link({ srtt: 40, rttvar: 5 });
  it('is the RTO of a healthy server, whatever the round', () => {
    expect(baseWindow(S, live, undefined, undefined)).toBe(100);
  });

  it('backs a demoted server off by `backoff` per failure past the threshold, up to maxTimeout', () => {
    expect(baseWindow(S, link({ srtt: 40, rttvar: 30, failures: 3 }), undefined, undefined)).toBe(320);
    expect(baseWindow(S, link({ srtt: 40, rttvar: 30, failures: 4 }), undefined, undefined)).toBe(640);
    expect(baseWindow(S, link({ srtt: 40, rttvar: 30, failures: 12 }), undefined, undefined)).toBe(4000);
  });

  it('of a probe is the RTO of the healthy server asked next', () => {
    expect(baseWindow(S, link({ srtt: 900, failures: 9 }), undefined, link({ srtt: 100, rttvar: 10 }))).toBe(140);
  });

  it('is cut to an equal share of what is left when explicit tries must fit', () => {
    expect(fitWindow(100, 0, 2000, undefined)).toBe(100);
    expect(fitWindow(400, 0, 1950, 12)).toBe(150);
    expect(fitWindow(100, 0, 1950, 12)).toBe(100);
    // Shares never shrink: after a cut send at 0, the next share is at least as long.
    const first = fitWindow(400, 0, 1000, 9);
    expect(fitWindow(400, first, 1000, 8)).toBeGreaterThanOrEqual(first);
  });

  it('leaves SRTT + RTTVAR for an answer before the deadline', () => {
    expect(answerMargin(S, live, undefined)).toBe(45);
    expect(answerMargin(S, link(), live)).toBe(45);
    expect(answerMargin(S, link(), undefined)).toBe(100);
  });
});

describe('budget', () => {
  it('is tries × servers with explicit tries, else what the deadline allows at minTimeout', () => {
    expect(sendBudget({ ...S, attempts: 13 }, 2, false, 2000)).toBe(26);
    expect(sendBudget(S, 2, false, 2000)).toBe(20);
    expect(sendBudget(S, 2, true, 2000)).toBe(40);
    expect(sendBudget(S, 1, false, 30)).toBe(1);
  });

  it('refuses explicit tries with a fixed window (a per-try timeout) that cannot all wait it before the deadline', () => {
    const fixed: ScheduleSettings = { ...S, attempts: 13, minTimeout: 150, maxTimeout: 150 };
    expect(() => checkFit(S, 2, 10, 'deadline')).not.toThrow();
    expect(() => checkFit({ ...S, attempts: 13 }, 2, 100, 'deadline')).not.toThrow();
    expect(() => checkFit(fixed, 1, 1950, 'deadline')).not.toThrow();
    let thrown: unknown;
    try {
      checkFit(fixed, 2, 2000, 'deadline');
    } catch (e) {
      thrown = e;
    }
    expect(isDnsError(thrown) && thrown.code).toBe('EBADOPTION');
    expect((thrown as Error).message).toBe('13 tries × 2 servers × 150 ms per try = 3900 ms do not fit in the deadline of 2000 ms: '
      + 'lower tries or the per-try timeout, or raise the deadline');
    expect(() => checkFit({ ...fixed, attempts: 2 }, 1, 100, 'call timeout')).toThrow(/1 server × 150 ms .* call timeout of 100 ms/);
  });
});

describe('loss', () => {
  it('folds a run of misses and the response that ended it, the run counted up to the threshold', () => {
    expect(lossAfterResponse(0, 0, 3)).toBe(0);
    expect(lossAfterResponse(0, 1, 3)).toBeCloseTo((1 / 16) * (15 / 16), 12);
    expect(lossAfterResponse(0, 100, 3)).toBe(lossAfterResponse(0, 3, 3));
  });

  it('settles near the share of unanswered tries', () => {
    let loss = 0;
    // One miss per hit, then two per hit: the estimate follows.
    for (let i = 0; i < 400; i++) loss = lossAfterResponse(loss, 1, 11);
    expect(loss).toBeGreaterThan(0.45);
    expect(loss).toBeLessThan(0.55);
    for (let i = 0; i < 400; i++) loss = lossAfterResponse(loss, 2, 11);
    expect(loss).toBeGreaterThan(0.6);
    expect(loss).toBeLessThan(0.7);
  });
});
