/**
 * A mirror of a promise resolver's core, for the command's output.
 *
 * The promise API (`NodeResolver` of `sansdns/node`, `SimResolver`,
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
 */
import { Resolver as Core, endpointKey, type Endpoint, type ResolverEvent, type TraceEvent } from '../index.js';
import { fromHex } from '../codec.js';
import { feedInput, type TraceRecord } from '../trace.js';
import type { Outcome, TimelineEntry } from './outcome.js';

interface Tagged {
  readonly record: TraceRecord;
  tag: number | undefined;
}

interface Query {
  readonly name: string;
  readonly type: string;
  readonly start: number;
  /** Index in the log where it started. */
  readonly from: number;
  outcome: Outcome | undefined;
}

/** Follows a promise resolver's core through its recorded inputs. */
export class CoreMirror {
  private core: Core | undefined;
  private readonly bytes: Uint8Array[] = [];
  private pending: Tagged | undefined;
  private readonly byHandle = new Map<number, Query>();
  private readonly byTag = new Map<number, Query>();
  /** Every trace event, in order. */
  private readonly log: TraceEvent[] = [];
  private nextTag: number | undefined;

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
      const handle = feedInput(core, r);
      if (r.op === 'query' && handle !== undefined) {
        const q: Query = { name: r.name, type: String(r.type), start: r.now, from: this.log.length, outcome: undefined };
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
        if (this.traced) this.log.push(e);
        continue;
      }
      const q = this.byHandle.get(e.handle);
      if (q === undefined) continue;
      this.byHandle.delete(e.handle);
      const timeline = this.traced ? this.timeline(q, e.handle) : undefined;
      const common = { name: q.name, type: e.question.typeName, elapsed: e.elapsed, sent: e.sent, timeline };
      q.outcome = e.kind === 'answer'
        ? { ...common, kind: 'answer', message: e.message, server: e.server, size: lastReceiveSize(timeline, e.server) }
        : { ...common, kind: 'error', code: e.code, message: e.error.message };
    }
  }

  /** The query's own events, and the drops (which belong to no query) while it was in flight. */
  private timeline(q: Query, handle: number): TimelineEntry[] {
    const out: TimelineEntry[] = [];
    for (let i = q.from; i < this.log.length; i++) {
      const e = this.log[i] as TraceEvent;
      if (e.handle !== handle && e.handle !== undefined) continue;
      out.push({ offset: e.at - q.start, what: e.what, peer: e.peer, id: e.id, size: e.size, detail: e.detail });
    }
    return out;
  }
}

function lastReceiveSize(timeline: readonly TimelineEntry[] | undefined, server: Endpoint): number | undefined {
  if (timeline === undefined) return undefined;
  for (let i = timeline.length - 1; i >= 0; i--) {
    const e = timeline[i] as TimelineEntry;
    if (e.what === 'receive' && e.peer !== undefined && endpointKey(e.peer) === endpointKey(server)) return e.size;
  }
  return undefined;
}
