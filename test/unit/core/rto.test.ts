/** rto.ts: per-server retransmission timeouts (RFC 6298 §2), clamped. */
import { describe, expect, it } from 'vitest';
import { bestSampled, rto, sampleRtt, tcpTimeout } from '../../../src/core/rto.js';
import { makeServers, parseServer } from '../../../src/core/servers.js';
import { settingsFrom } from '../../../src/core/settings.js';
import { testRandom } from '../../helpers/core-harness.js';

const settings = (o: object = {}) => settingsFrom({ servers: ['192.0.2.1'], random: testRandom(), ...o }, {}).schedule;
const servers = () => makeServers(['192.0.2.1', '192.0.2.2', '192.0.2.3'], parseServer);

describe('rto', () => {
  it('folds samples as RFC 6298 §2.2–2.3: first R, R/2; then alpha 1/8, beta 1/4', () => {
    const [s] = servers();
    sampleRtt(s!, 100);
    expect([s!.srtt, s!.rttvar]).toEqual([100, 50]);
    sampleRtt(s!, 200);
    expect(s!.rttvar).toBe(0.75 * 50 + 0.25 * 100);
    expect(s!.srtt).toBe(0.875 * 100 + 0.125 * 200);
  });

  it('uses SRTT + 4 RTTVAR, clamped to [minTimeout, maxTimeout]', () => {
    const s = settings({ minTimeout: 50, maxTimeout: 1000 });
    const [x] = servers();
    sampleRtt(x!, 40);
    expect(rto(s, x!)).toBe(40 + 4 * 20);
    const [fast] = servers();
    sampleRtt(fast!, 2);
    expect(rto(s, fast!)).toBe(50);
    const [slow] = servers();
    sampleRtt(slow!, 900);
    expect(rto(s, slow!)).toBe(1000);
  });

  it('starts at timeout without a sample, or borrows the best sampled server', () => {
    const s = settings({ timeout: 400 });
    const [a, b, c] = servers();
    expect(bestSampled([a!, b!, c!])).toBeUndefined();
    expect(rto(s, a!)).toBe(400);
    sampleRtt(b!, 300);
    sampleRtt(c!, 20);
    expect(bestSampled([a!, b!, c!])).toBe(c);
    expect(rto(s, a!, c)).toBe(100);
    expect(rto(s, a!, undefined)).toBe(400);
    expect(tcpTimeout(s, c!)).toBe(2 * rto(s, c!));
  });
});
