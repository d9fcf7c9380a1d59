/**
 * Everything of a simulation but the resolver: a virtual clock, a network,
 * zone servers, an optional off-path attacker and scheduled actions, all
 * seeded from one number. {@link Simulation} puts a bare core in it; the
 * promise-facing {@link SimResolver} puts the promise API's loop in it.
 */
import type { Received, Transmit } from '../core/types.js';
import type { Question } from '../core/codec/types.js';
import { OffPathAttacker, type AttackerOptions } from './attacker.js';
import { VirtualClock } from './clock.js';
import { Network, type LinkOptions } from './network.js';
import type { SimEndpoint } from './packet.js';
import { Prng } from './prng.js';
import { TimeQueue } from './queue.js';
import { ZoneServer, type ZoneServerOptions } from './server.js';

/** Options of a {@link World}. */
export interface WorldOptions {
  /** Seeds every random choice: the resolver's bytes, the network, the servers, the attacker. */
  readonly seed: number;
  readonly servers: readonly (ZoneServer | ZoneServerOptions)[];
  /** Every link's behaviour unless set with `network.setLink`. */
  readonly network?: LinkOptions;
  /** The resolver's address (default `10.0.0.1`, port 40000). */
  readonly client?: string;
  /** Add an off-path attacker that races every query. */
  readonly attacker?: Omit<AttackerOptions, 'victim' | 'servers'>;
  /** Virtual time at the start (default 0). */
  readonly start?: number;
}

/** The network side of a simulation. */
export class World {
  readonly clock: VirtualClock;
  readonly network: Network;
  readonly servers: ZoneServer[];
  readonly attacker: OffPathAttacker | undefined;
  readonly client: SimEndpoint;
  readonly prng: Prng;
  private readonly actions = new TimeQueue<() => void>();

  constructor(options: WorldOptions) {
    this.prng = new Prng(options.seed);
    this.clock = new VirtualClock(options.start ?? 0);
    this.client = { transport: 'udp', address: options.client ?? '10.0.0.1', port: 40000 };
    this.network = new Network(this.prng.fork('network'), options.network ?? {});
    this.servers = options.servers.map((s, i) => (s instanceof ZoneServer ? s : new ZoneServer({ prng: this.prng.fork(`server ${i}`), ...s })));
    this.attacker = options.attacker === undefined ? undefined : new OffPathAttacker(
      { ...options.attacker, victim: this.client, servers: this.servers.map((s) => s.udp) }, this.prng.fork('attacker'));
  }

  /** The servers as a resolver's `servers` option (`192.0.2.1:53`, `[2001:db8::1]:53`). */
  serverList(): string[] {
    return this.servers.map((s) => `${s.udp.address.includes(':') ? `[${s.udp.address}]` : s.udp.address}:${s.udp.port}`);
  }

  /** The resolver's random source, seeded from the world's seed. */
  resolverRandom(): (bytes: Uint8Array) => Uint8Array {
    return this.prng.fork('resolver').random;
  }

  /** Run `action` at virtual time `at`. */
  at(at: number, action: () => void): void {
    this.actions.push(at, action);
  }

  /** The victim is about to ask `question`: the attacker, if any, races it. */
  asked(question: Question): void {
    this.attacker?.race(this.clock.now(), question);
  }

  /** The earliest deadline of the network, servers, attacker and actions, or `undefined`. */
  deadline(): number | undefined {
    let t: number | undefined;
    const all = [this.network.deadline(), this.actions.peekTime(), this.attacker?.deadline()];
    for (const s of this.servers) all.push(s.deadline());
    for (const d of all) if (d !== undefined && (t === undefined || d < t)) t = d;
    return t;
  }

  /**
   * Move the clock to `t` and process what is due: scheduled actions, then
   * deliveries (servers answer into the network), then the attacker.
   * Returns the datagrams that arrived for the resolver, in order.
   */
  step(t: number): Received[] {
    const now = this.clock.advanceTo(t);
    for (const { value } of this.actions.popDue(now)) value();
    const inbound: Received[] = [];
    for (const d of this.network.poll(now)) {
      if (d.to.address === this.client.address) inbound.push({ data: d.data, peer: d.from });
      else this.servers.find((s) => s.owns(d.to))?.handle(now, d);
    }
    for (const s of this.servers) for (const p of s.poll(now)) this.network.send(now, p);
    if (this.attacker !== undefined) for (const p of this.attacker.poll(now)) this.network.send(now, p);
    return inbound;
  }

  /** Put the resolver's datagrams on the network now (DoH and DoT have no place here and are dropped). */
  send(transmits: readonly Transmit[]): void {
    const now = this.clock.now();
    for (const t of transmits) {
      if (t.peer.transport === 'doh' || t.peer.transport === 'tls') continue;
      this.network.send(now, { from: { ...this.client, transport: t.peer.transport }, to: t.peer, data: t.data });
    }
  }
}
