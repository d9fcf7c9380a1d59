/**
 * The one loop every driver runs around the core: feed input, drain output,
 * arm one timer. No DNS logic lives here; it only routes final events to the
 * promises waiting for them. Platform specifics (sockets, fetch, a real or a
 * virtual clock) come in through {@link Platform}.
 *
 * This file is the API's contract with the drivers: a driver implements
 * {@link Transport} (a {@link Platform} it can attach to a loop and release)
 * and hands the promise API a {@link TransportFactory}. It sits below the
 * drivers, so the arrows point one way (drivers → api → core).
 */
import type { HandleMap } from '../core/handle-table.js';
import type { Resolver } from '../core/resolver.js';
import { DnsError, type TransportErrorCode } from '../core/errors.js';
import { errorEvent } from '../core/events.js';
import { prepareQuestion } from '../core/question.js';
import { AbortListeners } from './abort-listeners.js';
import type {
  AnswerEvent, ErrorEvent, QueryOptions, Received, TraceEvent, Transmit,
} from '../core/types.js';

/** What a platform provides to the loop. */
export interface Platform {
  /** The current time in ms on the timeline the core was given (monotonic). */
  now(): number;
  /** Send these datagrams (frame TCP, POST DoH, ...). Must not call back into the loop synchronously. */
  send(transmits: readonly Transmit[]): void;
  /** Replace the single timer: call `fire` at `deadline` (absolute), or disarm on `undefined`. */
  setTimer(deadline: number | undefined, fire: () => void): void;
  /**
   * Optional: the query `handle` has had its final event, so nothing more will
   * be sent or accepted for it (a driver may release what it kept for it:
   * sockets it used, transmissions it would report errors for).
   */
  finished?(handle: number): void;
  /**
   * Optional: a new table by query handle, for the loop's waiting queries
   * (default: a `Map`). The Node driver gives a `HandleTable`
   * (`core/handle-table.ts`), which unlike a `Map` leaves no chain of old
   * tables keeping settled queries alive between full collections (issue 13),
   * and so does the simulator's; a DoH page keeps the `Map`, for its bytes.
   */
  handleTable?<T>(): HandleMap<T>;
  /**
   * Optional: queries were started; call the loop's `drain()` once later in
   * this event-loop turn instead of after each (the Node driver batches a
   * turn's input and starts, issue 13). Without it, each start drains at once.
   */
  drainSoon?(): void;
}

/** What the loop needs of a table by query handle (`core/handle-table.ts`): a `Map` has it. */
export type { HandleMap };

/** A platform the API can run a core on, and release. */
export interface Transport extends Platform {
  /** Called once, before any send, with the loop to feed. */
  attach(loop: CoreLoop): void;
  /** Release sockets; called after every query has settled. */
  close(): void;
}

/** Builds a fresh transport for each server set. */
export type TransportFactory = () => Transport;

export type FinalEvent = AnswerEvent | ErrorEvent;

/**
 * What waits for a query's final event: an object with a method, not a
 * closure, so a caller can keep its per-call state in one object of its own
 * (the promise layer's `Call`, issue 13: no closure per query).
 */
export interface Settler {
  /** Called once, from a drain (or a microtask), with the query's final event. */
  settle(event: FinalEvent): void;
}

/** Per-call options of the loop: the core's, plus an AbortSignal. */
export interface LoopQueryOptions extends QueryOptions {
  readonly signal?: AbortSignal;
}

const NO_OPTIONS: LoopQueryOptions = Object.freeze({});

function withoutSignal(options: LoopQueryOptions): QueryOptions {
  const { signal: _signal, ...rest } = options;
  return rest;
}

/** Runs a core on a platform. */
export class CoreLoop {
  /** What waits for each query's final event (see {@link Platform.handleTable}). */
  private readonly waiting: HandleMap<Settler>;
  /** The last transport failure of each query waiting, told by the platform (see {@link fail}). */
  private readonly causes = new Map<number, Error>();
  /** One listener per AbortSignal, however many queries share it (`abort-listeners.ts`). */
  private readonly aborts = new AbortListeners((handles) => this.cancelEach(handles));
  private readonly fire = (): void => {
    this.core.handleTimeout(this.platform.now());
    this.drain();
  };

  constructor(
    readonly core: Resolver,
    private readonly platform: Platform,
    /** Told every trace event drained (the core must be built with `trace: true`, or validate with `explain`). */
    private readonly onTrace?: (event: TraceEvent) => void,
  ) {
    this.waiting = platform.handleTable?.() ?? new Map();
  }

