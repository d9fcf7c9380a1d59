/** The send pacer (issue 18): a bounded number of sends per turn, stale ones skipped, no timer for a steady flow. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SendPacer, type PacedSink } from '../../../../src/drivers/node/send-pacer.js';
import type { Transmit } from '../../../../src/index.js';

const tx = (handle: number): Transmit => ({ data: new Uint8Array(12), peer: { transport: 'udp', address: '127.0.0.1', port: 53 }, handle, token: handle });
const turn = (): Promise<void> => new Promise((res) => setImmediate(res));

function sink(wanted: (t: Transmit) => boolean = () => true): PacedSink & { sent: number[] } {
  const sent: number[] = [];
  return { sent, wants: wanted, write: (t) => void sent.push(t.handle) };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('SendPacer', () => {
  it('in a turn the driver marks (beginTurn/endTurn) queues no microtask, keeps the bound, and leaves a whole budget after', async () => {
    const micro = vi.spyOn(globalThis, 'queueMicrotask');
    const p = new SendPacer(3);
    const s = sink();
    p.write(s, tx(0)); // an earlier run spent some of the budget
    expect(micro).toHaveBeenCalledTimes(1);
    await Promise.resolve();
    p.write(s, tx(1));
    p.beginTurn();
    for (let i = 2; i < 7; i++) p.write(s, tx(i));
    p.endTurn();
    expect(micro).toHaveBeenCalledTimes(2);
    expect(s.sent).toEqual([0, 1, 2, 3, 4]);
    expect(p.queued).toBe(2);
    await turn();
    expect(s.sent).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // After the marked turn, a run outside one is reset by its microtask, as before.
    p.beginTurn();
    p.write(s, tx(7));
    p.endTurn();
    for (let i = 8; i < 11; i++) p.write(s, tx(i));
    expect(s.sent.slice(7)).toEqual([7, 8, 9, 10]);
    expect(micro).toHaveBeenCalledTimes(3);
  });

  it('sends perTurn at once, the rest one batch per turn, in order', async () => {
    const p = new SendPacer(100);
    const s = sink();
    for (let i = 0; i < 250; i++) p.write(s, tx(i));
    expect(s.sent.length).toBe(100);
    expect(p.queued).toBe(150);
    await turn();
    expect(s.sent.length).toBe(200);
    await turn();
    expect(s.sent).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(p.queued).toBe(0);
  });

  it('skips what its sink no longer wants, without counting it', async () => {
    const p = new SendPacer(10);
    const s = sink((t) => t.handle % 2 === 0);
    for (let i = 0; i < 40; i++) p.write(s, tx(i));
    await turn();
    expect(s.sent.slice(10)).toEqual([10, 12, 14, 16, 18, 20, 22, 24, 26, 28]);
  });

  it('a new synchronous run gets a fresh budget; a steady flow schedules no immediate', async () => {
    const immediate = vi.spyOn(globalThis, 'setImmediate');
    const p = new SendPacer(2);
    const s = sink();
    for (let run = 0; run < 5; run++) {
      p.write(s, tx(run * 2));
      p.write(s, tx(run * 2 + 1));
      await Promise.resolve();
    }
    expect(s.sent.length).toBe(10);
    expect(immediate).not.toHaveBeenCalled();
  });

  it('sends nothing once stopped', async () => {
    const p = new SendPacer(1);
    const s = sink();
    p.write(s, tx(1));
    p.write(s, tx(2));
    p.stop();
    p.write(s, tx(3));
    await turn();
    expect(s.sent).toEqual([1]);
  });
});
