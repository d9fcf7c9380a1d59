/** The bridge's body deadline: expiry between 1× and 1.25× the timeout, in order; unwatched bodies never expire. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BodyClock } from '../../../../src/drivers/node/body-clock.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('BodyClock', () => {
  it('expires the bodies still watched after the timeout, oldest first, and none that were unwatched', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const clock = new BodyClock(1000);
    const expired: string[] = [];
    const watches = ['a', 'b', 'c', 'd'].map((n) => clock.watch(() => expired.push(n)));
    clock.unwatch(watches[1]!); // from the middle
    clock.unwatch(watches[3]!); // the newest
    clock.unwatch(watches[3]!); // twice: nothing
    vi.advanceTimersByTime(999);
    expect(expired).toEqual([]);
    const late = clock.watch(() => expired.push('late'));
    vi.advanceTimersByTime(251); // 1250 ms: the sweep after the timeout
    expect(expired).toEqual(['a', 'c']);
    clock.unwatch(late);
    vi.advanceTimersByTime(5000);
    expect(expired).toEqual(['a', 'c']);
    expect(vi.getTimerCount()).toBe(0); // the sweep stops once nothing is watched
  });

  it('clear() forgets every body and stops the sweep', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const clock = new BodyClock(100);
    const expired: number[] = [];
    for (let i = 0; i < 3; i++) clock.watch(() => expired.push(i));
    clock.clear();
    vi.advanceTimersByTime(1000);
    expect(expired).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    clock.watch(() => expired.push(9));
    vi.advanceTimersByTime(125);
    expect(expired).toEqual([9]);
  });
});
