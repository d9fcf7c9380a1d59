/**
 * DNSSEC interop over a hierarchy signed by Knot DNS (`dnssec-knot.ts`:
 * keymgr's keys, knotd's automatic signing, every algorithm of the issue and
 * every break), against both references in one run: delv over the Knot
 * server on loopback, and unbound as a validating resolver inside a network
 * namespace of its own (root hint and trust anchor ours, nothing else). Every
 * verdict must agree with its reference (`dnssec-questions.ts`): 0
 * disagreements; delv's one documented difference (opt-out denials, RFC 5155
 * §9.2) is asserted as such.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildKnotHierarchy, KNOT_ZONES, knot53, missingKnotTool, startKnot } from './dnssec-knot.js';
import { removeHierarchy, type Daemon, type Hierarchy } from './dnssec-hierarchy.js';
import { judge, namespaceProblem, withDelv, withUnbound, type Row } from './dnssec-compare.js';
import { questions } from './dnssec-questions.js';

const missing = missingKnotTool();
if (missing !== undefined) console.warn(missing);
const noUnbound = missing ?? namespaceProblem();
if (missing === undefined && noUnbound !== undefined) console.warn(noUnbound);

describe.skipIf(missing !== undefined)('DNSSEC interop over Knot-signed zones (delv and unbound as references)', () => {
  let h: Hierarchy;
  let knot: Daemon;

  beforeAll(async () => {
    h = await buildKnotHierarchy();
    knot = await startKnot(h);
  }, 120_000);

  afterAll(async () => {
    await knot?.stop();
    if (h !== undefined) removeHierarchy(h);
  });

  it('agrees with delv and with unbound on every verdict, over every algorithm and break Knot signed', async () => {
    const qs = questions(KNOT_ZONES);
    const t0 = performance.now();
    const timed = async (p: Promise<Row[]>, what: string): Promise<Row[]> => {
      const rows = await p;
      console.log(`${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      return rows;
    };
    const [byDelv, byUnbound] = await Promise.all([
      timed(withDelv(h, knot.port, qs), 'delv'),
      noUnbound === undefined ? timed(withUnbound(h, knot53(h), qs), 'unbound') : Promise.resolve<Row[]>([]),
    ]);
    const d = judge(byDelv, 'delv');
    console.log(`DNSSEC interop (Knot-signed) with delv: ${qs.length} questions, verdicts ${JSON.stringify(d.counts)}, ${d.disagreements.length} disagreements; ${d.known.length} known (opt-out denials, delv secure, RFC 5155 §9.2 no AD): ${d.known.join(', ')}`);
    expect(d.disagreements).toEqual([]);
    expect(d.unexpected).toEqual([]);
    expect(d.known.length).toBe(qs.filter((q) => q.optOutDenial).length);
    expect(d.counts['secure']).toBeGreaterThan(50);
    expect(d.counts['insecure']).toBeGreaterThan(3);
    expect(d.counts['bogus']).toBeGreaterThan(10);
    if (noUnbound !== undefined) return;
    const u = judge(byUnbound, 'unbound');
    // Ours asks the authoritative server directly beside delv, and through unbound (CD set) beside unbound: where the two paths differ, say why.
    const paths = byUnbound.filter((r, i) => r.ours !== byDelv[i]?.ours).map((r) => `${r.q.name}/${r.q.type}: direct ${byDelv.find((d) => d.q === r.q)?.ours}, through unbound ${r.ours} (${r.why})`);
    console.log(`DNSSEC interop (Knot-signed) with unbound: ${byUnbound.length} questions, verdicts ${JSON.stringify(u.counts)}, ${u.disagreements.length} disagreements; our verdict by path differs on: ${paths.join('; ') || 'none'}`);
    expect(byUnbound.length).toBe(qs.length);
    expect(u.disagreements).toEqual([]);
    expect(u.unexpected).toEqual([]);
  }, 240_000);
});
