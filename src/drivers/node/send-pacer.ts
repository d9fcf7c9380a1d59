/**
 * Sends bounded per event-loop turn. A burst of transmissions (100,000
 * queries started in one loop, or their retransmissions falling due
 * together) would otherwise run as one long synchronous turn of `send`
 * calls (each ~10 µs in Node), during which no timer fires and no answer is
 * read, so every deadline behind it is late by the whole burst.
 *
 * The pacer sends at once while this turn's budget (`perTurn` sends) lasts,
 * then queues, and sends the queue `perTurn` at a time, one batch per turn
 * (`setImmediate`, after timers and I/O of that turn). A turn is one
 * synchronous run of code (a timer callback, a socket event, the caller's
 * loop of queries): its budget is reset by a microtask queued at its first
 * send, so an ordinary flow of sends schedules no timer at all. When a queued
 * transmission's turn comes, it is sent only if its channel still wants it
 * (the query is still waiting for it, the socket is open): a query that
 * ended meanwhile, at its deadline or by an answer to an earlier attempt,
 * costs no send. So an overloaded driver sheds retransmissions, never
 * deadlines.
 *
 * A turn the driver runs itself (the transport's pass over a turn's input,
 * `turn-batch.ts`), like the pacer's own turns, is marked with {@link SendPacer.beginTurn} and
 * {@link SendPacer.endTurn}: its end is known, so its sends queue no
 * microtask (Node's `queueMicrotask` makes an `AsyncResource` and a bound
 * function each time: three objects a turn, about one a query, issue 13).
 */
import type { Transmit } from '../../core/types.js';

/** Where a paced transmission goes. */
export interface PacedSink {
  /** Still worth sending: the channel is open and `t` is still outstanding on it. */
  wants(t: Transmit): boolean;
  /** Send now. Must not throw (a socket error is the sink's to handle). */
  write(t: Transmit): void;
}

/** A queue of transmissions sent at most `perTurn` per turn. */
export class SendPacer {
  private sinks: (PacedSink | undefined)[] = [];
  private items: (Transmit | undefined)[] = [];
  private head = 0;
  /** Sends in the current turn: the synchronous run of code now going on, reset by a microtask after it. */
  private used = 0;
  private armed = false;
  private stopped = false;
  /** Between `beginTurn` and `endTurn`: the budget is reset at the end, not by a microtask. */
  private inTurn = false;
  private readonly reset = (): void => {
    this.used = 0;
  };

  constructor(private readonly perTurn: number) {}

  /** Transmissions waiting for a later turn. */
  get queued(): number {
    return this.items.length - this.head;
  }

  /**
   * Send `t` to `sink` now if this turn's budget allows and nothing is
   * queued before it, else queue it for a later turn. A steady flow of a
   * few sends per turn costs one microtask per turn and no timer.
   */
  write(sink: PacedSink, t: Transmit): void {
    if (this.stopped) return;
    if (this.head === this.items.length && this.used < this.perTurn) {
      this.spend();
      sink.write(t);
      return;
    }
    this.sinks.push(sink);
    this.items.push(t);
    this.arm();
  }

  /** Drop everything queued and send nothing more. */
  stop(): void {
    this.stopped = true;
    this.sinks = [];
    this.items = [];
    this.head = 0;
  }

  /** A turn the driver runs starts: the budget is whole (it was spent by earlier runs, if at all). */
  beginTurn(): void {
    this.used = 0;
    this.inTurn = true;
  }

  /** That turn ended: the next synchronous run gets a whole budget, as after a microtask reset. */
  endTurn(): void {
    this.used = 0;
    this.inTurn = false;
  }

  private spend(): void {
    if (this.used++ === 0 && !this.inTurn) queueMicrotask(this.reset);
  }

  private arm(): void {
    if (this.armed) return;
    this.armed = true;
    setImmediate(this.turn);
  }

  /** A turn of its own for the queue: up to `perTurn` sends, the rest in the next. */
  private readonly turn = (): void => {
    this.armed = false;
    if (this.stopped) return;
    this.beginTurn(); // a turn of its own: no microtask to reset the budget
    const { sinks, items } = this;
    while (this.head < items.length && this.used < this.perTurn) {
      const i = this.head++;
      const sink = sinks[i] as PacedSink;
      const t = items[i] as Transmit;
      sinks[i] = undefined;
      items[i] = undefined;
      if (!sink.wants(t)) continue;
      this.spend();
      sink.write(t);
    }
    if (this.head === items.length) {
      this.sinks = [];
      this.items = [];
      this.head = 0;
    } else {
      if (this.head >= 4096 && this.head * 2 >= items.length) {
        this.sinks = sinks.slice(this.head);
        this.items = items.slice(this.head);
        this.head = 0;
      }
      this.arm();
    }
    this.endTurn();
  };
}
