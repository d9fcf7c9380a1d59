/** The simulator's signed hierarchy, and helpers of the DNSSEC sim tests. */
import { EPOCH, signedHierarchy, type Hierarchy } from '../../src/sim/dnssec/hierarchy.js';
import type { Validity } from '../../src/sim/dnssec/sign.js';
import { ValidatingSimulation, type ValidatingSimulationOptions } from '../../src/sim/dnssec/validating-simulation.js';

export { EPOCH };

/** The hierarchy with signatures valid over `validity`. */
export function hierarchy(seed: number, validity?: Validity): Hierarchy {
  return signedHierarchy(seed, validity === undefined ? {} : { validity });
}

/** A validating simulation over the hierarchy. */
export function simulate(h: Hierarchy, seed: number, resolver: ValidatingSimulationOptions['resolver'] = {}, extra: Partial<ValidatingSimulationOptions> = {}): ValidatingSimulation {
  return new ValidatingSimulation({ seed, epoch: EPOCH, servers: [h.server], resolver: { trustAnchors: h.anchor, ...resolver }, ...extra });
}

/** The final event of `handle` among the simulation's outputs. */
export function finalOf(sim: ValidatingSimulation, handle: number): Record<string, unknown> & { kind: string } {
  for (const { output } of sim.outputs) for (const e of output.events) if (e.kind !== 'trace' && e.handle === handle) return e as never;
  throw new Error(`no final event for ${handle}`);
}
