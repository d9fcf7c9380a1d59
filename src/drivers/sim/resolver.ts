/**
 * The promise-facing simulated resolver for users' tests: the same API as
 * the Node driver's resolver (Node's `dns.promises.Resolver` shape, from
 * `src/api`), running on virtual time in a seeded {@link World}. A driver like
 * the others: its platform is the world (the simulator's network and clock). Each call
 * starts its query, then advances the clock until the world is idle, so
 * `await resolver.resolve4(name)` against a 30%-loss network gives the same
 * result on every run, in no wall time.
 *
 * With `autoRun: false`, calls only start queries; call `settle()` to advance
 * (to have several queries in flight at once).
 */
import { PromiseResolver } from '../../api/promise-resolver.js';
import type { PromiseResolverOptions } from '../../api/options.js';
import { serversFromNode } from '../../api/servers.js';
import { recordingCore } from '../../trace/recorder.js';
import { restore, snapshot, type ResolverSnapshot, type RestoreOptions } from '../../core/snapshot.js';
import { decodeMessage } from '../../core/codec/index.js';
import type { Transmit } from '../../core/types.js';
import type { CoreLoop, Transport } from '../../api/loop.js';
import { runWorld } from '../../sim/simulation.js';
import { World, type WorldOptions } from '../../sim/world.js';

/** Options of {@link SimResolver}: the world's, and the promise API's (Node's `timeout`/`tries`, the core's). */
export interface SimResolverOptions extends WorldOptions, Omit<PromiseResolverOptions, 'servers'> {
  /** Servers to ask, in Node's syntax (default: every server of the world). */
  readonly ask?: PromiseResolverOptions['servers'];
  /** Advance the clock after each call until idle (default true). */
  readonly autoRun?: boolean;
  /** Steps allowed per run before it throws (default 1,000,000). */
  readonly maxSteps?: number;
}

/** A {@link Transport} on virtual time: sends into the world, keeps the loop's one timer. */
class SimTransport implements Transport {
  loop: CoreLoop | undefined;
  timer: { at: number; fire: () => void } | undefined;
  private readonly raced = new Set<number>();

  constructor(private readonly world: World) {}

  attach(loop: CoreLoop): void {
    this.loop = loop;
  }

  close(): void {
    this.timer = undefined;
  }

  now(): number {
    return this.world.clock.now();
  }

  send(transmits: readonly Transmit[]): void {
    for (const t of transmits) {
      if (this.raced.has(t.handle)) continue;
      this.raced.add(t.handle);
      const m = decodeMessage(t.data);
      const q = m.ok ? m.message.questions[0] : undefined;
      if (q !== undefined) this.world.asked(q);
    }
    this.world.send(transmits);
  }

  setTimer(deadline: number | undefined, fire: () => void): void {
    this.timer = deadline === undefined ? undefined : { at: deadline, fire };
  }
}

const AUTO_RUN = [
  'query', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx', 'resolveNaptr',
  'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'resolveSvcb', 'resolveHttps', 'reverse',
] as const;

/** A Node-shaped promise resolver in a seeded, simulated world. */
export class SimResolver extends PromiseResolver {
  /** The network, servers, attacker and clock. */
  readonly world: World;
  private readonly transports: SimTransport[];
  private readonly maxSteps: number;

  constructor(options: SimResolverOptions) {
    const world = new World(options);
    const transports: SimTransport[] = [];
    const { seed: _s, servers: _z, network: _n, client: _c, attacker: _a, start: _t, autoRun: _r, maxSteps: _m, ask, ...rest } = options;
    const api: PromiseResolverOptions = ask === undefined ? rest : { ...rest, servers: ask };
    super(api, () => {
      const t = new SimTransport(world);
      transports.push(t);
      return t;
    }, world.resolverRandom(), world.serverList(), serversFromNode, recordingCore);
    this.world = world;
    this.transports = transports;
    this.maxSteps = options.maxSteps ?? 1_000_000;
    if (options.autoRun !== false) this.wrapCalls();
  }

  /** The current virtual time in ms. */
  now(): number {
    return this.world.clock.now();
  }

  /** What the core has learned, for a warm start: see the Node driver's `snapshot()`. */
  snapshot(): ResolverSnapshot {
    return this.withCore(snapshot);
  }

  /** Warm start from `snapshot()` of another resolver: see the Node driver's `restore()`. */
  restore(saved: ResolverSnapshot, options: RestoreOptions = {}): void {
    this.withCore((core, now) => restore(core, now, saved, options));
  }

  /** Advance virtual time until nothing is pending (or until `until`). Returns the steps taken. */
  settle(until?: number): number {
    const t = (): SimTransport | undefined => this.transports[this.transports.length - 1];
    return runWorld(this.world, this.maxSteps, until, () => t()?.timer?.at, (now, inbound) => {
      const transport = t();
      if (transport?.loop === undefined) return;
      if (inbound.length > 0) transport.loop.receive(inbound);
      const timer = transport.timer;
      if (timer !== undefined && timer.at <= now) timer.fire();
    });
  }

  private wrapCalls(): void {
    const self = this as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of AUTO_RUN) {
      const call = self[name] as (...args: unknown[]) => unknown;
      self[name] = (...args: unknown[]): unknown => {
        const result = call.apply(this, args);
        this.settle();
        return result;
      };
    }
  }
}
