/** A transport for API tests: a manual clock, captured transmits, one timer fired by hand. */
import packet from 'dns-packet';
import type { CoreLoop, Transport } from '../../../src/api/loop.js';
import type { Transmit } from '../../../src/index.js';

export class FakeTransport implements Transport {
  loop!: CoreLoop;
  time = 1000;
  sent: Transmit[] = [];
  timer: { at: number; fire: () => void } | undefined;
  timerSets = 0;
  finishedHandles: number[] = [];
  closed = false;

  attach(loop: CoreLoop): void { this.loop = loop; }
  now(): number { return this.time; }
  send(transmits: readonly Transmit[]): void { this.sent.push(...transmits); }
  setTimer(deadline: number | undefined, fire: () => void): void {
    this.timerSets++;
    this.timer = deadline === undefined ? undefined : { at: deadline, fire };
  }
  finished(handle: number): void { this.finishedHandles.push(handle); }
  close(): void { this.closed = true; }

  /** Advance the clock, firing the timer when due. */
  advance(ms: number): void {
    this.time += ms;
    if (this.timer !== undefined && this.timer.at <= this.time) this.timer.fire();
  }

  /** Answer the transmit `t` with a response built from its query. */
  answer(t: Transmit, build: (q: packet.Packet) => Partial<packet.Packet>, rcode = 0): void {
    const q = packet.decode(Buffer.from(t.data));
    const r = { id: q.id, type: 'response', flags: packet.RECURSION_DESIRED | rcode, questions: q.questions, ...build(q) } as packet.Packet;
    this.loop.receive([{ data: packet.encode(r), peer: t.peer }]);
  }

  last(): Transmit {
    const t = this.sent[this.sent.length - 1];
    if (t === undefined) throw new Error('nothing sent');
    return t;
  }
}

/** The question name of a transmit (0x20 case as sent). */
export function qname(t: Transmit): string {
  return packet.decode(Buffer.from(t.data)).questions?.[0]?.name ?? '';
}
