/** settings.ts: defaults, bounds of every option, the order of checks, and the checks of later input. */
import { describe, expect, it } from 'vitest';
import { checkQuery, queryTimeout, settingsFrom, validateReceived } from '../../../src/core/settings.js';
import { STANDARD_POLICIES } from '../../../src/core/policies.js';
import type { Received, ResolverOptions } from '../../../src/index.js';
import { testRandom } from '../../helpers/core-harness.js';

const base: ResolverOptions = { servers: ['192.0.2.1'], random: testRandom() };
const bad = (o: object, message: string) =>
  expect(() => settingsFrom({ ...base, ...o }, STANDARD_POLICIES)).toThrow(expect.objectContaining({ code: 'EBADOPTION', message }) as Error);

describe('settingsFrom', () => {
  it('fills in the documented defaults', () => {
    const s = settingsFrom(base, STANDARD_POLICIES);
    expect(s).toMatchObject({
      deadline: 5000, edns: true, ednsPayload: 1232,
      recursionDesired: true, maxInFlight: 100_000, recentLimit: 4096, trace: false, cache: true, coalesce: true, maxCnameChain: 8,
    });
    // No tries by default: as many as the deadline allows (schedule.ts); backoff only for a demoted server.
    expect(s.schedule).toEqual({ timeout: 400, minTimeout: 100, maxTimeout: 4000, backoff: 2, attempts: undefined });
    expect(s.cacheSettings).toEqual({
      maxEntries: 10_000, maxBytes: 4 * 1024 * 1024, minTtl: 0, maxTtl: 86_400, negativeMaxTtl: 3600, failureTtl: 5,
      serveStale: false, maxStale: 86_400, staleTtl: 30,
    });
    expect(s.policy).toEqual({
      search: [], ndots: 1, specialNames: true, idn: true, rotate: false, race: false, demoteAfter: 3, probeShare: 3277, cookies: true, case0x20: false,
    });
  });

  it('ties the timeout bounds to timeout, and cookies to EDNS', () => {
    expect(settingsFrom({ ...base, timeout: 50 }, {}).schedule).toMatchObject({ minTimeout: 50, maxTimeout: 4000 });
    expect(settingsFrom({ ...base, timeout: 9000 }, {}).schedule).toMatchObject({ minTimeout: 100, maxTimeout: 9000 });
    expect(settingsFrom({ ...base, attempts: 7 }, {}).schedule.attempts).toBe(7);
    expect(settingsFrom({ ...base, edns: false }, {}).policy.cookies).toBe(false);
  });

  it('names the bad option and its range', () => {
    bad({ timeout: 0 }, 'option timeout must be a number in 1..86400000, got 0');
    bad({ attempts: 1.5 }, 'option attempts must be an integer in 1..100, got 1.5');
    bad({ maxTimeout: 50, minTimeout: 60 }, 'option maxTimeout must be a number in 60..86400000, got 50');
    bad({ minTtl: 100, maxTtl: 10 }, 'option minTtl must be a number in 0..10, got 100');
    bad({ edns: 'yes' }, 'option edns must be a boolean');
    bad({ case0x20: ['a'] }, 'option case0x20 must be a boolean or an array of server indexes');
    expect(() => settingsFrom(null as never, {})).toThrow(expect.objectContaining({ code: 'EBADOPTION', message: 'options must be an object' }) as Error);
  });

  it('reads options in a fixed order: the first bad one is reported', () => {
    bad({ ndots: -1, timeout: 0, cacheMaxEntries: -1 }, 'option timeout must be a number in 1..86400000, got 0');
    bad({ ndots: -1, cacheMaxEntries: -1 }, 'option cacheMaxEntries must be an integer in 0..10000000, got -1');
    bad({ case0x20: 'x', ndots: -1 }, 'option ndots must be an integer in 0..15, got -1');
  });

  it('refuses an option whose policy the core was built without', () => {
    expect(() => settingsFrom({ ...base, search: ['a.example'] }, {})).toThrow(expect.objectContaining({ message: expect.stringContaining('option search needs the search policy') }) as Error);
    expect(() => settingsFrom({ ...base, case0x20: [1] }, {})).toThrow(expect.objectContaining({ message: expect.stringContaining('option case0x20 needs the case0x20 policy') }) as Error);
    expect(() => settingsFrom({ ...base, trace: true }, {})).toThrow(expect.objectContaining({ message: expect.stringContaining('option trace needs the trace policy') }) as Error);
    expect(settingsFrom({ ...base, search: [], case0x20: false, trace: false }, {}).policy).toMatchObject({ search: [], case0x20: false });
  });

  it('leaves the search list to the search policy: without it, only none or [] (a DoH core; its message says why)', () => {
    const needs = expect.objectContaining({ code: 'EBADOPTION', message: expect.stringContaining('option search needs the search policy') }) as Error;
    for (const search of ['corp.example', 5, [''], ['a.example']]) expect(() => settingsFrom({ ...base, search } as never, {})).toThrow(needs);
    expect(settingsFrom({ ...base }, {}).policy.search).toEqual([]);
    // With the policy, the list is checked and normalised as before.
    expect(settingsFrom({ ...base, search: ['Corp.Example.'] }, STANDARD_POLICIES).policy.search).toEqual(['Corp.Example']);
    expect(() => settingsFrom({ ...base, search: 5 } as never, STANDARD_POLICIES)).toThrow(expect.objectContaining({ message: expect.stringContaining('option search must be an array') }) as Error);
  });
});

describe('checks of later input', () => {
  it('queryTimeout: the query option in (0, 1 day], else the resolver deadline', () => {
    expect(queryTimeout({}, 5000)).toBe(5000);
    expect(queryTimeout({ timeout: 20 }, 5000)).toBe(20);
    for (const timeout of [0, -1, Infinity, 86_400_001, '5' as never]) {
      expect(() => queryTimeout({ timeout }, 5000)).toThrow(expect.objectContaining({ code: 'EBADOPTION' }) as Error);
    }
  });

  it('checkQuery: a string name, an options object, a boolean search', () => {
    expect(() => checkQuery('x', {})).not.toThrow();
    expect(() => checkQuery(7, {})).toThrow(expect.objectContaining({ code: 'EBADNAME' }) as Error);
    expect(() => checkQuery('x', null as never)).toThrow(expect.objectContaining({ code: 'EBADOPTION' }) as Error);
    expect(() => checkQuery('x', { search: 1 as never })).toThrow(expect.objectContaining({ code: 'EBADOPTION' }) as Error);
  });

  it('validateReceived: an array of { data: Uint8Array, peer: Endpoint }', () => {
    const peer = { transport: 'udp', address: '192.0.2.1', port: 53 } as const;
    expect(() => validateReceived([{ data: new Uint8Array(0), peer }, { data: new Uint8Array(1), peer: { transport: 'doh', url: 'https://x/' } }])).not.toThrow();
    for (const d of [{ data: [1], peer }, { data: new Uint8Array(0), peer: { transport: 'udp', address: '192.0.2.1' } }, null] as unknown as Received[]) {
      expect(() => validateReceived([d])).toThrow(expect.objectContaining({ code: 'EBADOPTION' }) as Error);
    }
    expect(() => validateReceived('x' as never)).toThrow(expect.objectContaining({ code: 'EBADOPTION' }) as Error);
  });
});
