/**
 * The simulated network, sans-IO like the core: hand it a datagram at a time
 * with `send(now, packet)`, take deliveries out with `poll(now)` at or after
 * its `deadline()`. Per directed link between two hosts (by address): latency
 * and jitter, independent loss, bursty loss (Gilbert–Elliott), duplication,
 * reordering and an MTU that truncates UDP. Partitions and host outages are
 * time windows. TCP is carried reliably and in order (the driver's job), but
 * partitions and outages still drop it.
 */
import type { Prng } from './prng.js';
import { TimeQueue } from './queue.js';
import type { Delivery, Packet } from './packet.js';

/** Two-state bursty loss (Gilbert 1960, Elliott 1963): the chain steps once per packet. */
export interface GilbertElliott {
  /** Probability of moving from the good to the bad state, per packet. */
  readonly pGoodToBad: number;
  /** Probability of moving from the bad to the good state, per packet. */
  readonly pBadToGood: number;
  /** Loss probability in the good state (default 0). */
  readonly lossGood?: number;
  /** Loss probability in the bad state (default 1). */
  readonly lossBad?: number;
}

/** Behaviour of one direction of a link. Every field defaults to a perfect wire. */
export interface LinkOptions {
  /** One-way delay in ms (default 0). */
  readonly latency?: number;
  /** Uniform extra delay in [0, jitter) ms (default 0). */
  readonly jitter?: number;
  /** Independent loss probability per UDP datagram (default 0). */
  readonly loss?: number;
  /** Bursty loss, applied in addition to `loss`. */
  readonly gilbertElliott?: GilbertElliott;
  /** Probability that a UDP datagram is delivered twice (default 0). */
  readonly duplicate?: number;
  /** Probability that a UDP datagram is held back by `reorderDelay` (default 0). */
  readonly reorder?: number;
  /** Extra delay of a reordered datagram in ms (default `2 * latency + 10`). */
  readonly reorderDelay?: number;
  /** UDP datagrams longer than this are cut to this many bytes (default: none). */
  readonly mtu?: number;
}

/** A time window `[from, until)` in virtual ms. */
export interface Window {
  readonly from: number;
  readonly until: number;
}

/** Counters of what the network did. */
export interface NetworkStats {
  sent: number;
  delivered: number;
  lost: number;
  duplicated: number;
  reordered: number;
  truncated: number;
  blocked: number;
}

interface LinkState {
  readonly options: LinkOptions;
  bad: boolean;
  lastArrival: number;
}

function inWindow(windows: readonly Window[] | undefined, t: number): boolean {
  return windows !== undefined && windows.some((w) => w.from <= t && t < w.until);
}

/** The simulated network. Deterministic for a given {@link Prng}. */
export class Network {
  readonly stats: NetworkStats = { sent: 0, delivered: 0, lost: 0, duplicated: 0, reordered: 0, truncated: 0, blocked: 0 };
  private readonly queue = new TimeQueue<Packet>();
  private readonly links = new Map<string, LinkState>();
  private readonly outages = new Map<string, Window[]>();
  private readonly partitions = new Map<string, Window[]>();

  /** `defaults` applies to every link not set with {@link setLink}. */
  constructor(
    private readonly prng: Prng,
    private readonly defaults: LinkOptions = {},
  ) {}

  /** Set the link from host `from` to host `to` (addresses); `both` also sets the reverse. */
  setLink(from: string, to: string, options: LinkOptions, both = true): void {
    this.links.set(`${from}>${to}`, { options, bad: false, lastArrival: -Infinity });
    if (both) this.links.set(`${to}>${from}`, { options, bad: false, lastArrival: -Infinity });
  }

  /** Cut every packet between hosts `a` and `b`, both ways, sent during `window`. */
  partition(a: string, b: string, window: Window): void {
    for (const key of [`${a}>${b}`, `${b}>${a}`]) this.partitions.set(key, [...(this.partitions.get(key) ?? []), window]);
  }

  /** Host `address` neither sends nor receives during `window` (a server outage). */
  outage(address: string, window: Window): void {
    this.outages.set(address, [...(this.outages.get(address) ?? []), window]);
  }

  /** True when `address` is down at `t`. */
  isDown(address: string, t: number): boolean {
    return inWindow(this.outages.get(address), t);
  }

  /** Put a datagram on the wire at `now`. */
  send(now: number, packet: Packet): void {
    this.stats.sent++;
    const key = `${packet.from.address}>${packet.to.address}`;
    if (this.isDown(packet.from.address, now) || inWindow(this.partitions.get(key), now)) {
      this.stats.blocked++;
      return;
    }
    const link = this.link(key);
    if (packet.to.transport === 'tcp') return this.sendReliable(now, link, packet);
    if (this.lose(link)) {
      this.stats.lost++;
      return;
    }
    const data = this.cut(link.options, packet.data);
    const copy: Packet = data === packet.data ? packet : { ...packet, data };
    this.queue.push(this.arrival(now, link, true), copy);
    if (this.prng.chance(link.options.duplicate ?? 0)) {
      this.stats.duplicated++;
      this.queue.push(this.arrival(now, link, true), copy);
    }
  }

  /** When the next delivery is due, or `undefined` when nothing is in flight. */
  deadline(): number | undefined {
    return this.queue.peekTime();
  }

  /** Packets in flight. */
  get inFlight(): number {
    return this.queue.size;
  }

  /** Every delivery due at `now`, in arrival order. Packets to a host that is down are dropped. */
  poll(now: number): Delivery[] {
    const out: Delivery[] = [];
    for (const { at, value } of this.queue.popDue(now)) {
      if (this.isDown(value.to.address, at)) {
        this.stats.blocked++;
        continue;
      }
      this.stats.delivered++;
      out.push({ ...value, at });
    }
    return out;
  }

  private link(key: string): LinkState {
    let link = this.links.get(key);
    if (link === undefined) {
      link = { options: this.defaults, bad: false, lastArrival: -Infinity };
      this.links.set(key, link);
    }
    return link;
  }

  private sendReliable(now: number, link: LinkState, packet: Packet): void {
    // In order: never earlier than the previous TCP packet on this link.
    const at = Math.max(this.arrival(now, link, false), link.lastArrival);
    link.lastArrival = at;
    this.queue.push(at, packet);
  }

  private lose(link: LinkState): boolean {
    const o = link.options;
    const ge = o.gilbertElliott;
    let lost = this.prng.chance(o.loss ?? 0);
    if (ge !== undefined) {
      link.bad = link.bad ? !this.prng.chance(ge.pBadToGood) : this.prng.chance(ge.pGoodToBad);
      const p = link.bad ? (ge.lossBad ?? 1) : (ge.lossGood ?? 0);
      if (this.prng.chance(p)) lost = true;
    }
    return lost;
  }

  private cut(o: LinkOptions, data: Uint8Array): Uint8Array {
    if (o.mtu === undefined || data.length <= o.mtu) return data;
    this.stats.truncated++;
    return data.slice(0, o.mtu);
  }

  private arrival(now: number, link: LinkState, mayReorder: boolean): number {
    const o = link.options;
    const latency = o.latency ?? 0;
    let at = now + latency + (o.jitter === undefined || o.jitter <= 0 ? 0 : this.prng.range(0, o.jitter));
    if (mayReorder && this.prng.chance(o.reorder ?? 0)) {
      this.stats.reordered++;
      at += o.reorderDelay ?? 2 * latency + 10;
    }
    return at;
  }
}
