/**
 * One event-loop turn, one pass through the core (issue 13). Node reads a
 * socket until it would block and emits each datagram on its own; handing
 * each to the core and draining after each makes every answer run the
 * whole path alone (decode, settle, the caller's next query, one send), so
 * each follow-up query leaves alone and wakes the server alone. c-ares
 * reads everything ready and answers on `setImmediate`: all replies first,
 * then all new queries in one burst.
 *
 * The batch does the same for the Node transport. What arrives during the
 * poll phase of a turn (UDP datagrams of every socket, TCP messages,
 * TLS and DoH answers) is collected; the queries the caller starts ask for a
 * drain instead of draining each. Once per turn, in the check phase
 * (`setImmediate`, after the I/O of the turn was read), everything
 * collected is handed to the core as one array
 * (`handleDatagrams(now, [...])`, which fires the timers due first), and the
 * core is drained once: its events settle the waiting calls, and the
 * datagrams it produced go out as one burst (through the send pacer, which
 * still bounds a burst per turn). Queries the caller starts from those
 * settlements ask for the next turn's drain, so they too leave together.
 *
 * The records handed to the core are reused (the core keeps neither the
 * list nor a record, ARCHITECTURE.md "Where a datagram goes"); two lists
 * alternate, so a datagram delivered while a batch is in the core lands in
 * the next batch, never in the one being read.
 */
import type { Endpoint, Received } from '../../core/types.js';

interface Slot { data: Uint8Array; peer: Endpoint; token?: number }

const EMPTY = new Uint8Array(0);

/** One list of received records, reused turn after turn. */
class Side {
  readonly slots: Slot[] = [];
  readonly withToken: Slot[] = [];
  list: Slot[] = [];
}

/** Collects a turn's input and pending drain, and runs them once per turn. */
export class TurnBatch {
  private current = new Side();
  private spare = new Side();
  private drainWanted = false;
  private armed = false;
  private stopped = false;
  private readonly turn = (): void => {
    this.armed = false;
    this.run();
  };

  /**
   * @param receive hands the core one array of datagrams and drains it (`CoreLoop.receive`).
   * @param drain drains the core (`CoreLoop.drain`), for a turn in which queries started and nothing arrived.
   */
  constructor(
    private readonly receive: (batch: readonly Received[]) => void,
    private readonly drain: () => void,
  ) {}

  /** Datagrams (or messages) waiting for this turn's pass. */
  get size(): number {
    return this.current.list.length;
  }

  /** `data` arrived from `peer` (with the DoH transmission's `token`): into this turn's batch. */
  add(data: Uint8Array, peer: Endpoint, token?: number): void {
    if (this.stopped) return;
    const side = this.current;
    const i = side.list.length;
    const pool = token === undefined ? side.slots : side.withToken;
    let slot = pool[i];
    if (slot === undefined) {
      slot = token === undefined ? { data, peer } : { data, peer, token };
      pool[i] = slot;
    } else {
      slot.data = data;
      slot.peer = peer;
      if (token !== undefined) slot.token = token;
    }
    side.list.push(slot);
    this.arm();
  }

  /** The caller started queries: drain once at this turn's pass. */
  drainSoon(): void {
    if (this.stopped) return;
    this.drainWanted = true;
    this.arm();
  }

  /**
   * Run the pass now: what arrived goes to the core (one `receive`, which
   * drains), else a drain if one was asked for. The wall timer calls this
   * before firing, so an answer already read wins over its retry (issue 14).
   */
  run(): void {
    const side = this.current;
    const batch = side.list;
    if (batch.length === 0) {
      if (!this.drainWanted) return;
      this.drainWanted = false;
      this.drain();
      return;
    }
    this.current = this.spare;
    this.spare = side;
    this.drainWanted = false;
    try {
      this.receive(batch);
    } finally {
      for (let i = 0; i < batch.length; i++) (batch[i] as Slot).data = EMPTY;
      batch.length = 0;
    }
  }

  /** Drop what is collected and run nothing more. */
  stop(): void {
    this.stopped = true;
    this.current.list.length = 0;
    this.drainWanted = false;
  }

  private arm(): void {
    if (this.armed) return;
    this.armed = true;
    setImmediate(this.turn);
  }
}
