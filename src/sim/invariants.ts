/**
 * Invariants of the core contract (ARCHITECTURE.md rules 2, 3, 7, 9, 11), checked
 * on a running {@link Simulation}: exactly one final event per query; nothing
 * sent for a query after its final event; no query outlives its deadline;
 * when every query is done the core holds no state and reports no deadline;
 * a forged answer is accepted only when it is indistinguishable from the
 * server's own (peer, ID and question of a live attempt: a perfect guess),
 * and never when it came from another source or for another question.
 * Violations are collected as text, not thrown, so a test can print the seed.
 */
import { namesEqual } from '../core/codec/index.js';
import type { Output, AnswerEvent, ErrorEvent } from '../core/types.js';
import { isForged } from './attacker.js';
import type { Simulation } from './simulation.js';

interface Tracked {
  readonly start: number;
  readonly deadline: number;
  final: (AnswerEvent | ErrorEvent) | undefined;
  finalAt: number;
  /** `peer id` of every datagram sent for this query. */
  readonly sent: Set<string>;
}

/** Watches one simulation. Call {@link InvariantChecker.query} instead of `sim.query`. */
export class InvariantChecker {
  readonly violations: string[] = [];
  /** Forged answers accepted because the attacker guessed a live ID exactly (the RFC 5452 §9.2 residual risk). */
  perfectGuesses = 0;
  private readonly tracked = new Map<number, Tracked>();

  constructor(private readonly sim: Simulation) {
    sim.onOutput((now, out) => this.observe(now, out));
  }

  /** Start a query through the simulation and track it. `timeout` must match what the core uses. */
  query(name: string, type: string | number, timeout: number, options: { timeout?: number } = {}): number {
    const start = this.sim.now();
    const handle = this.sim.query(name, type, options);
    this.tracked.set(handle, { start, deadline: start + timeout, final: undefined, finalAt: 0, sent: this.sent.get(handle) ?? new Set() });
    this.sent.delete(handle);
    const early = this.early.get(handle);
    this.early.delete(handle);
    if (early !== undefined) this.observe(early.now, { transmits: [], events: [early.event], deadline: undefined });
    return handle;
  }

  /** Final events seen, by handle. */
  finals(): (AnswerEvent | ErrorEvent)[] {
    return [...this.tracked.values()].flatMap((t) => (t.final === undefined ? [] : [t.final]));
  }

  /** Check what can only be checked at the end; call when the simulation is idle. */
  finish(): string[] {
    for (const [handle, t] of this.tracked) if (t.final === undefined) this.fail(`query ${handle} has no final event`);
    const core = this.sim.resolver;
    if (core.inFlight !== 0) this.fail(`core still holds ${core.inFlight} queries`);
    if (core.pollDeadline() !== undefined) this.fail(`core reports deadline ${String(core.pollDeadline())} with nothing in flight`);
    return this.violations;
  }

  // Transmits of a query are seen before `query` returns its handle; park them here.
  private readonly sent = new Map<number, Set<string>>();
  // So is the final event of a query answered from the cache within the call.
  private readonly early = new Map<number, { now: number; event: AnswerEvent | ErrorEvent }>();

  private observe(now: number, out: Output): void {
    for (const x of out.transmits) {
      const t = this.tracked.get(x.handle);
      if (t?.final !== undefined) this.fail(`query ${x.handle} sent a datagram at ${now} after its final event at ${t.finalAt}`);
      const set = t?.sent ?? this.sent.get(x.handle) ?? new Set<string>();
      if (t === undefined) this.sent.set(x.handle, set);
      set.add(`${JSON.stringify(x.peer)} ${(x.data[0] ?? 0) * 256 + (x.data[1] ?? 0)}`);
    }
    for (const e of out.events) {
      if (e.kind === 'trace') continue;
      const t = this.tracked.get(e.handle);
      if (t === undefined) {
        this.early.set(e.handle, { now, event: e });
        continue;
      }
      if (t.final !== undefined) this.fail(`query ${e.handle} got a second final event (${e.kind}) at ${now}`);
      t.final = e;
      t.finalAt = now;
      if (now > t.deadline) this.fail(`query ${e.handle} ended at ${now}, after its deadline ${t.deadline}`);
      if (t.start + e.elapsed !== now && Math.abs(t.start + e.elapsed - now) > 1e-6) this.fail(`query ${e.handle}: elapsed ${e.elapsed} disagrees with the clock (start ${t.start}, now ${now}, ${e.kind})`);
      if (e.kind === 'answer') this.checkAnswer(e, t);
    }
  }

  private checkAnswer(e: AnswerEvent, t: Tracked): void {
    const m = e.message;
    if (!isForged(m.answers)) return;
    const q = m.questions[0];
    const peerOk = t.sent.has(`${JSON.stringify(e.server)} ${m.id}`);
    const questionOk = q !== undefined && q.type === e.question.type && namesEqual(q.name, e.question.name, false);
    if (peerOk && questionOk) this.perfectGuesses++;
    else this.fail(`query ${e.handle} accepted a forged answer that does not match a live attempt (id ${m.id})`);
  }

  private fail(text: string): void {
    if (this.violations.length < 20) this.violations.push(text);
  }
}
