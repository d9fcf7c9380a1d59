/**
 * A model of the retransmission schedule of Node's `dns.promises.Resolver`
 * (c-ares 1.34, the version Node 20.20 bundles: `process.versions.ares`), on
 * virtual time, so the simulator can show Node's schedule beside ours on
 * the same seeded network. Written from c-ares' behaviour as its sources
 * describe it (src/lib/ares_process.c, ares_metrics.c, ares_private.h); no
 * code of it is used. Modelled:
 * - a try's timeout: the server's metric (the mean latency of its recent
 *   answers × 5, from the first time bucket of 1 min, 15 min, 1 h, 1 day or
 *   ever that holds 3 answers, the current bucket or else the one before),
 *   else the configured timeout (Node: `timeout`, default c-ares' 2000 ms);
 *   never under 250 ms nor over 5000 ms;
 * - doubled for each round through the server list, then cut by a random
 *   share of up to a half (jitter), never under the undoubled value;
 * - `tries` (Node's default 4) tries per server, each to the server with the
 *   fewest failures in a row (ties: configured order); a try's timeout counts
 *   a failure of its server, an answer clears them;
 * - one ID per query for all its tries, so a late answer to an earlier try is
 *   still accepted; latency is measured from the latest send;
 * - the probe of a failed server: on a query's first send to a server without
 *   failures, with a 1-in-10 chance, an extra query with no retries to the
 *   first failed server whose retry delay (5 s after its last failure) has
 *   passed and that has no probe pending (c-ares clears that mark only when
 *   a query ends with an answer from the server).
 * Not modelled: TCP, EDNS and cookie fallbacks, SERVFAIL handling, the query
 * cache (every name in the benches is unique), `rotate`.
 */
import { Prng, type World } from '../src/sim.js';
import type { Endpoint, Received, Transmit } from '../src/index.js';
import { encodeQuery, parseName } from '../src/codec.js';
import type { LoopClient, LoopEvent } from './sim-closed-loop.js';

/** Node's options that shape the schedule. */
export interface NodeScheduleOptions {
  /** Node's `timeout` (ms, per try); absent: c-ares' default 2000 ms. */
  readonly timeout?: number;
  /** Node's `tries` (default 4). */
  readonly tries?: number;
}

const MIN_TIMEOUT = 250;
const MAX_TIMEOUT = 5000;
const RETRY_CHANCE = 10;
const RETRY_DELAY = 5000;
/** Seconds of a monotonic clock at virtual time 0: buckets roll over where a real clock would put them. */
const CLOCK_OFFSET_S = 1_000_000;
const BUCKET_SECONDS = [60, 900, 3600, 86_400, 0] as const;

interface Bucket { ts: number; total: number; count: number; prevTs: number; prevTotal: number; prevCount: number }
interface Server { readonly index: number; readonly endpoint: Endpoint; failures: number; nextRetry: number; probePending: boolean; readonly buckets: Bucket[] }
interface Query { readonly handle: number; readonly id: number; readonly labels: readonly Uint8Array[]; readonly wire: Uint8Array; tries: number; server: Server; sentAt: number; timeoutAt: number; readonly noRetry: boolean }

function bucketTs(seconds: number, nowS: number, previous: boolean): number {
  if (seconds === 0) return previous ? 0 : 1;
  if (!previous) return Math.floor(nowS / seconds);
  return seconds >= nowS ? 0 : Math.floor((nowS - seconds) / seconds);
}

/** The c-ares schedule as a sans-IO client of the closed-loop load. */
export class NodeScheduleModel implements LoopClient {
  sent = 0;
  private readonly servers: Server[];
  private readonly queries = new Map<number, Query>();
  private readonly prng: Prng;
  private readonly timeout: number;
  private readonly tries: number;
  private transmits: Transmit[] = [];
  private events: LoopEvent[] = [];
  private nextHandle = 1;

  constructor(world: World, o: NodeScheduleOptions, seed: number) {
    this.prng = new Prng(seed).fork('node schedule');
    this.timeout = o.timeout ?? 2000;
    this.tries = o.tries ?? 4;
    this.servers = world.servers.map((s, index) => ({
      index, endpoint: s.udp, failures: 0, nextRetry: 0, probePending: false,
      buckets: BUCKET_SECONDS.map(() => ({ ts: 0, total: 0, count: 0, prevTs: 0, prevTotal: 0, prevCount: 0 })),
    }));
  }

  query(now: number, name: string): number {
    const q = this.newQuery(parseName(name).labels, false, this.best());
    this.send(q, now, undefined);
    return q.handle;
  }

  handleDatagrams(now: number, datagrams: readonly Received[]): void {
    for (const d of datagrams) {
      if (d.data.length < 12 || (d.data[2] as number) < 0x80) continue;
      const q = this.queries.get(((d.data[0] as number) << 8) | (d.data[1] as number));
      const server = this.servers.find((s) => 'address' in d.peer && 'address' in s.endpoint && s.endpoint.address === d.peer.address);
      if (q === undefined || server === undefined) continue;
      this.record(server, now, Math.max(1, now - q.sentAt));
      if (server.failures > 0) server.failures = 0;
      this.end(q, 'answer', server);
    }
  }