  /** Queries waiting for their final event. */
  get pending(): number {
    return this.waiting.size;
  }

  /**
   * Start a query and call `settle.settle` once with its final event (from a later
   * drain, never synchronously). Throws the core's typed error synchronously
   * for bad input, and then `settle` is never called. The promise layer uses
   * this to make one promise per call. Returns the query's handle (for
   * {@link cancel}; `settle` may have run already, from the cache), or
   * `undefined` when `signal` was aborted before it started.
   */
  start(name: string, type: string | number, options: LoopQueryOptions, settle: Settler): number | undefined {
    // The hot path (no signal): no copy of the options, and no closure, nor the context one would need here (issue 13).
    const signal = options.signal;
    const coreOptions = signal === undefined ? options : withoutSignal(options);
    if (signal?.aborted) return this.abortedSoon(name, type, coreOptions, settle);
    const handle = this.core.query(this.platform.now(), name, type, coreOptions);
    this.waiting.set(handle, signal === undefined ? settle : this.abortable(signal, handle, settle));
    this.drainStarted();
    return handle;
  }

  /** What waits for `handle` when `signal` may cancel it: `settle`, after the listener is gone. */
  private abortable(signal: AbortSignal, handle: number, settle: Settler): Settler {
    this.aborts.add(signal, handle);
    return {
      settle: (event) => {
        this.aborts.remove(signal, handle);
        settle.settle(event);
      },
    };
  }

  /** A query whose signal aborted before it started: `ECANCELLED` in a microtask, nothing started. */
  private abortedSoon(name: string, type: string | number, options: QueryOptions, settle: Settler): undefined {
    // The caller's checks still run, so bad input throws even with an aborted signal.
    const event = errorEvent(0, prepareQuestion(name, type, options.class).question, 'ECANCELLED', 'aborted before it started', 0, 0);
    queueMicrotask(() => settle.settle(event));
    return undefined;
  }

  /** After a start: drain now, or once in this turn when the platform batches. */
  private drainStarted(): void {
    if (this.platform.drainSoon === undefined) this.drain();
    else this.platform.drainSoon();
  }

  /** Cancel one query (its promise resolves with `ECANCELLED`). */
  cancel(handle: number): void {
    this.core.cancel(this.platform.now(), handle);
    this.drain();
  }

  /** Cancel these queries (those still in flight), then drain once. */
  private cancelEach(handles: readonly number[]): void {
    const now = this.platform.now();
    for (const handle of handles) this.core.cancel(now, handle);
    this.drain();
  }

  /** Cancel every query in flight. */
  cancelAll(): void {
    this.core.cancelAll(this.platform.now());
    this.drain();
  }

  /** Datagrams arrived from the network. */
  receive(datagrams: readonly Received[]): void {
    this.core.handleDatagrams(this.platform.now(), datagrams);
    this.drain();
  }

  /**
   * A transmission failed in the platform. `cause` says what failed (TLS,
   * ALPN, an HTTP status, ...): when the query then ends with this `code`,
   * its error carries it as `cause`, and its message says it.
   */
  fail(transmit: Transmit, code: TransportErrorCode, cause?: Error): void {
    if (cause !== undefined && this.waiting.get(transmit.handle) !== undefined) this.causes.set(transmit.handle, cause);
    this.core.handleError(this.platform.now(), transmit, code);
    this.drain();
  }

  /** Drain the core: send, settle, re-arm. Called after every input. */
  drain(): void {
    const out = this.core.poll();
    if (out.transmits.length > 0) this.platform.send(out.transmits);
    const events = out.events;
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as FinalEvent | TraceEvent;
      if (event.kind === 'trace') {
        this.onTrace?.(event);
        continue;
      }
      const handle = event.handle;
      this.platform.finished?.(handle);
      const settle = this.waiting.get(handle);
      if (settle === undefined) continue;
      this.waiting.delete(handle);
      settle.settle(this.causes.size === 0 ? event : this.withCause(event));
    }
    this.platform.setTimer(out.deadline, this.fire);
  }

  /** `event`, its error explained by the transport failure kept for its query, if it has that code. */
  private withCause(event: FinalEvent): FinalEvent {
    const cause = this.causes.get(event.handle);
    if (cause === undefined) return event;
    this.causes.delete(event.handle);
    if (event.kind !== 'error' || (cause as { code?: unknown }).code !== event.code) return event;
    const error = new DnsError(event.code, `${event.error.message} (${cause.message})`, { cause });
    return { ...event, error };
  }
}
