/**
 * The runner: a bare resolver core in a {@link World}. Each step jumps the
 * clock to the earliest deadline among core, network, servers, attacker and
 * scheduled actions, delivers what is due, runs the core's timers and drains
 * its output onto the network. A bound on steps turns a livelock into a loud
 * {@link SimulationError} instead of a hang.
 */
import { Resolver } from '../core/resolver.js';
import { parseName, typeFromInput } from '../core/codec/index.js';
import type { Output, QueryOptions, ResolverOptions, ServerInput } from '../core/types.js';
import { World, type WorldOptions } from './world.js';

/** Resolver options the simulation fills in itself (`random`; `servers` defaults to the world's servers). */
export type SimulationResolverOptions = Omit<ResolverOptions, 'random' | 'servers'> & { readonly servers?: readonly ServerInput[] };

/** Options of {@link Simulation}. */
export interface SimulationOptions extends WorldOptions {
  readonly resolver?: SimulationResolverOptions;
  /** Steps allowed per `run` before it throws (default 1,000,000). */
  readonly maxSteps?: number;
  /** Build the core from its full options (to record a trace, say). Default `new Resolver(options)`. */
  readonly makeResolver?: (options: ResolverOptions) => Resolver;
}

/** Thrown when a run exceeds its step bound: something is spinning. */
export class SimulationError extends Error {
  override readonly name = 'SimulationError';
}

/** Something that wants to see every output of the core, with its time. */
export type OutputListener = (now: number, output: Output) => void;

/** What a driver does at a step: take what arrived for it at `now`, run its timer if due. */
export type DriverStep = (now: number, inbound: ReturnType<World['step']>) => void;

/** The earliest deadline of `world` and of a driver (`driverDeadline`), or `undefined` when both are idle. */
export function nextDeadline(world: World, driverDeadline: () => number | undefined): number | undefined {
  const a = driverDeadline();
  const b = world.deadline();
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

/** The livelock error of a run that took `maxSteps` steps without going idle. */
export function livelock(world: World, maxSteps: number): SimulationError {
  return new SimulationError(`livelock: ${maxSteps} steps without going idle (virtual time ${world.clock.now()} ms)`);
}

/**
 * Step `world` and a driver until neither has a deadline (or until `until`).
 * `driverDeadline` and `driverStep` stand for the resolver side. Shared by
 * {@link Simulation} and the promise-facing resolver.
 */
export function runWorld(
  world: World, maxSteps: number, until: number | undefined, driverDeadline: () => number | undefined, driverStep: DriverStep,
): number {
  let taken = 0;
  for (;;) {
    const t = nextDeadline(world, driverDeadline);
    if (t === undefined || (until !== undefined && t > until)) break;
    if (++taken > maxSteps) throw livelock(world, maxSteps);
    const inbound = world.step(t);
    driverStep(world.clock.now(), inbound);
  }
  if (until !== undefined) world.clock.advanceTo(until);
  return taken;
}

/** The deterministic world with a bare core in it. Same seed and same calls, same transcript. */
export class Simulation {
  readonly world: World;
  readonly resolver: Resolver;
  /** Steps taken by every `run` so far. */
  steps = 0;
  private readonly listeners: OutputListener[] = [];
  private readonly maxSteps: number;

  constructor(options: SimulationOptions) {
    this.world = new World(options);
    const full: ResolverOptions = { servers: this.world.serverList(), ...options.resolver, random: this.world.resolverRandom() };
    this.resolver = (options.makeResolver ?? ((o) => new Resolver(o)))(full);
    this.maxSteps = options.maxSteps ?? 1_000_000;
  }

  /** The current virtual time. */
  now(): number {
    return this.world.clock.now();
  }

  /** See every output of the core (transmits, events, deadline) with its time. */
  onOutput(listener: OutputListener): void {
    this.listeners.push(listener);
  }

  /** Start a query now (the attacker, if any, races it). Returns the core's handle. */
  query(name: string, type: string | number = 'A', options: QueryOptions = {}): number {
    const handle = this.resolver.query(this.now(), name, type, options);
    this.world.asked({ name: parseName(name).name, type: typeFromInput(type), class: 1 });
    this.drain();
    return handle;
  }

  /** Run `action` at virtual time `at` (during a later `run`). */
  at(at: number, action: () => void): void {
    this.world.at(at, action);
  }

  /**
   * Step until nothing has a deadline, or until virtual time `until` (the
   * clock then ends at `until`). Returns the steps taken. Throws
   * {@link SimulationError} past `maxSteps`.
   */
  run(until?: number): number {
    const taken = runWorld(this.world, this.maxSteps, until, () => this.resolver.pollDeadline(), (now, inbound) => {
      if (inbound.length > 0) this.resolver.handleDatagrams(now, inbound);
      const d = this.resolver.pollDeadline();
      if (d !== undefined && d <= now) this.resolver.handleTimeout(now);
      this.drain();
    });
    this.steps += taken;
    return taken;
  }

  /** Drain the core onto the network and tell the listeners. */
  private drain(): void {
    const out = this.resolver.poll();
    this.world.send(out.transmits);
    for (const l of this.listeners) l(this.now(), out);
  }
}
