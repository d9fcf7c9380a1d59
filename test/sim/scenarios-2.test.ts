/**
 * Seeded scenarios, part 2 of 2 (seeds 6000..11999): every invariant of
 * InvariantChecker on every scenario. A failing seed prints its violations;
 * reproduce with runScenario(seed) from ./scenario.ts.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from './scenario.js';

const FROM = 6000;
const COUNT = 6000;
const CHUNK = 1000;

describe('seeded scenarios (part 2)', () => {
  for (let start = FROM; start < FROM + COUNT; start += CHUNK) {
    it(`seeds ${start}..${start + CHUNK - 1} keep every invariant`, () => {
      const failures: string[] = [];
      let queries = 0;
      for (let seed = start; seed < start + CHUNK; seed++) {
        const r = runScenario(seed);
        queries += r.queries;
        if (r.violations.length > 0) failures.push(`seed ${seed}: ${r.violations.join('; ')}`);
      }
      expect(failures).toEqual([]);
      expect(queries).toBeGreaterThan(CHUNK);
    });
  }
});
