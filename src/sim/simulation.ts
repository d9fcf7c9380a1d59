/**
 * The runner: one resolver core, a network, zone servers and an optional
 * attacker on one virtual clock. Each step jumps the clock to the earliest
 * deadline among them (and any scheduled action), delivers what is due, runs
 * the core's timers and drains its output onto the network. A bound on steps
 * turns a livelock into a loud {@link SimulationError} instead of a hang.
 */
import { Resolver } from '../core/resolver.js';
import { parseName, typeFromInput } from '../core/codec/index.js';
import type { Question } from '../core/codec/types.js';
import type { Output, QueryOptions, Received, ResolverOptions, ServerInput } from '../core/types.js';
import { OffPathAttacker, type AttackerOptions } from './attacker.js';
import { VirtualClock } from './clock.js';
import { Network, type LinkOptions } from './network.js';
import type { Packet, SimEndpoint } from './packet.js';
import { Prng } from './prng.js';
import { TimeQueue } from './queue.js';
import { ZoneServer, type ZoneServerOptions } from './server.js';

/** Resolver options the simulation fills in itself (`random`; `servers` defaults to the sim's servers). */
export type SimResolverOptions = Omit<ResolverOptions, 'random' | 'servers'> & { readonly servers?: readonly ServerInput[] };

/** Options of {@link Simulation}. */
export interface SimulationOptions {
  /** Seeds every random choice: the resolver's bytes, the network, the servers, the attacker. */
  readonly seed: number;
  readonly servers: readonly (ZoneServer | ZoneServerOptions)[];
  readonly resolver?: SimResolverOptions;
  /** Every link's behaviour unless set with `network.setLink`. */
  readonly network?: LinkOptions;
  /** The resolver's address (default `10.0.0.1`, port 40000). */
  readonly client?: string;
  /** Add an off-path attacker that races every query. */
  readonly attacker?: Omit<AttackerOptions, 'victim' | 'servers'>;
  /** Steps allowed per `run` before it throws (default 1,000,000). */
  readonly maxSteps?: number;
  /** Build the core from its full options (to record a trace, say). Default `new Resolver(options)`. */
  readonly makeResolver?: (options: ResolverOptions) => Resolver;
  /** Virtual time at the start (default 0). */
  readonly start?: number;
}

/** Thrown when a run exceeds its step bound: something is spinning at one instant. */
export class SimulationError extends Error {
  override readonly name = 'SimulationError';
}

/** Something that wants to see every output of the core, with its time. */
export type OutputListener = (now: number, output: Output) => void;

/** The deterministic world. Same seed and same calls, same transcript. */
export class Simulation {
  readonly clock: VirtualClock;
  readonly network: Network;
  readonly servers: ZoneServer[];
  readonly resolver: Resolver;
  readonly attacker: OffPathAttacker | undefined;
  readonly client: SimEndpoint;
  readonly prng: Prng;
  /** Steps taken by every `run` so far. */
  steps = 0;
  private readonly actions = new TimeQueue<() => void>();
  private readonly listeners: OutputListener[] = [];
  private readonly maxSteps: number;

  constructor(options: SimulationOptions) {
    this.prng = new Prng(options.seed);
    this.clock = new VirtualClock(options.start ?? 0);
    this.client = { transport: 'udp', address: options.client ?? '10.0.0.1', port: 40000 };
    this.network = new Network(this.prng.fork('network'), options.network ?? {});
    this.servers = options.servers.map((s, i) => (s instanceof ZoneServer ? s : new ZoneServer({ prng: this.prng.fork(`server ${i}`), ...s })));
    const resolverOptions: ResolverOptions = {
      servers: this.servers.map((s) => `${s.udp.address.includes(':') ? `[${s.udp.address}]` : s.udp.address}:${s.udp.port}`),
      ...options.resolver,
      random: this.prng.fork('resolver').random,
    };
    this.resolver = (options.makeResolver ?? ((o) => new Resolver(o)))(resolverOptions);
    this.attacker = options.attacker === undefined ? undefined : new OffPathAttacker(
      { ...options.attacker, victim: this.client, servers: this.servers.map((s) => s.udp) }, this.prng.fork('attacker'));
    this.maxSteps = options.maxSteps ?? 1_000_000;
  }

  /** The current virtual time. */
  now(): number {
    return this.clock.now();
  }

  /** See every output of the core (transmits, events, deadline) with its time. */
  onOutput(listener: OutputListener): void {
    this.listeners.push(listener);
  }

  /** Start a query now (the attacker, if any, races it). Returns the core's handle. */
  query(name: string, type: string | number = 'A', options: QueryOptions = {}): number {
    const now = this.clock.now();
    const handle = this.resolver.query(now, name, type, options);
    if (this.attacker !== undefined) this.attacker.race(now, this.questionOf(handle, name, type));
    this.drain();
    return handle;
  }

  /** Run `action` at virtual time `at` (during a later `run`). */
  at(at: number, action: () => void): void {
    this.actions.push(at, action);
  }

  /** The earliest deadline of anything in the world, or `undefined` when all is quiet. */
  deadline(): number | undefined {
    let t = this.resolver.pollDeadline();
    const others = [this.network.deadline(), this.actions.peekTime(), this.attacker?.deadline(), ...this.servers.map((s) => s.deadline())];
    for (const d of others) if (d !== undefined && (t === undefined || d < t)) t = d;
    return t;
  }

  /**
   * Step until nothing has a deadline, or until virtual time `until` (the
   * clock then ends at `until`). Returns the steps taken. Throws
   * {@link SimulationError} past `maxSteps`.
   */
  run(until?: number): number {
    let taken = 0;
    for (let t = this.deadline(); t !== undefined && (until === undefined || t <= until); t = this.deadline()) {
      if (++taken > this.maxSteps) {
        throw new SimulationError(`livelock: ${this.maxSteps} steps without going idle (virtual time ${this.clock.now()} ms)`);
      }
      this.step(t);
    }
    if (until !== undefined) this.clock.advanceTo(until);
    this.steps += taken;
    return taken;
  }

  /** Advance to `t` and process everything due then. */
  private step(t: number): void {
    const now = this.clock.advanceTo(t);
    for (const { value } of this.actions.popDue(now)) value();
    const inbound: Received[] = [];
    for (const d of this.network.poll(now)) {
      if (d.to.address === this.client.address) inbound.push({ data: d.data, peer: d.from });
      else this.servers.find((s) => s.owns(d.to))?.handle(now, d);
    }
    if (inbound.length > 0) this.resolver.handleDatagrams(now, inbound);
    for (const s of this.servers) for (const p of s.poll(now)) this.network.send(now, p);
    if (this.attacker !== undefined) for (const p of this.attacker.poll(now)) this.network.send(now, p);
    const d = this.resolver.pollDeadline();
    if (d !== undefined && d <= now) this.resolver.handleTimeout(now);
    this.drain();
  }

  /** Drain the core onto the network and tell the listeners. */
  drain(): void {
    const now = this.clock.now();
    const out = this.resolver.poll();
    for (const t of out.transmits) {
      if (t.peer.transport === 'doh') continue;
      const packet: Packet = { from: { ...this.client, transport: t.peer.transport }, to: t.peer, data: t.data };
      this.network.send(now, packet);
    }
    for (const l of this.listeners) l(now, out);
  }

  private questionOf(handle: number, name: string, type: string | number): Question {
    void handle;
    return { name: parseName(name).name, type: typeFromInput(type), class: 1 };
  }
}
