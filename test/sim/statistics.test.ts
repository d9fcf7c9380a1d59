/**
 * The share of answered queries against its analytic value. With a fixed
 * schedule (timeout = floor = ceiling, no backoff), fixed latency L and loss
 * l each way, each send is answered independently with q = (1 - l)², and a
 * send at t counts when t + 2L ≤ deadline; so P(answered) = 1 - (1 - q)^m
 * for the m sends of the plan that count. Thousands of independent
 * single-query worlds must land within 4.5 standard deviations of it.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/simulation.js';
import { InvariantChecker } from '../../src/sim/invariants.js';
import { ZONE } from './scenario.js';

interface Case {
  readonly loss: number;
  readonly attempts: number;
  readonly servers: number;
  readonly deadline: number;
  readonly latency: number;
  readonly step: number;
  readonly runs: number;
}

function analytic(c: Case): number {
  const q = (1 - c.loss) ** 2;
  let m = 0;
  for (let i = 0; i < c.attempts * c.servers; i++) if (i * c.step < c.deadline && i * c.step + 2 * c.latency <= c.deadline) m++;
  return 1 - (1 - q) ** m;
}

function observed(c: Case, seedBase: number): { share: number; violations: string[] } {
  let answered = 0;
  const violations: string[] = [];
  for (let i = 0; i < c.runs; i++) {
    const sim = new Simulation({
      seed: seedBase + i,
      servers: Array.from({ length: c.servers }, (_, k) => ({ address: `192.0.2.${k + 1}`, zones: [ZONE] })),
      network: { latency: c.latency, loss: c.loss },
      resolver: { timeout: c.step, minTimeout: c.step, maxTimeout: c.step, backoff: 1, attempts: c.attempts, deadline: c.deadline },
    });
    const chk = new InvariantChecker(sim);
    chk.query('www.example.com', 'A', c.deadline);
    sim.run();
    violations.push(...chk.finish());
    if (chk.finals()[0]?.kind === 'answer') answered++;
  }
  return { share: answered / c.runs, violations };
}

const CASES: Case[] = [
  // Node's resolver with timeout 200 and tries 4 against 30% loss each way: about 93%.
  { loss: 0.3, attempts: 2, servers: 2, deadline: 2000, latency: 20, step: 200, runs: 2000 },
  { loss: 0.5, attempts: 3, servers: 2, deadline: 1000, latency: 15, step: 100, runs: 1500 },
  { loss: 0.1, attempts: 1, servers: 1, deadline: 500, latency: 40, step: 300, runs: 1500 },
];

describe('answered share within statistical bounds of the analytic value', () => {
  CASES.forEach((c, i) => {
    it(`loss ${c.loss} each way, ${c.attempts}×${c.servers} sends every ${c.step} ms`, () => {
      const p = analytic(c);
      const { share, violations } = observed(c, 1_000_000 * (i + 1));
      const sigma = Math.sqrt((p * (1 - p)) / c.runs);
      expect(violations).toEqual([]);
      expect(Math.abs(share - p)).toBeLessThanOrEqual(4.5 * sigma);
    });
  });
});