  handleTimeout(now: number): void {
    for (const q of [...this.queries.values()].sort((a, b) => a.timeoutAt - b.timeoutAt)) {
      if (q.timeoutAt > now || !this.queries.has(q.id)) continue;
      q.server.failures++;
      q.server.nextRetry = now + RETRY_DELAY;
      q.tries++;
      if (q.tries < this.servers.length * this.tries && !q.noRetry) this.send(q, now, undefined);
      else this.end(q, 'error', undefined);
    }
  }

  pollDeadline(): number | undefined {
    let at: number | undefined;
    for (const q of this.queries.values()) if (at === undefined || q.timeoutAt < at) at = q.timeoutAt;
    return at;
  }

  poll(): { transmits: Transmit[]; events: LoopEvent[] } {
    const out = { transmits: this.transmits, events: this.events };
    this.transmits = [];
    this.events = [];
    return out;
  }

  private newQuery(labels: readonly Uint8Array[], noRetry: boolean, server: Server): Query {
    let id: number;
    do id = this.prng.int(65536); while (this.queries.has(id));
    const wire = encodeQuery({ id, labels, type: 1, class: 1, rd: true, cd: false, edns: { payload: 1232, do: false } });
    const q: Query = { handle: this.nextHandle++, id, labels, wire, tries: 0, server, sentAt: 0, timeoutAt: 0, noRetry };
    this.queries.set(id, q);
    return q;
  }

  /** The server with the fewest failures in a row; ties by configured order. */
  private best(): Server {
    let best = this.servers[0] as Server;
    for (const s of this.servers) if (s.failures < best.failures) best = s;
    return best;
  }

  private send(q: Query, now: number, to: Server | undefined): void {
    const server = to ?? this.best();
    const probeOthers = to === undefined && server.failures === 0 && q.tries === 0;
    q.server = server;
    q.sentAt = now;
    q.timeoutAt = now + this.tryTimeout(q, server, now);
    this.transmits.push({ data: q.wire, peer: server.endpoint, handle: q.handle, token: 0 });
    this.sent++;
    if (probeOthers) this.probe(q, server, now);
  }

  private tryTimeout(q: Query, server: Server, now: number): number {
    const base = this.metricTimeout(server, now);
    const rounds = Math.floor(q.tries / this.servers.length);
    let t = base * 2 ** rounds;
    if (rounds > 0) t -= Math.floor(t * ((this.prng.int(65536) / 65535) * 0.5));
    return Math.max(t, base);
  }

  private metricTimeout(server: Server, now: number): number {
    const nowS = Math.floor(now / 1000) + CLOCK_OFFSET_S;
    let t = 0;
    for (let i = 0; i < BUCKET_SECONDS.length && t === 0; i++) {
      const b = server.buckets[i] as Bucket;
      const seconds = BUCKET_SECONDS[i] as number;
      if (b.ts === bucketTs(seconds, nowS, false) && b.count >= 3) t = Math.floor(b.total / b.count) * 5;
      else if (b.prevTs === bucketTs(seconds, nowS, true) && b.prevCount >= 3) t = Math.floor(b.prevTotal / b.prevCount) * 5;
    }
    if (t === 0) t = this.timeout;
    return Math.min(Math.max(t, MIN_TIMEOUT), MAX_TIMEOUT);
  }

  private record(server: Server, now: number, ms: number): void {
    const nowS = Math.floor(now / 1000) + CLOCK_OFFSET_S;
    BUCKET_SECONDS.forEach((seconds, i) => {
      const b = server.buckets[i] as Bucket;
      const ts = bucketTs(seconds, nowS, false);
      if (ts !== b.ts) Object.assign(b, { prevTs: b.ts, prevTotal: b.total, prevCount: b.count, ts, total: 0, count: 0 });
      b.total += Math.round(ms);
      b.count++;
    });
  }

  private probe(q: Query, server: Server, now: number): void {
    const last = this.servers.reduce((a, b) => (b.failures >= a.failures ? b : a));
    if (last.failures === 0 || this.prng.int(65536) % RETRY_CHANCE !== 0) return;
    const order = [...this.servers].sort((a, b) => a.failures - b.failures || a.index - b.index);
    const target = order.find((s) => s.failures > 0 && !s.probePending && now >= s.nextRetry);
    if (target === undefined || target === server) return;
    target.probePending = true;
    this.send(this.newQuery(q.labels, true, target), now, target);
  }

  private end(q: Query, kind: 'answer' | 'error', server: Server | undefined): void {
    if (server !== undefined) server.probePending = false;
    this.queries.delete(q.id);
    this.events.push({ kind, handle: q.handle });
  }
}
