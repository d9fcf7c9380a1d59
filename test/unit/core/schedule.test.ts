/** schedule.ts: windows (steady, backed off, a probe's, cut to fit), margins, budgets, the fit of a per-try timeout. */
import { describe, expect, it } from 'vitest';
import { answerMargin, baseWindow, checkFit, fitWindow, patience, planWindow, sendBudget, worthSending, type ScheduleSettings } from '../../../src/core/schedule.js';
import type { RttEstimate } from '../../../src/core/rto.js';
import type { SelectionSettings } from '../../../src/core/selection.js';
import { makeServers, parseServer } from '../../../src/core/servers.js';
import { isDnsError } from '../../../src/core/errors.js';

const S: ScheduleSettings = { timeout: 400, minTimeout: 100, maxTimeout: 4000, backoff: 2, attempts: undefined };
const P: SelectionSettings = { rotate: false, race: false, demoteAfter: 3, probeShare: 0 };
const est = (srtt: number | undefined, rttvar = 0, loss = 0.5): RttEstimate & { loss: number } => ({ srtt: srtt ?? NaN, rttvar, loss });
const servers = () => makeServers(['192.0.2.1', '192.0.2.2'], parseServer);

describe('window', () => {
  it('is the RTO of a healthy lossy server, whatever the round', () => {
    expect(baseWindow(S, est(40, 5), undefined, 0, undefined)).toBe(100);
    expect(baseWindow(S, est(undefined), est(150, 10), 0, undefined)).toBe(190);
    expect(baseWindow(S, est(undefined), undefined, 0, undefined)).toBe(400);
  });

  it('stretches to twice the RTO on a clean link, from RTT samples only, within maxTimeout', () => {
    expect([0, 0.05, 0.1, 0.2, 0.5].map(patience)).toEqual([2, 1.75, 1.5, 1, 1]);
    expect(baseWindow(S, est(40, 5, 0), undefined, 0, undefined)).toBe(200);
    expect(baseWindow(S, est(40, 5, 0.1), undefined, 0, undefined)).toBe(150);
    expect(baseWindow(S, est(undefined, 0, 0), undefined, 0, undefined)).toBe(400);
    expect(baseWindow({ ...S, minTimeout: 150, maxTimeout: 150 }, est(40, 5, 0), undefined, 0, undefined)).toBe(150);
  });

  it('backs a demoted server off by `backoff` per failure past its threshold, up to maxTimeout', () => {
    expect(baseWindow(S, est(40, 30), undefined, 1, undefined)).toBe(320);
    expect(baseWindow(S, est(40, 30), undefined, 2, undefined)).toBe(640);
    expect(baseWindow(S, est(40, 30), undefined, 10, undefined)).toBe(4000);
  });

  it('of a probe is the RTO of the healthy server asked next', () => {
    expect(baseWindow(S, est(900), undefined, 6, est(100, 10))).toBe(140);
  });

  it('is cut to an equal share of what is left when explicit tries must fit, and shares never shrink', () => {
    expect(fitWindow(100, 0, 2000, undefined)).toBe(100);
    expect(fitWindow(400, 0, 1950, 12)).toBe(150);
    expect(fitWindow(100, 0, 1950, 12)).toBe(100);
    const first = fitWindow(400, 0, 1000, 9);
    expect(fitWindow(400, first, 1000, 8)).toBeGreaterThanOrEqual(first);
  });

  it('of a send of the plan puts it together: steady, backed off with no healthy server left, a probe while one is', () => {
    const [a, b] = servers();
    Object.assign(b!, { srtt: 60, rttvar: 10, loss: 0.5 });
    const q = { order: undefined, failed: undefined, cursor: 1, deadline: 2000, planned: 1, budget: 20 };
    expect(planWindow(S, P, [a!, b!], q, b!, 0)).toBe(100);
    Object.assign(a!, { failures: 4 });
    // a is demoted (2 past its threshold of 3): a probe while b is healthy, backed off when b is demoted too.
    expect(planWindow(S, P, [a!, b!], q, a!, 0)).toBe(100);
    Object.assign(b!, { failures: 10 });
    expect(planWindow(S, P, [a!, b!], q, a!, 0)).toBe(400);
    expect(planWindow({ ...S, attempts: 5 }, P, [a!, b!], { ...q, budget: 10 }, a!, 1700)).toBe(300 / 10);
  });

  it('leaves SRTT + RTTVAR for an answer before the deadline, unless tries are explicit', () => {
    expect(answerMargin(S, est(40, 5), undefined)).toBe(45);
    expect(answerMargin(S, est(undefined), est(40, 5))).toBe(45);
    expect(answerMargin(S, est(undefined), undefined)).toBe(100);
    const [a] = servers();
    Object.assign(a!, { srtt: 40, rttvar: 5 });
    expect(worthSending(S, [a!], a!, 1955, 2000)).toBe(true);
    expect(worthSending(S, [a!], a!, 1956, 2000)).toBe(false);
    expect(worthSending({ ...S, attempts: 3 }, [a!], a!, 1999, 2000)).toBe(true);
  });
});

describe('budget', () => {
  it('is tries × servers steps with explicit tries (tries rounds with race), else what the deadline allows at minTimeout', () => {
    expect(sendBudget({ ...S, attempts: 13 }, 2, false, 2000)).toBe(26);
    expect(sendBudget({ ...S, attempts: 13 }, 2, true, 2000)).toBe(13);
    expect(sendBudget(S, 2, false, 2000)).toBe(20);
    expect(sendBudget(S, 2, true, 2000)).toBe(20);
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
