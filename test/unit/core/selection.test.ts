/** selection.ts: plans of servers with demoted ones last, probes, rotate; the walk; failures in a row, misses and loss. */
import { describe, expect, it } from 'vitest';
import {
  demoteThreshold, failuresPast, isDemoted, lossAfterResponse, nextHealthy, nextPosition, noteAnswer, noteFailure, noteMiss, noteResponse, planOrder,
  serverAt, type SelectionSettings,
} from '../../../src/core/selection.js';
import { makeServers, parseServer } from '../../../src/core/servers.js';

const policy = (o: Partial<SelectionSettings> = {}): SelectionSettings => ({ rotate: false, race: false, demoteAfter: 2, probeShare: 0, ...o });
const servers = () => makeServers(['192.0.2.1', '192.0.2.2', '192.0.2.3'], parseServer);
const noDraw = {
  u16: (): number => {
    throw new Error('no draw expected');
  },
};

describe('selection', () => {
  it('keeps the configured order (undefined, no draw) while every server is healthy', () => {
    expect(planOrder(servers(), policy(), 5, noDraw, { probes: 0 })).toBeUndefined();
  });

  it('demotes a server after demoteAfter failures in a row; an answer makes it healthy', () => {
    const p = policy();
    const [a] = servers();
    expect(noteFailure(p, a!)).toBe(false);
    expect(noteFailure(p, a!)).toBe(true);
    expect(isDemoted(p, a!)).toBe(true);
    expect(noteFailure(p, a!)).toBe(false);
    noteAnswer(a!);
    expect(isDemoted(p, a!)).toBe(false);
  });

  it('asks demoted servers after the healthy ones, and probes one first for a share of queries', () => {
    const list = servers();
    const p = policy({ probeShare: 32768 });
    list[0]!.failures = 2;
    const stats = { probes: 0 };
    expect(planOrder(list, p, 0, { u16: () => 40000 }, stats)).toEqual([1, 2, 0]);
    const draws = [100, 0];
    expect(planOrder(list, p, 0, { u16: () => draws.shift()! }, stats)).toEqual([0, 1, 2]);
    expect(stats.probes).toBe(1);
    list[1]!.failures = 2;
    list[2]!.failures = 2;
    expect(planOrder(list, p, 0, noDraw, stats)).toEqual([0, 1, 2]);
  });

  it('rotates the start with rotate, one server per query', () => {
    const p = policy({ rotate: true });
    expect(planOrder(servers(), p, 0, noDraw, { probes: 0 })).toEqual([0, 1, 2]);
    expect(planOrder(servers(), p, 1, noDraw, { probes: 0 })).toEqual([1, 2, 0]);
    expect(planOrder(servers(), p, 5, noDraw, { probes: 0 })).toEqual([2, 0, 1]);
  });

  it('demotes later on a lossy link: no more than 1 in 1000 live servers demoted by a run of misses, up to 16', () => {
    const p = policy({ demoteAfter: 3 });
    const [a] = servers();
    const at = (loss: number): number => demoteThreshold(p, { ...a!, loss });
    expect([at(0), at(0.1), at(0.3), at(0.51), at(0.99), at(1)]).toEqual([3, 3, 6, 11, 16, 16]);
    expect(demoteThreshold(policy({ demoteAfter: 20 }), { ...a!, loss: 0.51 })).toBe(20);
    a!.loss = 0.51;
    for (let i = 0; i < 10; i++) noteFailure(p, a!);
    expect([isDemoted(p, a!), failuresPast(p, a!)]).toEqual([false, 0]);
    expect(noteFailure(p, a!)).toBe(true);
    expect(failuresPast(p, a!)).toBe(1);
    noteFailure(p, a!);
    expect(failuresPast(p, a!)).toBe(2);
  });

  it('counts a miss against a server only when its attempt was sent after the server last responded; before, it is loss', () => {
    const p = policy();
    const [a] = servers();
    expect(noteMiss(a!, 0)).toBe(true);
    noteResponse(p, a!, 40);
    expect([a!.misses, a!.lastResponse]).toEqual([0, 40]);
    const loss = a!.loss;
    expect(noteMiss(a!, 0)).toBe(false);
    expect(a!.misses).toBe(0);
    expect(a!.loss).toBeCloseTo(loss + (1 - loss) / 16, 12);
    expect(noteMiss(a!, 40)).toBe(true);
    expect(a!.misses).toBe(1);
  });

  it('folds a run of misses and the response that ended it into loss, the run counted up to the threshold', () => {
    expect(lossAfterResponse(0, 0, 3)).toBe(0);
    expect(lossAfterResponse(0, 1, 3)).toBeCloseTo((1 / 16) * (15 / 16), 12);
    expect(lossAfterResponse(0, 100, 3)).toBe(lossAfterResponse(0, 3, 3));
    let loss = 0;
    for (let i = 0; i < 400; i++) loss = lossAfterResponse(loss, 1, 11);
    expect(loss).toBeGreaterThan(0.45);
    expect(loss).toBeLessThan(0.55);
    for (let i = 0; i < 400; i++) loss = lossAfterResponse(loss, 2, 11);
    expect(loss).toBeGreaterThan(0.6);
    expect(loss).toBeLessThan(0.7);
  });

  it('walks the order round after round, past servers that failed and demoted ones while one is healthy, but asks a probe first', () => {
    const p = policy();
    const list = servers();
    const walk = { order: [2, 0, 1], failed: [false, true, false] };
    expect([0, 1, 2, 3, 4].map((pos) => serverAt(list, walk, pos).index)).toEqual([2, 0, 1, 2, 0]);
    expect(nextPosition(list, p, walk, 1, 4)).toBe(1);
    list[0]!.failures = 2;
    // 0 demoted, 1 failed: 2 is the only one left, round after round.
    expect(nextPosition(list, p, walk, 1, 4)).toBe(3);
    expect(nextHealthy(list, p, walk, 1)?.index).toBe(2);
    // Position 0 is the query's first send: its probe, demoted or not.
    expect(nextPosition(list, p, { order: [0, 2, 1], failed: undefined }, 0, 3)).toBe(0);
    list[2]!.failures = 2;
    expect(nextHealthy(list, p, walk, 1)).toBeUndefined();
    expect(nextPosition(list, p, walk, 1, 4)).toBe(1);
    expect(nextPosition(list, p, { order: undefined, failed: [true, true, true] }, 0, 3)).toBeUndefined();
  });
});
