/**
 * A validating resolver in a simulated {@link World}: the same stepping as
 * `Simulation` (`runWorld`), with a `ValidatingResolver` instead of the bare
 * core, and wall-clock time derived from the virtual clock (`epoch`, UNIX
 * seconds at virtual time 0), so signature expiry is testable to the second.
 */
import { parseName, typeFromInput } from '../../core/codec/index.js';
import { ValidatingResolver } from '../../core/dnssec/validating-resolver.js';
import type { DnssecOptions } from '../../core/dnssec/options.js';
import type { Output, QueryOptions } from '../../core/types.js';
import { runWorld, type SimulationResolverOptions } from '../simulation.js';
import { World, type WorldOptions } from '../world.js';

/** Options of {@link ValidatingSimulation}. */
export interface ValidatingSimulationOptions extends WorldOptions {
  readonly resolver?: SimulationResolverOptions & Omit<DnssecOptions, 'unixTime'>;
  /** UNIX seconds at virtual time 0 (default 1,700,000,000). */
  readonly epoch?: number;
  readonly maxSteps?: number;
}

/** The deterministic world with a validating resolver in it. */
export class ValidatingSimulation {
  readonly world: World;
  readonly resolver: ValidatingResolver;
  readonly epoch: number;
  /** Every output drained, with its time. */
  readonly outputs: { now: number; output: Output }[] = [];
  private readonly maxSteps: number;

  constructor(options: ValidatingSimulationOptions) {
    this.world = new World(options);
    this.epoch = options.epoch ?? 1_700_000_000;
    const epoch = this.epoch;
    this.resolver = new ValidatingResolver({
      servers: this.world.serverList(), ...options.resolver, random: this.world.resolverRandom(), unixTime: (now) => epoch + now / 1000,
    });
    this.maxSteps = options.maxSteps ?? 1_000_000;
  }

  /** The current virtual time (ms). */
  now(): number {
    return this.world.clock.now();
  }

  /** Start a query now. */
  query(name: string, type: string | number = 'A', options: QueryOptions = {}): number {
    const handle = this.resolver.query(this.now(), name, type, options);
    this.world.asked({ name: parseName(name).name, type: typeFromInput(type), class: 1 });
    this.drain();
    return handle;
  }

  /** Step until idle, or until virtual time `until`. */
  run(until?: number): number {
    return runWorld(this.world, this.maxSteps, until, () => this.resolver.pollDeadline(), (now, inbound) => {
      if (inbound.length > 0) this.resolver.handleDatagrams(now, inbound);
      const d = this.resolver.pollDeadline();
      if (d !== undefined && d <= now) this.resolver.handleTimeout(now);
      this.drain();
    });
  }

  private drain(): void {
    const out = this.resolver.poll();
    this.world.send(out.transmits);
    this.outputs.push({ now: this.now(), output: out });
  }
}
