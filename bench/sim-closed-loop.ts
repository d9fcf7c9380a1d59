/**
 * A closed-loop load on virtual time, for the retransmission benches: a
 * {@link LoopClient} (the core, or a model of another resolver's schedule)
 * in a seeded {@link World}, `concurrency` queries of unique names in flight,
 * a new one started as soon as one ends or its budget runs out (the caller
 * gives up on it; the client may go on sending for it, and those datagrams
 * count). Figures: answered within the budget, p99 (an unanswered query
 * counts as never answered), datagrams sent per query, and, for one watched
 * server, how many queries sent to it and the most any one query sent to it.
 */
import { runWorld, type World } from '../src/sim.js';
import type { Received, Transmit } from '../src/index.js';

/** A final event as far as the load cares. */
export interface LoopEvent {
  readonly kind: 'answer' | 'error' | 'trace';
  readonly handle?: number | undefined;
}

/** What the load drives: the core's shape, reduced to what it uses. */
export interface LoopClient {
  query(now: number, name: string): number;
  handleDatagrams(now: number, datagrams: readonly Received[]): void;
  handleTimeout(now: number): void;
  pollDeadline(): number | undefined;
  poll(): { readonly transmits: readonly Transmit[]; readonly events: readonly LoopEvent[] };
  /** Datagrams sent so far. */
  readonly sent: number;
}

/** The shape of the load. */
export interface LoadOptions {
  readonly queries: number;
  readonly concurrency: number;
  /** ms the caller waits for each query. */
  readonly budget: number;
  /** Name of query `i` (unique per query). */
  readonly name: (i: number) => string;
  /** Address of a server to watch (a dead one, say). */
  readonly watch?: string | undefined;
}

/** What a load measured. */
export interface LoadFigures {
  /** Share of queries answered within the budget. */
  readonly answered: number;
  /** 99th percentile of the time to answer; `Infinity` when more than 1% were not answered in the budget. */
  readonly p99: number;
  readonly p50: number;
  /** Datagrams the client sent, per query. */
  readonly perQuery: number;
  /** Queries that sent at least one datagram to the watched server, and the most one query sent to it. */
  readonly watched: { readonly queries: number; readonly maxPerQuery: number };
  /** Virtual ms from the first query to the last event. */
  readonly virtualMs: number;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number;
}

/** Run the load to the end (every query finished in the client, every packet delivered). */
export function closedLoop(world: World, client: LoopClient, o: LoadOptions): LoadFigures {
  const start = new Float64Array(o.queries);
  const latency = new Float64Array(o.queries).fill(Infinity);
  const open = new Uint8Array(o.queries);
  const toWatched = new Uint32Array(o.queries);
  const byHandle = new Map<number, number>();
  let next = 0;
  let active = 0;
  const t0 = world.clock.now();
  const close = (i: number): void => {
    open[i] = 0;
    active--;
  };
  const launch = (now: number): void => {
    while (active < o.concurrency && next < o.queries) {
      const i = next++;
      active++;
      open[i] = 1;
      start[i] = now;
      byHandle.set(client.query(now, o.name(i)), i);
      world.at(now + o.budget, () => {
        if (open[i] === 0) return;
        close(i);
        launch(world.clock.now());
      });
    }
  };
  const drain = (now: number): void => {
    for (let out = client.poll(); out.transmits.length > 0 || out.events.length > 0; out = client.poll()) {
      for (const t of out.transmits) {
        const i = byHandle.get(t.handle);
        if (i !== undefined && 'address' in t.peer && t.peer.address === o.watch) toWatched[i] = (toWatched[i] as number) + 1;
      }
      world.send(out.transmits);
      for (const e of out.events) {
        const i = e.kind === 'trace' || e.handle === undefined ? undefined : byHandle.get(e.handle);
        if (i === undefined || open[i] === 0) continue;
        if (e.kind === 'answer' && now - (start[i] as number) <= o.budget) latency[i] = now - (start[i] as number);
        close(i);
      }
      launch(now);
    }
  };
  launch(t0);
  drain(t0);
  runWorld(world, 50_000_000, undefined, () => client.pollDeadline(), (now, inbound) => {
    if (inbound.length > 0) client.handleDatagrams(now, inbound);
    const d = client.pollDeadline();
    if (d !== undefined && d <= now) client.handleTimeout(now);
    drain(now);
  });
  const answered = latency.filter(Number.isFinite).length;
  let touched = 0;
  let most = 0;
  for (const n of toWatched) {
    if (n > 0) touched++;
    if (n > most) most = n;
  }
  latency.sort();
  return {
    answered: answered / o.queries, p99: percentile(latency, 0.99), p50: percentile(latency, 0.5),
    perQuery: client.sent / o.queries, watched: { queries: touched, maxPerQuery: most }, virtualMs: world.clock.now() - t0,
  };
}

/** Datagrams one query sends to a silent network within `window` ms of its start (a fresh client). */
export function sendsWhenSilent(world: World, client: LoopClient, window: number): number {
  const t0 = world.clock.now();
  client.query(t0, 'silent.example.test');
  let sends = 0;
  const drain = (now: number): void => {
    const out = client.poll();
    if (now - t0 < window) sends += out.transmits.length;
    world.send(out.transmits);
  };
  drain(t0);
  runWorld(world, 1_000_000, t0 + window, () => client.pollDeadline(), (now, inbound) => {
    if (inbound.length > 0) client.handleDatagrams(now, inbound);
    const d = client.pollDeadline();
    if (d !== undefined && d <= now) client.handleTimeout(now);
    drain(now);
  });
  return sends;
}
