/**
 * Seeded scenarios, part 2 of 2 (seeds 6000..11999): every invariant of
 * InvariantChecker on every scenario. A failing seed prints its violations;
 * reproduce with runScenario(seed) from ./scenario.ts.
 */
import { describeSeeds } from './scenario.js';

describeSeeds('seeded scenarios (part 2)', 6000, 6000);
