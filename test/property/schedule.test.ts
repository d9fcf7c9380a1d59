/**
 * The retransmission schedule's bounds (`src/core/schedule.ts`), over random
 * networks (loss, latency, dead servers, failing servers, EDNS fallbacks),
 * options (deadline, tries, per-try timeout, RTO floor, race, rotate) and
 * loads: no query sends at or after its deadline; no query sends more than
 * its budget (protocol follow-ups, each the answer to a response, aside);
 * explicit tries are all sent; a per-try timeout (a fixed window) that
 * cannot fit is refused. (Random windows here are adaptive: their floor is
 * at most 200 ms and their ceiling at least 4000 ms.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDnsError, type ResolverEvent } from '../../src/index.js';
import { Simulation, Zone, type Behaviour } from '../../src/sim.js';

const ZONE = new Zone('example.test', [
  { name: 'example.test', type: 'SOA', data: { mname: 'ns.example.test', rname: 'h.example.test', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 60 } },
  { name: '*.example.test', type: 'A', data: '192.0.2.80' },
]);
const FOLLOW_UPS = new Set(['tcp-fallback', 'edns-fallback', 'case-fallback']);

interface ServerCase { readonly dead: boolean; readonly loss: number; readonly latency: number; readonly behaviour: Behaviour }
interface Case {
  readonly servers: readonly ServerCase[];
  readonly deadline: number;
  readonly attempts: number | undefined;
  readonly timeout: number | undefined;
  readonly minTimeout: number | undefined;
  readonly race: boolean;
  readonly rotate: boolean;
  readonly queries: readonly { readonly at: number; readonly own: number | undefined }[];
}

const serverArb: fc.Arbitrary<ServerCase> = fc.record({
  dead: fc.boolean(),
  loss: fc.constantFrom(0, 0.1, 0.3, 0.5, 0.9),
  latency: fc.integer({ min: 0, max: 250 }),
  behaviour: fc.constantFrom<Behaviour>({}, {}, { servfail: 0.3 }, { refused: 0.3 }, { formerrEdns: true }, { slow: 300 }),
});

const caseArb: fc.Arbitrary<Case> = fc.record({
  servers: fc.array(serverArb, { minLength: 1, maxLength: 3 }),
  deadline: fc.integer({ min: 20, max: 5000 }),
  attempts: fc.option(fc.integer({ min: 1, max: 15 }), { nil: undefined }),
  timeout: fc.option(fc.integer({ min: 5, max: 1000 }), { nil: undefined }),
  minTimeout: fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
  race: fc.boolean(),
  rotate: fc.boolean(),
  queries: fc.array(fc.record({ at: fc.integer({ min: 0, max: 3000 }), own: fc.option(fc.integer({ min: 20, max: 3000 }), { nil: undefined }) }), { minLength: 1, maxLength: 12 }),
});

/** The floor of a window as the core fills it in. */
function floorOf(c: Case): number {
  return c.minTimeout ?? Math.min(100, c.timeout ?? 400);
}

/** The most sends of a query of `span` ms (the schedule's budget, written out independently). */
function budgetOf(c: Case, span: number): number {
  if (c.attempts !== undefined) return c.attempts * c.servers.length;
  return Math.max(1, Math.ceil(span / floorOf(c))) * (c.race ? c.servers.length : 1);
}

interface Seen { start: number; deadline: number; sends: number[]; followUps: number }

