/**
 * DNSSEC interop with unbound as a validating recursive resolver, inside a
 * network namespace of its own (`unshare --net`, loopback only), over the
 * BIND-signed hierarchy: unbound's root hint and trust anchor are our own
 * (`dnssec-bind.ts`), and our stub validates through it (CD set). Every
 * verdict must agree, the opt-out denials of RFC 5155 §9.2 included (unbound
 * is their reference: insecure, no AD).
 */
import { describe, expect, it } from 'vitest';
import { buildHierarchy, missingTool, named53, ZONES } from './dnssec-bind.js';
import { removeHierarchy } from './dnssec-hierarchy.js';
import { judge, namespaceProblem, withUnbound } from './dnssec-compare.js';
import { questions } from './dnssec-questions.js';

const problem = missingTool() ?? namespaceProblem();
if (problem !== undefined) console.warn(problem);

describe.skipIf(problem !== undefined)('DNSSEC interop with unbound (validating recursive resolver, in a network namespace)', () => {
  it('agrees with unbound on every verdict, the opt-out denials included', async () => {
    const h = buildHierarchy();
    try {
      const qs = questions(ZONES);
      const rows = await withUnbound(h, named53(h), qs);
      const j = judge(rows, 'unbound');
      console.log(`DNSSEC interop with unbound (BIND-signed): ${rows.length} questions, verdicts ${JSON.stringify(j.counts)}, ${j.disagreements.length} disagreements; opt-out denials (RFC 5155 §9.2) agreed: ${qs.filter((q) => q.optOutDenial).map((q) => `${q.name}/${q.type}`).join(', ')}`);
      expect(rows.length).toBe(qs.length);
      expect(j.disagreements).toEqual([]);
      expect(j.unexpected).toEqual([]);
    } finally {
      removeHierarchy(h);
    }
  }, 300_000);
});
