/**
 * Hostile bytes through the validating core: the simulator's signed
 * hierarchy answers every query, and each reply is mutated on its way in
 * (bit flips, overwritten bytes, forged compression pointers, truncation)
 * before the validator sees it. Nothing may throw, every query ends with
 * exactly one final event within its deadline, the signature work stays
 * within `maxVerifications` per query, and no answer is downgraded: an
 * answer has the untouched hierarchy's verdict, and a secure one its records.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Output, Received } from '../../src/core/types.js';
import { runWorld } from '../../src/sim/simulation.js';
import { EPOCH, hierarchy, simulate } from '../sim/dnssec-world.js';

const QUESTIONS = [
  ['www.example.test', 'A'], ['nope.example.test', 'A'], ['www.example.test', 'TXT'], ['x.y.wild.example.test', 'A'],
  ['alias.example.test', 'A'], ['mail.example.test', 'MX'], ['host.insecure.test', 'A'],
] as const;
const H = hierarchy(11);
const MAX_VERIFICATIONS = 16;
const DEADLINE = 4000;
/** Runs of the property (env HOSTILE_RUNS for a longer campaign). */
const RUNS = Number(process.env.HOSTILE_RUNS ?? 400);

type Mutation = { at: number; kind: 'flip' | 'byte' | 'pointer' | 'cut'; value: number };
const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('flip' as const, 'flip' as const, 'byte' as const, 'pointer' as const, 'cut' as const),
  value: fc.nat(255),
});

/** `data` with the mutations applied past the header's ID (an unmatched ID is only dropped). */
function mutate(data: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  let b = data.slice();
  for (const m of ms) {
    if (b.length <= 2) break;
    const at = 2 + (m.at % (b.length - 2));
    if (m.kind === 'flip') b[at] = b[at]! ^ (1 << (m.value & 7));
    else if (m.kind === 'byte') b[at] = m.value;
    else if (m.kind === 'pointer' && at + 1 < b.length) {
      b[at] = 0xc0 | (m.value & 0x3f);
      b[at + 1] = m.value;
    } else if (m.kind === 'cut') b = b.slice(0, at);
  }
  return b;
}

/** One question through the hierarchy, the `which`-th replies (mod the count) mutated; the query's final event. */
function ask(q: number, which: readonly number[], ms: readonly Mutation[], mutateAll: boolean): { final: Record<string, unknown>[]; verifications: number; now: number } {
  const [name, type] = QUESTIONS[q % QUESTIONS.length]!;
  const sim = simulate(H, 11, { maxVerifications: MAX_VERIFICATIONS, deadline: DEADLINE });
  const handle = sim.query(name, type);
  let seen = 0;
  const start = sim.now();
  runWorld(sim.world, 100_000, undefined, () => sim.resolver.pollDeadline(), (now, inbound: Received[]) => {
    const hostile = inbound.map((r) => (mutateAll || which.includes(seen++ % 8) ? { ...r, data: mutate(r.data, ms) } : r));
    if (hostile.length > 0) sim.resolver.handleDatagrams(now, hostile);
    const d = sim.resolver.pollDeadline();
    if (d !== undefined && d <= now) sim.resolver.handleTimeout(now);
    const out: Output = sim.resolver.poll();
    sim.world.send(out.transmits);
    sim.outputs.push({ now, output: out });
  });
  const final = sim.outputs.flatMap((o) => o.output.events).filter((e) => e.kind !== 'trace' && e.handle === handle) as never[];
  return { final, verifications: sim.resolver.validation.verifications, now: sim.now() - start };
}

/** The untouched verdict of each question: security and records. */
const honest = QUESTIONS.map((_, q) => ask(q, [], [], false).final[0]!);

describe('hostile replies through the validating core', () => {
  it('the untouched hierarchy validates its questions (the baseline below is real)', () => {
    expect(EPOCH).toBeGreaterThan(0);
    expect(honest.map((e) => e.security)).toEqual(['secure', 'secure', 'secure', 'secure', 'secure', 'secure', 'insecure']);
  });

  it('nothing throws; one final event per query within the deadline; bounded signature work; no downgrade', () => {
    const verdicts = new Map<string, number>();
    fc.assert(
      fc.property(
        fc.nat(QUESTIONS.length - 1), fc.array(fc.nat(7), { minLength: 1, maxLength: 3 }), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), fc.boolean(),
        (q, which, ms, all) => {
          const r = ask(q, which, ms, all);
          expect(r.final).toHaveLength(1);
          expect(r.now).toBeLessThanOrEqual(DEADLINE + 1);
          // Every fetch of the chain (at most one per zone cut and type here) may spend the bound.
          expect(r.verifications).toBeLessThanOrEqual(MAX_VERIFICATIONS * 8);
          const e = r.final[0]!;
          const verdict = `${String(e.kind)}:${String(e.security)}:${String(e.code)}`;
          verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
          const h = honest[q]!;
          // No downgrade: an answer keeps the untouched verdict, and a secure one its records (a TTL may only be lower).
          if (e.kind === 'answer') expect(e.security).toBe(h.security);
          if (e.security === 'secure') {
            const strip = (rs: unknown): unknown => (rs as { ttl: number }[]).map(({ ttl: _ttl, ...rest }) => rest);
            expect(strip(e.records)).toEqual(strip(h.records));
            (e.records as { ttl: number }[]).forEach((r, i) => expect(r.ttl).toBeLessThanOrEqual((h.records as { ttl: number }[])[i]!.ttl));
          }
        },
      ),
      { numRuns: RUNS },
    );
    // The mutations reach the validator: some replies still validate, many end bogus or in error.
    const count = (prefix: string): number => [...verdicts].filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);
    if (process.env.HOSTILE_RUNS !== undefined) console.log(Object.fromEntries(verdicts));
    expect(count('answer:secure')).toBeGreaterThan(0);
    expect(count('error:') + count('answer:bogus')).toBeGreaterThan(RUNS / 10);
  }, 600_000);
});
