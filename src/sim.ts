/**
 * `sansdns/sim`: the deterministic network simulator. Everything is sans-IO
 * and seeded: the same seed gives the same bytes on every run and machine.
 */
export { Prng } from './sim/prng.js';
export { VirtualClock } from './sim/clock.js';
export { Network } from './sim/network.js';
export type { LinkOptions, GilbertElliott, Window, NetworkStats } from './sim/network.js';
export { udp } from './sim/packet.js';
export type { SimEndpoint, Packet, Delivery } from './sim/packet.js';
export { Zone, findZone, nameKey } from './sim/zone.js';
export type { ZoneRecord, LookupResult } from './sim/zone.js';
export { parseZoneFile } from './sim/zone-file.js';
export type { ParsedZoneFile } from './sim/zone-file.js';
export { ZoneServer } from './sim/server.js';
export type { Behaviour, ZoneInput, ZoneServerOptions, ZoneServerStats } from './sim/server.js';
export { OffPathAttacker, FORGED_A, FORGED_TXT, isForged } from './sim/attacker.js';
export type { AttackerOptions, Forgery } from './sim/attacker.js';
export { World } from './sim/world.js';
export type { WorldOptions } from './sim/world.js';
export { Simulation, SimulationError, runWorld } from './sim/simulation.js';
export type { SimulationOptions, SimulationResolverOptions, OutputListener } from './sim/simulation.js';
export { SimResolver } from './drivers/sim/resolver.js';
export type { SimResolverOptions } from './drivers/sim/resolver.js';
export { InvariantChecker } from './sim/invariants.js';
export { SignedZone } from './sim/dnssec/signed-zone.js';
export type { Break, SignedZoneOptions } from './sim/dnssec/signed-zone.js';
export { signedHierarchy, EPOCH } from './sim/dnssec/hierarchy.js';
export type { Hierarchy, HierarchyOptions } from './sim/dnssec/hierarchy.js';
export { ValidatingSimulation } from './sim/dnssec/validating-simulation.js';
export type { ValidatingSimulationOptions } from './sim/dnssec/validating-simulation.js';
export { makeKey, dnskeyRecord, dsRecord } from './sim/dnssec/keys.js';
export type { SimKey, SimAlgorithm } from './sim/dnssec/keys.js';
