/** selection.ts: plans of servers with demoted ones last, probes, rotate; failures in a row. */
import { describe, expect, it } from 'vitest';
import { isDemoted, noteAnswer, noteFailure, planOrder, type SelectionSettings } from '../../../src/core/selection.js';
import { makeServers, parseServer } from '../../../src/core/servers.js';

const policy = (o: Partial<SelectionSettings> = {}): SelectionSettings => ({ rotate: false, race: false, demoteAfter: 2, probeShare: 0, ...o });
const servers = () => makeServers(['192.0.2.1', '192.0.2.2', '192.0.2.3'], parseServer);
const noDraw = (): number => {
  throw new Error('no draw expected');
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
    expect(planOrder(list, p, 0, () => 40000, stats)).toEqual([1, 2, 0]);
    const draws = [100, 0];
    expect(planOrder(list, p, 0, () => draws.shift()!, stats)).toEqual([0, 1, 2]);
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
});
