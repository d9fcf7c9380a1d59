import { describe, expect, it } from 'vitest';
import type { AnswerEvent } from '../../src/index.js';
import { A, B, finals, makeResolver, reply } from '../helpers/core-harness.js';

describe('coalescing identical questions in flight', () => {
  it('sends one datagram for N asks and gives each its own final event', () => {
    const r = makeResolver();
    const h1 = r.query(0, 'www.test');
    const h2 = r.query(5, 'WWW.TEST');
    const h3 = r.query(7, 'www.test', 'A', { timeout: 100 });
    const other = r.query(7, 'www.test', 'AAAA');
    const out = r.poll();
    expect(out.transmits.map((t) => t.handle)).toEqual([h1, other]);
    expect(r.inFlight).toBe(4);
    r.handleDatagrams(20, [{ data: reply(out.transmits[0]!), peer: A }]);
    const ev = finals(r.poll()) as AnswerEvent[];
    expect(ev.map((e) => [e.handle, e.source, e.sent, e.elapsed, e.question.name])).toEqual([
      [h1, 'network', 1, 20, 'www.test'], [h2, 'coalesced', 0, 15, 'WWW.TEST'], [h3, 'coalesced', 0, 13, 'www.test'],
    ]);
    expect(r.stats.coalesced).toBe(2);
    expect(r.stats.answered).toBe(3);
  });

  it('cancelling a follower leaves the others; cancelling the leader hands its resolution over', () => {
    const r = makeResolver();
    const h1 = r.query(0, 'www.test');
    const h2 = r.query(0, 'www.test');
    const h3 = r.query(0, 'www.test');
    const t1 = r.poll().transmits[0]!;
    r.cancel(1, h2);
    expect(finals(r.poll())).toMatchObject([{ handle: h2, code: 'ECANCELLED' }]);
    r.cancel(2, h1);
    const out = r.poll();
    expect(out.transmits).toEqual([]);
    expect(finals(out)).toMatchObject([{ handle: h1, code: 'ECANCELLED' }]);
    r.handleDatagrams(3, [{ data: reply(t1), peer: A }]);
    expect(finals(r.poll())).toMatchObject([{ handle: h3, kind: 'answer', source: 'network', sent: 1 }]);
    expect(r.held).toMatchObject({ queries: 0, attempts: 0, timers: 0 });
  });

  it('a leader past its deadline hands over; the heir keeps retrying on its own timer and deadline', () => {
    const r = makeResolver({ timeout: 400, minTimeout: 400 });
    const h1 = r.query(0, 'www.test', 'A', { timeout: 300 });
    const h2 = r.query(100, 'www.test', 'A', { timeout: 2000 });
    expect(r.poll().transmits).toHaveLength(1);
    r.handleTimeout(300);
    const out = r.poll();
    expect(finals(out)).toMatchObject([{ handle: h1, code: 'ETIMEOUT' }]);
    expect(r.pollDeadline()).toBe(400);
    r.handleTimeout(400);
    const next = r.poll().transmits;
    expect(next.map((t) => [t.handle, t.peer])).toEqual([[h2, B]]);
    r.handleDatagrams(450, [{ data: reply(next[0]!), peer: B }]);
    expect(finals(r.poll())).toMatchObject([{ handle: h2, kind: 'answer', sent: 2, elapsed: 350 }]);
  });

  it('a follower past its own deadline times out alone; a failure is shared; coalesce: false sends each', () => {
    const r = makeResolver();
    const h1 = r.query(0, 'www.test');
    const h2 = r.query(0, 'www.test', 'A', { timeout: 50 });
    const h3 = r.query(0, 'www.test');
    const t1 = r.poll().transmits[0]!;
    r.handleTimeout(50);
    expect(finals(r.poll())).toMatchObject([{ handle: h2, code: 'ETIMEOUT' }]);
    r.handleDatagrams(60, [{ data: reply(t1, { rcode: 2, answers: [] }), peer: A }]);
    const t2 = r.poll().transmits[0]!;
    r.handleDatagrams(61, [{ data: reply(t2, { rcode: 2, answers: [] }), peer: B }]);
    expect(finals(r.poll())).toMatchObject([
      { handle: h1, code: 'ESERVFAIL' }, { handle: h3, code: 'ESERVFAIL', source: 'coalesced', sent: 0 },
    ]);
    const off = makeResolver({ coalesce: false });
    off.query(0, 'www.test');
    off.query(0, 'www.test');
    expect(off.poll().transmits).toHaveLength(2);
  });

  it('cancelAll ends leader and followers once each', () => {
    const r = makeResolver();
    for (let i = 0; i < 4; i++) r.query(0, 'www.test');
    expect(r.cancelAll(1)).toBe(4);
    expect(finals(r.poll()).map((e) => e.kind === 'error' && e.code)).toEqual(Array(4).fill('ECANCELLED'));
    expect(r.held).toMatchObject({ queries: 0, attempts: 0, timers: 0 });
    expect(r.pollDeadline()).toBeUndefined();
  });
});
