/**
 * The promise-facing simulated resolver for users' tests: the same API as
 * the Node driver's resolver (Node's `dns.promises.Resolver` shape, from
 * `src/api`), running on virtual time in a seeded {@link World}. A driver like
 * the others: its platform is the world (the simulator's network and clock).
 *
 * Virtual time moves only while the caller's code is idle, as fake timers do
 * (`idle-runner.ts`): calls made in the same tick start at the same virtual
 * time, then the world steps to its next event, one step per macrotask,
 * after every promise continuation the last step released. So 2,000
 * `resolve4` in one `Promise.all` overlap as they would on a network (about
 * 2 s of virtual time at 30% loss each way, not one query after the other),
 * coalescing and shared RTT estimates come into play, and `await
 * resolver.resolve4(name)` against a 30%-loss network gives the same result
 * on every run, in no wall time. `idle()` waits until nothing is left to run.
 *
 * With `autoRun: false`, virtual time moves only in `settle()`.
 */
import { PromiseResolver } from '../../api/promise-resolver.js';
import type { PromiseResolverOptions } from '../../api/options.js';
import { serversFromNode } from '../../api/servers.js';
import { recordingCore } from '../../trace/recorder.js';
import { restore, snapshot, type ResolverSnapshot, type RestoreOptions } from '../../core/snapshot.js';
import { decodeMessage } from '../../core/codec/index.js';
import type { Transmit } from '../../core/types.js';
import { HandleTable } from '../../core/handle-table.js';
import type { CoreLoop, Transport } from '../../api/loop.js';
import { livelock, nextDeadline, runWorld, type DriverStep } from '../../sim/simulation.js';
import { World, type WorldOptions } from '../../sim/world.js';
import { IdleRunner } from './idle-runner.js';
import { simDnssecCore } from './dnssec.js';
import type { DnssecSwitch } from '../../api/dnssec.js';

/** Options of {@link SimResolver}: the world's, and the promise API's (Node's `timeout`/`tries`, the core's). */
export interface SimResolverOptions extends WorldOptions, Omit<PromiseResolverOptions, 'servers'> {
  /** Servers to ask, in Node's syntax (default: every server of the world). */
  readonly ask?: PromiseResolverOptions['servers'];
  /** Advance virtual time whenever the caller's code is idle (default true); `false`: only in `settle()`. */
  readonly autoRun?: boolean;
  /** Steps allowed without going idle before it is a livelock (default 1,000,000). */
  readonly maxSteps?: number;
  /** Validate DNSSEC on virtual time: UNIX seconds are `epoch` (default 1,700,000,000) + virtual ms / 1000. */
  readonly dnssec?: DnssecSwitch;
  readonly epoch?: number;
}

/** A {@link Transport} on virtual time: sends into the world, keeps the loop's one timer, tells `busy` when either has something to run. */
class SimTransport implements Transport {
  loop: CoreLoop | undefined;
  timer: { at: number; fire: () => void } | undefined;
  private readonly raced = new Set<number>();

  constructor(private readonly world: World, private readonly busy: () => void) {}

  attach(loop: CoreLoop): void {
    this.loop = loop;
  }

  close(): void {
    this.timer = undefined;
  }

  now(): number {
    return this.world.clock.now();
  }

  /** The loop's waiting queries in a `HandleTable` (`handle-table.ts`), as the Node driver keeps them (issue 13). */
  handleTable<T>(): HandleTable<T> {
    return new HandleTable<T>();
  }

  /** A finished query sends no more: forget that it asked the world (the set stays as large as the queries in flight). */
  finished(handle: number): void {
    this.raced.delete(handle);
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
    this.busy();
  }

  setTimer(deadline: number | undefined, fire: () => void): void {
    this.timer = deadline === undefined ? undefined : { at: deadline, fire };
    if (deadline !== undefined) this.busy();
  }
}

/** A Node-shaped promise resolver in a seeded, simulated world. */
export class SimResolver extends PromiseResolver {
  /** The network, servers, attacker and clock. */
  readonly world: World;
  private readonly transports: SimTransport[];
  private readonly maxSteps: number;
  /** Steps the world while the caller is idle; undefined with `autoRun: false`. */
  private readonly runner: IdleRunner | undefined;
  /** Callers of `idle()` waiting for the world to go idle. */
  private waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(options: SimResolverOptions) {
    const world = new World(options);
    const transports: SimTransport[] = [];
    const { seed: _s, servers: _z, network: _n, client: _c, attacker: _a, start: _t, autoRun: _r, maxSteps: _m, ask, ...rest } = options;
    const api: PromiseResolverOptions = ask === undefined ? rest : { ...rest, servers: ask };
    let busy = (): void => undefined;
    super(api, () => {
      const t = new SimTransport(world, () => busy());
      transports.push(t);
      return t;
    }, world.resolverRandom(), world.serverList(), serversFromNode, simDnssecCore(options.dnssec, options.epoch) ?? recordingCore);
    this.world = world;
    this.transports = transports;
    this.maxSteps = options.maxSteps ?? 1_000_000;
    if (options.autoRun === false) return;
    const runner = new IdleRunner(() => this.step(), this.maxSteps, (steps) => this.livelocked(steps));
    this.runner = runner;
    busy = () => runner.kick();
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

  /**
   * Advance virtual time now, synchronously, until nothing is pending (or
   * until `until`). Returns the steps taken. Throws `SimulationError` past
   * `maxSteps` (a livelock).
   */
  settle(until?: number): number {
    return runWorld(this.world, this.maxSteps, until, () => this.current()?.timer?.at, this.deliver);
  }

  /**
   * Resolves once virtual time has nothing left to run: every query settled,
   * every datagram delivered. Rejects with `SimulationError` on a livelock,
   * and every query in flight is cancelled. With `autoRun: false`, settles.
   */
  idle(): Promise<void> {
    const runner = this.runner;
    if (runner === undefined) {
      try {
        this.settle();
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      runner.kick();
    });
  }

  /** The transport of the current server set (`setServers` makes a new one). */
  private current(): SimTransport | undefined {
    return this.transports[this.transports.length - 1];
  }

  /** Hand the loop what arrived at `now`, and run its timer when due. */
  private readonly deliver: DriverStep = (now, inbound) => {
    const transport = this.current();
    if (transport?.loop === undefined) return;
    if (inbound.length > 0) transport.loop.receive(inbound);
    const timer = transport.timer;
    if (timer !== undefined && timer.at <= now) timer.fire();
  };

  /** One step of the runner: the world and the loop to their next deadline; false when idle (and `idle()` callers are told). */
  private step(): boolean {
    const at = nextDeadline(this.world, () => this.current()?.timer?.at);
    if (at === undefined) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w.resolve();
      return false;
    }
    const inbound = this.world.step(at);
    this.deliver(this.world.clock.now(), inbound);
    return true;
  }

  /** `maxSteps` steps without going idle: cancel what is in flight, reject `idle()` callers. */
  private livelocked(steps: number): void {
    const error = livelock(this.world, steps);
    const waiters = this.waiters;
    this.waiters = [];
    this.cancel();
    for (const w of waiters) w.reject(error);
  }
}
