/**
 * Seeded scenarios, part 1 of 2 (seeds 0..5999): every invariant of
 * InvariantChecker on every scenario. A failing seed prints its violations;
 * reproduce with runScenario(seed) from ./scenario.ts.
 */
import { describeSeeds } from './scenario.js';

describeSeeds('seeded scenarios (part 1)', 0, 6000);