function run(c: Case, seed: number): Map<number, Seen> {
  const sim = new Simulation({
    seed,
    servers: c.servers.map((s, i) => ({ address: `192.0.2.${i + 1}`, zones: [ZONE], behaviour: s.behaviour })),
    resolver: {
      deadline: c.deadline, race: c.race, rotate: c.rotate, trace: true,
      ...(c.attempts === undefined ? {} : { attempts: c.attempts }),
      ...(c.timeout === undefined ? {} : { timeout: c.timeout }),
      ...(c.minTimeout === undefined ? {} : { minTimeout: c.minTimeout }),
    },
  });
  c.servers.forEach((s, i) => {
    sim.world.network.setLink('10.0.0.1', `192.0.2.${i + 1}`, { latency: s.latency, loss: s.loss });
    if (s.dead) sim.world.network.outage(`192.0.2.${i + 1}`, { from: 0, until: Infinity });
  });
  const seen = new Map<number, Seen>();
  sim.onOutput((_now, out) => {
    for (const e of out.events as ResolverEvent[]) {
      if (e.kind !== 'trace' || e.handle === undefined) continue;
      const s = seen.get(e.handle) ?? { start: NaN, deadline: NaN, sends: [], followUps: 0 };
      seen.set(e.handle, s);
      if (e.what === 'send') s.sends.push(e.at);
      if (FOLLOW_UPS.has(e.what)) s.followUps++;
    }
  });
  c.queries.forEach((q, i) => sim.at(q.at, () => {
    const h = sim.query(`q${i}.example.test`, 'A', q.own === undefined ? {} : { timeout: q.own });
    const s = seen.get(h) ?? { start: NaN, deadline: NaN, sends: [], followUps: 0 };
    seen.set(h, { ...s, start: sim.now(), deadline: sim.now() + (q.own ?? c.deadline) });
  }));
  sim.run();
  return seen;
}

describe('the retransmission schedule', () => {
  it('never sends at or after a query\'s deadline, nor more than its budget', () => {
    fc.assert(fc.property(caseArb, fc.nat(1000), (c, seed) => {
      for (const [handle, s] of run(c, seed)) {
        const span = s.deadline - s.start;
        for (const at of s.sends) expect(at, `query ${handle} sent at ${at}, deadline ${s.deadline}`).toBeLessThan(s.deadline);
        expect(s.sends.length - s.followUps, `query ${handle}: sends beyond the budget`).toBeLessThanOrEqual(budgetOf(c, span));
      }
    }), { numRuns: 300 });
  });

  it('sends every explicit try before the deadline when no server answers', () => {
    const silent = caseArb.map((c) => ({ ...c, servers: c.servers.map((s) => ({ ...s, dead: true })) }));
    fc.assert(fc.property(silent, fc.integer({ min: 1, max: 15 }), fc.nat(1000), (c0, attempts, seed) => {
      const c = { ...c0, attempts };
      for (const [handle, s] of run(c, seed)) {
        // With race a try is a round, to every server not demoted while another is healthy.
        if (c.race) expect(s.sends.length, `query ${handle}`).toBeGreaterThanOrEqual(attempts);
        else expect(s.sends.length, `query ${handle}`).toBe(attempts * c.servers.length);
        expect(s.sends.length).toBeLessThanOrEqual(attempts * c.servers.length);
        for (const at of s.sends) expect(at).toBeLessThan(s.deadline);
      }
    }), { numRuns: 200 });
  });

  it('refuses a per-try timeout whose tries cannot fit the deadline, at construction and per call', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 10_000 }), (n, attempts, perTry, deadline) => {
      const servers = Array.from({ length: n }, (_, i) => ({ address: `192.0.2.${i + 1}`, zones: [ZONE] }));
      const resolver = { attempts, timeout: perTry, minTimeout: perTry, maxTimeout: perTry, deadline };
      const fits = attempts * n * perTry <= deadline;
      let thrown: unknown;
      try {
        new Simulation({ seed: 1, servers, resolver });
      } catch (e) {
        thrown = e;
      }
      expect(thrown === undefined).toBe(fits);
      if (!fits) {
        expect(isDnsError(thrown) && thrown.code).toBe('EBADOPTION');
        return;
      }
      const sim = new Simulation({ seed: 1, servers, resolver: { ...resolver, deadline: attempts * n * perTry } });
      let perCall: unknown;
      try {
        sim.query('x.example.test', 'A', { timeout: attempts * n * perTry - 1 });
      } catch (e) {
        perCall = e;
      }
      expect(isDnsError(perCall) && perCall.code).toBe('EBADOPTION');
      expect(sim.resolver.inFlight).toBe(0);
    }), { numRuns: 200 });
  });
});
