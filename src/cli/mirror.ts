/**
 * A mirror of a promise resolver's core, for the command's output.
 *
 * The promise API (`Resolver` of `sansdns/node`, `SimResolver`,
 * `DohResolver`) takes a `trace` callback that receives every input of its
 * core: the options, each query, datagram, timer and socket error with its
 * `now`, and every random byte drawn. The core is deterministic, so feeding
 * those inputs to a second core built with `trace: true` reproduces, event
 * for event, what the first one did, with the reasons: every send, timer,
 * retry, fallback and drop. That second core is this mirror. It also gives
 * every query's final event with its elapsed time and datagram count, which
 * the promise API does not expose for errors.
 *
 * Random bytes are recorded after the input that drew them, so each input
 * is applied to the mirror when the next one arrives, or on {@link flush}.
 *
 * The mirror also keeps the last response each query received, so a
 * question that ended with REFUSED or SERVFAIL can be printed as dig prints
 * it (the core's error event carries the code, not the message). Memory is
 * bounded by the queries in flight: a finished query's response and, once
 * no query in flight needs them, its trace events are let go.
 */
import { Resolver as Core, endpointKey, type Endpoint, type ResolverEvent, type TraceEvent } from '../index.js';
import { decodeMessage, fromHex } from '../codec.js';
import { feedInput, type TraceRecord } from '../trace.js';
import type { Outcome, Reply, TimelineEntry } from './outcome.js';

interface Tagged {
  readonly record: TraceRecord;
  tag: number | undefined;
}

interface Query {
  readonly name: string;
  readonly type: string;
  readonly start: number;
  /** Position in the log (counted from its first event ever) where it started. */
  readonly from: number;
  outcome: Outcome | undefined;
  /** The last response it received. */
  last: { readonly data: Uint8Array; readonly peer: Endpoint } | undefined;
}

/** Codes of a final error that a response caused (so the response is worth showing). */
const BY_RESPONSE = new Set(['ESERVFAIL', 'EREFUSED', 'EFORMERR', 'ENOTIMP', 'EBADRESP']);

/** Follows a promise resolver's core through its recorded inputs. */
export class CoreMirror {
  private core: Core | undefined;
  private readonly bytes: Uint8Array[] = [];
  private pending: Tagged | undefined;
  private readonly byHandle = new Map<number, Query>();
  private readonly byTag = new Map<number, Query>();
  /** Trace events, in order, from position {@link logBase} on. */
  private log: TraceEvent[] = [];
  private logBase = 0;
  private nextTag: number | undefined;
  /** The datagrams of the input being applied, as recorded (to find the bytes of each `receive`). */
  private batch: readonly { readonly peer: Endpoint; readonly hex: string }[] = [];

  /** @param traced keep the timeline of each query (costs memory in bulk). */
  constructor(private readonly traced: boolean) {}

  /** Pass this as the resolver's `trace` option. */
  readonly record = (record: TraceRecord): void => {
    if (record.op === 'random') {
      this.bytes.push(fromHex(record.hex));
      return;
    }
    this.flush();
    this.pending = { record, tag: record.op === 'query' ? this.nextTag : undefined };
    if (record.op === 'query') this.nextTag = undefined;
  };

  /** Trace events held (bounded by the queries in flight, not by how many ran). */
  get heldEvents(): number {
    return this.log.length;
  }

  /** Name the next query the real resolver starts (call right before `query()`). */
  expect(tag: number): void {
    this.nextTag = tag;
  }

  /** Apply the input still waiting for its random bytes. */
  flush(): void {
    const p = this.pending;
    if (p === undefined) return;
    this.pending = undefined;
    this.apply(p);
    if (this.core !== undefined) this.collect(this.core.poll().events);
  }

  /** The outcome of the query tagged `tag`, once it has its final event (handed out once). */
  take(tag: number): Outcome | undefined {
    this.flush();
    const outcome = this.byTag.get(tag)?.outcome;
    if (outcome !== undefined) this.byTag.delete(tag);
    return outcome;
  }

  private apply({ record: r, tag }: Tagged): void {
    if (r.op === 'init') {
      this.core = new Core({ ...r.options, trace: true, random: (buf) => this.draw(buf) });
      return;
    }
    const core = this.core;
    if (core === undefined) return;
    try {
      if (r.op === 'datagrams') this.batch = r.datagrams;
      const handle = feedInput(core, r);
      if (r.op === 'query' && handle !== undefined) {
        const q: Query = { name: r.name, type: String(r.type), start: r.now, from: this.logBase + this.log.length, outcome: undefined, last: undefined };
        this.byHandle.set(handle, q);
        if (tag !== undefined) this.byTag.set(tag, q);
      }
    } catch {
      // A caller mistake: it threw on the real core too, and changed nothing.
    }
  }

  private draw(buf: Uint8Array): void {
    const next = this.bytes.shift();
    if (next !== undefined) buf.set(next.subarray(0, buf.length));
  }

  private collect(events: readonly ResolverEvent[]): void {
    for (const e of events) {
      if (e.kind === 'trace') {
        if (e.what === 'receive') this.noteReceive(e);
        if (this.traced) this.log.push(e);
        continue;
      }
      const q = this.byHandle.get(e.handle);
      if (q === undefined) continue;
      this.byHandle.delete(e.handle);
      const timeline = this.traced ? this.timeline(q, e.handle) : undefined;
      const common = { name: q.name, type: e.question.typeName, elapsed: e.elapsed, sent: e.sent, timeline };
      const reply = this.replyOf(q);
      q.outcome = e.kind === 'answer'
        ? { ...common, kind: 'answer', message: e.message, server: e.server, size: reply?.size }
        : { ...common, kind: 'error', code: e.code, message: e.error.message, reply: BY_RESPONSE.has(e.code) ? reply : undefined };
      q.last = undefined;
    }
    this.batch = [];
    this.prune();
  }

  /** Remember the bytes of a response a query accepted for matching (ID, peer and size tell it in its batch). */
  private noteReceive(e: TraceEvent): void {
    const q = e.handle === undefined ? undefined : this.byHandle.get(e.handle);
    if (q === undefined || e.peer === undefined) return;
    const peer = e.peer;
    const key = endpointKey(peer);
    const d = this.batch.find((x) => x.hex.length === 2 * (e.size ?? -1) && parseInt(x.hex.slice(0, 4), 16) === e.id && endpointKey(x.peer) === key);
    if (d !== undefined) q.last = { data: fromHex(d.hex), peer };
  }

  private replyOf(q: Query): Reply | undefined {
    if (q.last === undefined) return undefined;
    const decoded = decodeMessage(q.last.data, 65_535);
    return decoded.ok ? { message: decoded.message, server: q.last.peer, size: q.last.data.length } : undefined;
  }

  /** Let go of trace events no query in flight needs (when the log has grown). */
  private prune(): void {
    if (this.log.length < 4096) return;
    let keep = this.logBase + this.log.length;
    for (const q of this.byHandle.values()) keep = Math.min(keep, q.from);
    if (keep - this.logBase < this.log.length / 2) return;
    this.log = this.log.slice(keep - this.logBase);
    this.logBase = keep;
  }

  /** The query's own events, and the drops (which belong to no query) while it was in flight. */
  private timeline(q: Query, handle: number): TimelineEntry[] {
    const out: TimelineEntry[] = [];
    for (let i = q.from - this.logBase; i < this.log.length; i++) {
      const e = this.log[i] as TraceEvent;
      if (e.handle !== handle && e.handle !== undefined) continue;
      out.push({ offset: e.at - q.start, what: e.what, peer: e.peer, id: e.id, size: e.size, detail: e.detail });
    }
    return out;
  }
}
