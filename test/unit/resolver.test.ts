import { describe, expect, it } from 'vitest';
import { Resolver, isDnsError, type ResolverOptions, type Transmit } from '../../src/index.js';
import { A, B, decode, finals, makeResolver, reply, testRandom } from '../helpers/core-harness.js';

/**
 * A resolver whose random source gives only zeros, with every ID of its first
 * server's UDP slot held by a live query of `filler.test`: IDs are unique per
 * slot while one is free (`AttemptIndex.freshId`), so only now do the next
 * queries share a key (ID 0), as beyond the ID space.
 */
function fullIdSpace(servers: string[] = ['192.0.2.1'], o: Partial<ResolverOptions> = {}): Resolver {
  const r = new Resolver({ servers, random: (b: Uint8Array) => b.fill(0), cache: false, coalesce: false, maxInFlight: 70_000, ...o });
  for (let i = 0; i < 65536; i++) r.query(0, 'filler.test');
  expect(r.poll().transmits.every((t) => 'address' in t.peer && t.peer.address === '192.0.2.1')).toBe(true);
  return r;
}

/** Drive `r` on its own deadlines, no answer ever arriving: when each datagram left, and the time it finished. */
function sendTimesUntilFinal(r: Resolver): { sends: number[]; now: number } {
  const sends: number[] = [];
  let now = 0;
  for (let out = r.poll(); finals(out).length === 0; out = r.poll()) {
    sends.push(...out.transmits.map(() => now));
    now = out.deadline!;
    r.handleTimeout(now);
  }
  return { sends, now };
}

function one(r: Resolver): Transmit {
  const out = r.poll();
  expect(out.transmits).toHaveLength(1);
  return out.transmits[0]!;
}

describe('starting a query', () => {
  it('queues the first datagram in the call that starts it, with EDNS and RD', () => {
    const r = makeResolver();
    const h = r.query(1000, 'Example.COM', 'AAAA');
    expect(h).toBe(1);
    expect(r.pollDeadline()).toBe(1000);
    const out = r.poll();
    expect(out.transmits).toHaveLength(1);
    const t = out.transmits[0]!;
    expect(t.peer).toEqual(A);
    expect(t.handle).toBe(h);
    const m = decode(t.data);
    expect(m.questions).toEqual([{ name: 'Example.COM', type: 28, class: 1 }]);
    expect(m.flags.rd).toBe(true);
    expect(m.edns?.payload).toBe(1232);
    expect(out.deadline).toBe(1400);
    expect(r.pollDeadline()).toBe(1400);
    expect(r.inFlight).toBe(1);
  });

  it('never reuses handles and never queues a query it refuses', () => {
    const r = makeResolver({ maxInFlight: 2 });
    expect(r.query(0, 'a.test')).toBe(1);
    expect(r.query(0, 'b.test')).toBe(2);
    expect(() => r.query(0, 'c.test')).toThrowError(expect.objectContaining({ code: 'ELIMIT' }) as Error);
    expect(r.poll().transmits).toHaveLength(2);
    r.cancel(0, 1);
    const h3 = r.query(0, 'c.test');
    expect([1, 2]).not.toContain(h3);
    r.cancel(0, h3);
    const h4 = r.query(0, 'd.test');
    expect([1, 2, h3]).not.toContain(h4);
    expect(r.cancel(0, 1)).toBe(false);
    expect(r.cancel(0, h3)).toBe(false);
    expect(() => r.cancel(0, h4 + 1)).toThrowError(expect.objectContaining({ code: 'EBADHANDLE' }) as Error);
  });

  it('honours edns: false, recursionDesired: false, CD and DO bits', () => {
    const r = makeResolver({ edns: false, recursionDesired: false });
    r.query(0, 'a.test', 'A', { checkingDisabled: true });
    const m = decode(one(r).data);
    expect(m.edns).toBeUndefined();
    expect(m.flags.rd).toBe(false);
    expect(m.flags.cd).toBe(true);
    const r2 = makeResolver();
    r2.query(0, 'a.test', 'A', { dnssecOk: true });
    expect(decode(one(r2).data).edns?.do).toBe(true);
  });
});

describe('answers', () => {
  it('hands back the decoded answer once, and sends nothing more', () => {
    const r = makeResolver();
    const h = r.query(0, 'www.example.test');
    const t = one(r);
    r.handleDatagrams(12, [{ data: reply(t), peer: A }]);
    const out = r.poll();
    expect(out.transmits).toHaveLength(0);
    expect(out.deadline).toBeUndefined();
    const [ev] = finals(out);
    expect(ev).toMatchObject({ kind: 'answer', handle: h, elapsed: 12, sent: 1, server: A });
    if (ev?.kind !== 'answer') throw new Error('expected an answer');
    expect(ev.message.rcode).toBe(0);
    expect(ev.message.answers).toEqual([{ name: 'www.example.test', type: 'A', class: 1, ttl: 300, data: '192.0.2.80' }]);
    expect(ev.question).toEqual({ name: 'www.example.test', type: 1, class: 1, typeName: 'A' });
    r.handleDatagrams(13, [{ data: reply(t), peer: A }]);
    expect(r.stats.dropped.late).toBe(1);
    r.handleTimeout(100_000);
    expect(r.poll()).toEqual({ transmits: [], events: [], deadline: undefined });
    expect(r.inFlight).toBe(0);
  });

  it('treats NXDOMAIN and NODATA as answers', () => {
    const r = makeResolver();
    r.query(0, 'nx.test');
    r.query(0, 'nodata.test');
    const [t1, t2] = r.poll().transmits;
    r.handleDatagrams(5, [
      { data: reply(t1!, { rcode: 3, answers: [] }), peer: A },
      { data: reply(t2!, { answers: [] }), peer: A },
    ]);
    const evs = finals(r.poll());
    expect(evs.map((e) => (e.kind === 'answer' ? e.message.rcode : e.code))).toEqual([3, 0]);
  });

  it('accepts the question in any case unless told otherwise (RFC 4343)', () => {
    const r = makeResolver();
    r.query(0, 'WwW.Example.test');
    const t = one(r);
    r.handleDatagrams(1, [{ data: reply(t, { questionName: 'www.example.TEST' }), peer: A }]);
    expect(finals(r.poll())[0]?.kind).toBe('answer');
  });
});

describe('matching (RFC 5452)', () => {
  it('drops a wrong peer, a wrong ID, a wrong question and a query, and counts each', () => {
    const r = makeResolver();
    r.query(0, 'a.test');
    const t = one(r);
    const other = { transport: 'udp', address: '198.51.100.1', port: 53 } as const;
    const wrongPort = { transport: 'udp', address: '192.0.2.1', port: 5353 } as const;
    const id = decode(t.data).id;
    r.handleDatagrams(1, [
      { data: reply(t), peer: other },
      { data: reply(t), peer: wrongPort },
      { data: reply(t), peer: { transport: 'tcp', address: '192.0.2.1', port: 53 } },
      { data: reply(t, { id: (id + 1) & 0xffff }), peer: A },
      { data: reply(t, { questionName: 'b.test' }), peer: A },
      { data: reply(t, { qr: false }), peer: A },
      { data: new Uint8Array(0), peer: A },
    ]);
    expect(r.stats.dropped).toMatchObject({ 'unknown-peer': 2, unmatched: 3, 'wrong-question': 1, 'not-response': 1 });
    expect(r.poll().events).toEqual([]);
    expect(r.inFlight).toBe(1);
  });

  it('matches by question when IDs collide beyond the ID space', () => {
    const r = fullIdSpace();
    const h1 = r.query(0, 'one.test');
    const h2 = r.query(0, 'two.test');
    const [t1, t2] = r.poll().transmits;
    expect(decode(t1!.data).id).toBe(decode(t2!.data).id);
    r.handleDatagrams(1, [{ data: reply(t2!), peer: A }]);
    r.handleDatagrams(2, [{ data: reply(t1!), peer: A }]);
    expect(finals(r.poll()).map((e) => e.handle)).toEqual([h2, h1]);
  });

  it('gives each query in flight to a server its own ID while one is free, even from a constant random source', () => {
    const r = new Resolver({ servers: ['192.0.2.1'], random: (b: Uint8Array) => b.fill(0), cache: false, coalesce: false });
    for (let i = 0; i < 50; i++) r.query(0, `q${i}.test`);
    const ids = r.poll().transmits.map((t) => decode(t.data).id);
    expect(new Set(ids).size).toBe(50);
  });

  it('turns a malformed reply from the right peer and ID into a server failure', () => {
    const r = makeResolver();
    r.query(0, 'a.test');
    const t = one(r);
    const bytes = reply(t).slice(0, 20);
    r.handleDatagrams(1, [{ data: bytes, peer: A }]);
    expect(r.stats.dropped.malformed).toBe(1);
    expect(Object.values(r.stats.malformed).reduce((a, b) => a + b, 0)).toBe(1);
    const next = one(r);
    expect(next.peer).toEqual(B);
  });
});

describe('retransmission and deadlines', () => {
  it('moves across servers steadily, sends every explicit try, and ends at the overall deadline exactly', () => {
    const r = makeResolver({ timeout: 100, minTimeout: 100, maxTimeout: 1000, deadline: 700, attempts: 3, backoff: 2 });
    r.query(0, 'a.test');
    const sends: [number, string][] = [];
    let now = 0;
    for (let guard = 0; guard < 20; guard++) {
      const out = r.poll();
      for (const t of out.transmits) sends.push([now, t.peer.transport === 'doh' ? '' : t.peer.address]);
      if (finals(out).length > 0) {
        expect(finals(out)[0]).toMatchObject({ kind: 'error', code: 'ETIMEOUT', elapsed: 700 });
        break;
      }
      expect(out.deadline).toBeGreaterThan(now);
      now = out.deadline!;
      r.handleTimeout(now);
    }
    // 3 tries × 2 servers, one per window of 100 ms (no RTT sample: timeout), all before the deadline.
    expect(sends).toEqual([[0, '192.0.2.1'], [100, '192.0.2.2'], [200, '192.0.2.1'], [300, '192.0.2.2'], [400, '192.0.2.1'], [500, '192.0.2.2']]);
    expect(now).toBe(700);
    expect(r.stats.retransmissions).toBe(5);
    expect(r.stats.timeouts).toBe(6);
  });

  it('backs off a server that answers nothing, and stops when no answer could arrive before the deadline', () => {
    const r = new Resolver({ servers: ['192.0.2.1'], random: testRandom(), deadline: 5000 });
    r.query(0, 'a.test');
    const { sends, now } = sendTimesUntilFinal(r);
    // 400 ms windows (no sample) until demoted by 3 misses, then 800, 1600, 3200; the next would start after the deadline.
    expect(sends).toEqual([0, 400, 800, 1200, 2000, 3600]);
    expect(now).toBe(5000);
    expect(r.stats.demotions).toBe(1);
  });

  it('squeezes explicit tries into a short deadline, and refuses a fixed per-try timeout that cannot fit', () => {
    const r = new Resolver({ servers: ['192.0.2.1'], random: testRandom(), deadline: 300, attempts: 4 });
    r.query(0, 'a.test');
    const { sends, now } = sendTimesUntilFinal(r);
    expect(sends).toEqual([0, 75, 150, 225]);
    const fixed = { servers: ['192.0.2.1', '192.0.2.2'], random: testRandom(), attempts: 4, timeout: 150, minTimeout: 150, maxTimeout: 150 };
    expect(() => new Resolver({ ...fixed, deadline: 1199 })).toThrow(expect.objectContaining({ code: 'EBADOPTION' }) as unknown as Error);
    const ok = new Resolver({ ...fixed, deadline: 1200 });
    expect(() => ok.query(0, 'b.test', 'A', { timeout: 1000 })).toThrow(/4 tries × 2 servers × 150 ms per try = 1200 ms do not fit in the call timeout of 1000 ms/);
    expect(ok.inFlight).toBe(0);
  });

  it('accepts a late answer to an earlier attempt after moving on', () => {
    const r = makeResolver({ timeout: 100 });
    r.query(0, 'a.test');
    const first = one(r);
    r.handleTimeout(100);
    const second = one(r);
    expect(second.peer).toEqual(B);
    r.handleDatagrams(150, [{ data: reply(first), peer: A }]);
    const [ev] = finals(r.poll());
    expect(ev).toMatchObject({ kind: 'answer', server: A, sent: 2 });
    r.handleDatagrams(160, [{ data: reply(second), peer: B }]);
    expect(r.stats.dropped.late).toBe(1);
  });

  it('adapts the attempt timeout to the measured RTT, within the floor, twice that while nothing is lost', () => {
    const r = makeResolver({ timeout: 1000, minTimeout: 50 });
    r.query(0, 'a.test');
    r.handleDatagrams(10, [{ data: reply(one(r)), peer: A }]);
    r.poll();
    r.query(20, 'b.test');
    const out = r.poll();
    // RTO 10 + 4 × 5 = 30, floored at 50, stretched 2× (schedule.ts `patience`: no attempt went unanswered).
    expect(out.deadline).toBe(20 + 100);
  });

  it('gives the same transcript whether handleTimeout runs every ms or only at deadlines', () => {
    const run = (everyMs: boolean): string[] => {
      const r = makeResolver({ timeout: 37, deadline: 500 });
      const log: string[] = [];
      r.query(0, 'a.test');
      r.query(3, 'b.test', 'TXT');
      for (let now = 3; now <= 600; now++) {
        const d = r.pollDeadline();
        if (everyMs || (d !== undefined && d <= now)) r.handleTimeout(now);
        const out = r.poll();
        for (const t of out.transmits) log.push(`${Buffer.from(t.data).toString('hex')}>${JSON.stringify(t.peer)}`);
        for (const e of out.events) log.push(`${e.kind}:${e.kind === 'trace' ? '' : e.handle}`);
      }
      return log;
    };
    expect(run(true)).toEqual(run(false));
  });

  it('clamps time that goes backwards and rejects time that is not finite', () => {
    const r = makeResolver({ timeout: 100 });
    r.query(1000, 'a.test');
    r.poll();
    r.handleTimeout(500);
    expect(r.poll().transmits).toHaveLength(0);
    r.query(10, 'b.test');
    expect(r.poll().deadline).toBe(1100);
    for (const bad of [NaN, Infinity, -Infinity, '5' as unknown as number]) {
      expect(() => r.handleTimeout(bad)).toThrowError(expect.objectContaining({ code: 'EBADTIME' }) as Error);
    }
  });

  it('bounds a query by its own timeout option', () => {
    const r = makeResolver({ deadline: 5000 });
    r.query(0, 'a.test', 'A', { timeout: 250 });
    r.poll();
    r.handleTimeout(250);
    expect(finals(r.poll())[0]).toMatchObject({ code: 'ETIMEOUT', elapsed: 250 });
  });
});

describe('server failures', () => {
  it.each([
    [2, 'ESERVFAIL'],
    [5, 'EREFUSED'],
    [4, 'ENOTIMP'],
    [1, 'EFORMERR'],
    [9, 'EBADRESP'],
  ])('rcode %i from every server ends in %s', (rcode, code) => {
    const r = makeResolver({ edns: false });
    r.query(0, 'a.test');
    r.handleDatagrams(1, [{ data: reply(one(r), { rcode, answers: [] }), peer: A }]);
    const t2 = one(r);
    expect(t2.peer).toEqual(B);
    r.handleDatagrams(2, [{ data: reply(t2, { rcode, answers: [] }), peer: B }]);
    const out = r.poll();
    expect(out.transmits).toHaveLength(0);
    expect(finals(out)[0]).toMatchObject({ kind: 'error', code, sent: 2 });
    expect(out.deadline).toBeUndefined();
  });

  it('a failure from an older attempt does not advance the plan while a newer one waits', () => {
    const r = makeResolver({ timeout: 100, attempts: 2 });
    r.query(0, 'a.test');
    const first = one(r);
    r.handleTimeout(100);
    one(r);
    r.handleDatagrams(120, [{ data: reply(first, { rcode: 2, answers: [] }), peer: A }]);
    expect(r.poll().transmits).toHaveLength(0);
    r.handleTimeout(300);
    const third = r.poll().transmits;
    expect(third.map((t) => t.peer)).toEqual([B]);
  });

  it('moves on after a transport error reported by the driver', () => {
    const r = makeResolver();
    r.query(0, 'a.test');
    const t = one(r);
    r.handleError(1, t, 'ECONNREFUSED');
    r.handleError(1, t, 'ECONNREFUSED');
    const t2 = one(r);
    expect(t2.peer).toEqual(B);
    r.handleError(2, t2, 'ECONNREFUSED');
    expect(finals(r.poll())[0]).toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('EDNS and truncation', () => {
  it('retries without EDNS after FORMERR and remembers the server', () => {
    const r = makeResolver();
    r.query(0, 'a.test');
    const t = one(r);
    r.handleDatagrams(1, [{ data: reply(t, { rcode: 1, answers: [], questions: false, edns: false }), peer: A }]);
    const again = one(r);
    expect(again.peer).toEqual(A);
    expect(decode(again.data).edns).toBeUndefined();
    expect(r.stats.ednsFallbacks).toBe(1);
    r.handleDatagrams(2, [{ data: reply(again), peer: A }]);
    expect(finals(r.poll())[0]?.kind).toBe('answer');
    r.query(3, 'b.test');
    expect(decode(one(r).data).edns).toBeUndefined();
  });

  it('asks the same server over TCP after TC=1, and takes the TCP answer as final', () => {
    const r = makeResolver();
    r.query(0, 'big.test');
    const t = one(r);
    r.handleDatagrams(1, [{ data: reply(t, { tc: true, answers: [] }), peer: A }]);
    const tcp = one(r);
    expect(tcp.peer).toEqual({ transport: 'tcp', address: '192.0.2.1', port: 53 });
    r.handleDatagrams(2, [{ data: reply(tcp), peer: tcp.peer }]);
    const [ev] = finals(r.poll());
    expect(ev).toMatchObject({ kind: 'answer', server: tcp.peer, sent: 2 });
    expect(r.stats.tcpFallbacks).toBe(1);
  });

  it('uses TCP directly for a tcp server', () => {
    const r = new Resolver({ servers: [{ address: '192.0.2.9', port: 5300, transport: 'tcp' }], random: testRandom() });
    r.query(0, 'a.test');
    const t = one(r);
    expect(t.peer).toEqual({ transport: 'tcp', address: '192.0.2.9', port: 5300 });
    r.handleDatagrams(1, [{ data: reply(t), peer: t.peer }]);
    expect(finals(r.poll())[0]?.kind).toBe('answer');
  });

  it('takes TC=1 over TCP as a bad response from that server, not as an answer (issue 15)', () => {
    const r = new Resolver({ servers: [{ address: '192.0.2.9', port: 5300, transport: 'tcp' }], random: testRandom() });
    r.query(0, 'a.test');
    const t = one(r);
    r.handleDatagrams(1, [{ data: reply(t, { tc: true }), peer: t.peer }]);
    const [ev] = finals(r.poll());
    expect(ev).toMatchObject({ kind: 'error', code: 'EBADRESP' });
  });
});

describe('DoH servers', () => {
  it('sends ID 0 and matches by the echoed token', () => {
    const url = 'https://doh.example/dns-query';
    const r = new Resolver({ servers: [url], random: testRandom(), coalesce: false });
    r.query(0, 'a.test');
    r.query(0, 'a.test');
    const [t1, t2] = r.poll().transmits;
    expect(decode(t1!.data).id).toBe(0);
    expect(t1!.peer).toEqual({ transport: 'doh', url });
    r.handleDatagrams(1, [{ data: reply(t2!), peer: t2!.peer }]);
    expect(r.stats.dropped.unmatched).toBe(1);
    r.handleDatagrams(1, [{ data: reply(t2!), peer: t2!.peer, token: t2!.token }]);
    expect(finals(r.poll()).map((e) => e.handle)).toEqual([2]);
  });
});

describe('cancel', () => {
  it('ends a query with ECANCELLED once, and throws on a handle never issued', () => {
    const r = makeResolver();
    const h = r.query(0, 'a.test');
    const t = one(r);
    expect(r.cancel(5, h)).toBe(true);
    expect(r.cancel(6, h)).toBe(false);
    expect(finals(r.poll())).toMatchObject([{ kind: 'error', code: 'ECANCELLED', handle: h }]);
    r.handleDatagrams(7, [{ data: reply(t), peer: A }]);
    expect(r.stats.dropped.late).toBe(1);
    for (const bad of [0, 2, 1.5, -1]) expect(() => r.cancel(8, bad)).toThrowError(expect.objectContaining({ code: 'EBADHANDLE' }) as Error);
    expect(r.stats.cancelled).toBe(1);
  });

  it('cancelAll ends every query', () => {
    const r = makeResolver();
    r.query(0, 'a.test');
    r.query(0, 'b.test');
    expect(r.cancelAll(1)).toBe(2);
    expect(finals(r.poll()).map((e) => e.kind === 'error' && e.code)).toEqual(['ECANCELLED', 'ECANCELLED']);
    expect(r.pollDeadline()).toBeUndefined();
  });
});

describe('caller mistakes throw at once and change nothing', () => {
  it.each([
    ['a..b', 'A', 'EBADNAME'],
    ['x'.repeat(64) + '.test', 'A', 'EBADNAME'],
    [Array.from({ length: 64 }, () => 'abc').join('.'), 'A', 'EBADNAME'],
    ['a.test', 'NOPE', 'EBADTYPE'],
    ['a.test', 41, 'EBADTYPE'],
    ['a.test', 0, 'EBADTYPE'],
  ])('query(%j, %j) throws %s', (name, type, code) => {
    const r = makeResolver();
    r.query(0, 'ok.test');
    const before = r.poll();
    expect(() => r.query(1, name, type)).toThrowError(expect.objectContaining({ code }) as Error);
    expect(r.poll().transmits).toHaveLength(0);
    expect(r.inFlight).toBe(1);
    expect(before.transmits).toHaveLength(1);
  });

  it('rejects a bad class and bad query options', () => {
    const r = makeResolver();
    expect(() => r.query(0, 'a.test', 'A', { class: 'XX' })).toThrowError(expect.objectContaining({ code: 'EBADCLASS' }) as Error);
    expect(() => r.query(0, 'a.test', 'A', { timeout: -1 })).toThrowError(expect.objectContaining({ code: 'EBADOPTION' }) as Error);
    expect(() => r.query(0, 'a.test', 'A', null as never)).toThrowError(expect.objectContaining({ code: 'EBADOPTION' }) as Error);
    expect(r.inFlight).toBe(0);
  });

  it('rejects bad datagram arrays from a driver', () => {
    const r = makeResolver();
    expect(() => r.handleDatagrams(0, 'x' as never)).toThrowError(expect.objectContaining({ code: 'EBADOPTION' }) as Error);
    expect(() => r.handleDatagrams(0, [{ data: [1, 2] as never, peer: A }])).toThrow();
    expect(() => r.handleDatagrams(0, [{ data: new Uint8Array(1), peer: { transport: 'udp' } as never }])).toThrow();
    expect(() => r.handleDatagrams(0, [{ data: new Uint8Array(1), peer: { transport: 'doh' } as never }])).toThrow();
    expect(() => r.handleDatagrams(0, [null as never])).toThrow();
  });

  it.each([
    [{ servers: [] }, 'EBADSERVER'],
    [{ servers: ['300.1.1.1'] }, 'EBADSERVER'],
    [{ servers: ['192.0.2.1:0'] }, 'EBADSERVER'],
    [{ servers: ['192.0.2.1:99999'] }, 'EBADSERVER'],
    [{ servers: ['192.0.2.1:x'] }, 'EBADSERVER'],
    [{ servers: ['[2001:db8::1'] }, 'EBADSERVER'],
    [{ servers: ['[2001:db8::1]x'] }, 'EBADSERVER'],
    [{ servers: ['ftp://x'] }, 'EBADSERVER'],
    [{ servers: [{ url: 'https://x/q', transport: 'udp' }] }, 'EBADSERVER'],
    [{ servers: [{ url: 42, transport: 'doh' }] }, 'EBADSERVER'],
    [{ servers: [{ address: '192.0.2.1', transport: 'sctp' }] }, 'EBADSERVER'],
    [{ servers: [{ address: 'nope' }] }, 'EBADSERVER'],
    [{ servers: [{ address: '192.0.2.1', port: 70000 }] }, 'EBADSERVER'],
    [{ servers: [7] }, 'EBADSERVER'],
    [{ servers: 'x' }, 'EBADSERVER'],
    [{ random: undefined }, 'EBADOPTION'],
    [{ timeout: 0 }, 'EBADOPTION'],
    [{ attempts: 1.5 }, 'EBADOPTION'],
    [{ maxTimeout: 1 }, 'EBADOPTION'],
    [{ edns: 'yes' }, 'EBADOPTION'],
    [{ ednsPayload: 100 }, 'EBADOPTION'],
  ])('new Resolver(%j) throws %s', (opts, code) => {
    let caught: unknown;
    try {
      makeResolver(opts as never);
    } catch (e) {
      caught = e;
    }
    expect(isDnsError(caught)).toBe(true);
    expect(caught).toMatchObject({ code, name: 'DnsError' });
  });

  it('rejects options that are not an object', () => {
    expect(() => new Resolver(null as never)).toThrowError(expect.objectContaining({ code: 'EBADOPTION' }) as Error);
  });
});

describe('servers', () => {
  it('normalises every way of writing a server', () => {
    const r = new Resolver({
      servers: [
        '192.0.2.1', '192.0.2.1:5353', '[2001:DB8:0:0:0:0:0:1]:53', '2001:db8::2', '::1', '[::ffff:192.0.2.1]:53',
        'https://doh.test/q', { address: '2001:0db8::0:3' }, { address: '192.0.2.4', port: 54, transport: 'tcp' },
        { url: 'http://127.0.0.1:8053/dns-query', transport: 'doh' }, '1:2:3:4:5:6:7:8',
      ],
      random: testRandom(),
    });
    expect(r.getServers()).toEqual([
      { transport: 'udp', address: '192.0.2.1', port: 53 },
      { transport: 'udp', address: '192.0.2.1', port: 5353 },
      { transport: 'udp', address: '2001:db8::1', port: 53 },
      { transport: 'udp', address: '2001:db8::2', port: 53 },
      { transport: 'udp', address: '::1', port: 53 },
      { transport: 'udp', address: '::ffff:c000:201', port: 53 },
      { transport: 'doh', url: 'https://doh.test/q' },
      { transport: 'udp', address: '2001:db8::3', port: 53 },
      { transport: 'tcp', address: '192.0.2.4', port: 54 },
      { transport: 'doh', url: 'http://127.0.0.1:8053/dns-query' },
      { transport: 'udp', address: '1:2:3:4:5:6:7:8', port: 53 },
    ]);
  });

  it.each(['1:2:3:4:5:6:7', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4::5:6:7:8', 'g::1', '::1.2.3', '01.2.3.4'])(
    'refuses %s',
    (s) => {
      expect(() => new Resolver({ servers: [s], random: testRandom() })).toThrowError(expect.objectContaining({ code: 'EBADSERVER' }) as Error);
    },
  );
});

describe('trace events', () => {
  it('explain each send, timer, fallback, drop and deadline', () => {
    const r = makeResolver({ trace: true, timeout: 100, deadline: 250 });
    r.query(0, 'a.test');
    const t = r.poll().transmits[0]!;
    r.handleDatagrams(1, [{ data: new Uint8Array(3), peer: A }]);
    r.handleDatagrams(1, [{ data: reply(t, { tc: true, answers: [] }), peer: A }]);
    r.handleTimeout(300);
    const whats = r.poll().events.map((e) => (e.kind === 'trace' ? e.what : e.kind));
    expect(whats).toEqual(['drop', 'receive', 'tcp-fallback', 'send', 'timeout', 'send', 'deadline', 'error']);
    r.query(400, 'b.test');
    const t2 = r.poll().transmits[0]!;
    r.handleDatagrams(401, [{ data: reply(t2, { rcode: 1, answers: [] }), peer: A }]);
    r.handleDatagrams(402, [{ data: reply(t2, { rcode: 2, answers: [] }), peer: A }]);
    const more = r.poll().events.map((e) => (e.kind === 'trace' ? e.what : e.kind));
    expect(more).toEqual(['receive', 'edns-fallback', 'send', 'drop']);
  });
});

describe('bounds and bookkeeping', () => {
  it('holds nothing once every query is done, and remembers at most recentLimit IDs', () => {
    const r = makeResolver({ recentLimit: 2 });
    const ts: Transmit[] = [];
    for (const n of ['a.test', 'b.test', 'c.test']) {
      r.query(0, n);
      ts.push(one(r));
    }
    expect(r.held).toEqual({ queries: 3, attempts: 3, timers: 3, recentIds: 0 });
    r.handleDatagrams(1, ts.map((t) => ({ data: reply(t), peer: A })));
    expect(finals(r.poll())).toHaveLength(3);
    expect(r.held).toEqual({ queries: 0, attempts: 0, timers: 0, recentIds: 2 });
    r.handleDatagrams(2, ts.map((t) => ({ data: reply(t), peer: A })));
    expect(r.stats.dropped).toMatchObject({ late: 2, unmatched: 1 });
  });

  it('remembers nothing with recentLimit 0', () => {
    const r = makeResolver({ recentLimit: 0 });
    r.query(0, 'a.test');
    const t = one(r);
    r.handleDatagrams(1, [{ data: reply(t), peer: A }, { data: reply(t), peer: A }]);
    expect(r.stats.dropped).toMatchObject({ late: 0, unmatched: 1 });
    expect(r.held.recentIds).toBe(0);
  });

  it('counts a key reused by two finished attempts once per attempt', () => {
    const zeros = (b: Uint8Array) => b.fill(0);
    const r = new Resolver({ servers: ['192.0.2.1'], random: zeros, recentLimit: 3 });
    const ts: Transmit[] = [];
    // One after another: each finished ID is free again, so all four carry ID 0.
    for (const n of ['a.test', 'b.test', 'c.test', 'd.test']) {
      r.query(0, n);
      ts.push(one(r));
      r.handleDatagrams(1, [{ data: reply(ts[ts.length - 1]!), peer: A }]);
      expect(finals(r.poll())).toHaveLength(1);
    }
    expect(new Set(ts.map((t) => decode(t.data).id))).toEqual(new Set([0]));
    r.handleDatagrams(2, [{ data: reply(ts[0]!), peer: A }]);
    expect(r.stats.dropped.late).toBe(1);
  });

  it('waits for late answers until the deadline once the plan is spent', () => {
    const r = new Resolver({ servers: ['192.0.2.1'], random: testRandom(), attempts: 1, timeout: 100, deadline: 1000 });
    r.query(0, 'a.test');
    const t = one(r);
    r.handleTimeout(100);
    const out = r.poll();
    expect(out.transmits).toHaveLength(0);
    expect(out.deadline).toBe(1000);
    r.handleDatagrams(900, [{ data: reply(t), peer: A }]);
    expect(finals(r.poll())[0]).toMatchObject({ kind: 'answer', elapsed: 900 });
  });

  it('fires timers in deadline order, ties in insertion order', () => {
    const r = makeResolver({ attempts: 1, timeout: 10_000, maxTimeout: 10_000 });
    const order: number[] = [];
    r.query(0, 'a.test', 'A', { timeout: 300 });
    r.query(0, 'b.test', 'A', { timeout: 100 });
    r.query(0, 'c.test', 'A', { timeout: 200 });
    r.query(0, 'd.test', 'A', { timeout: 100 });
    r.query(0, 'e.test', 'A', { timeout: 50 });
    r.poll();
    r.cancel(0, 3);
    r.handleTimeout(1000);
    for (const e of finals(r.poll())) order.push(e.handle);
    expect(order).toEqual([3, 5, 2, 4, 1]);
  });

  it('accepts a server written as [v6] without a port, or an object without one', () => {
    const r = new Resolver({ servers: ['[2001:db8::5]', { address: '192.0.2.7' }], random: testRandom() });
    expect(r.getServers()).toEqual([
      { transport: 'udp', address: '2001:db8::5', port: 53 },
      { transport: 'udp', address: '192.0.2.7', port: 53 },
    ]);
    expect(() => new Resolver({ servers: [{ address: 5 } as never], random: testRandom() })).toThrow();
    expect(() => makeResolver().handleDatagrams(0, [{ data: new Uint8Array(1), peer: null as never }])).toThrow();
  });
});

describe('less travelled paths', () => {
  it('ignores transport errors for unknown, finished or unreadable transmits', () => {
    const r = makeResolver();
    r.query(0, 'a.test');
    const t = one(r);
    r.handleError(1, { ...t, peer: { transport: 'udp', address: '198.51.100.9', port: 53 } }, 'ECONNREFUSED');
    r.handleError(1, { ...t, data: new Uint8Array(2) }, 'ECONNREFUSED');
    r.handleError(1, { ...t, token: t.token + 100 }, 'ECONNREFUSED');
    expect(r.poll()).toMatchObject({ transmits: [], events: [] });
    expect(r.inFlight).toBe(1);
  });

  it('does not fail a server for a malformed reply when colliding attempts share its ID', () => {
    const r = fullIdSpace(['192.0.2.1', '192.0.2.2']);
    r.query(0, 'one.test');
    r.query(0, 'two.test');
    const [t1] = r.poll().transmits;
    r.handleDatagrams(1, [{ data: reply(t1!).slice(0, 15), peer: A }]);
    expect(r.poll().transmits).toHaveLength(0);
    expect(r.stats.dropped.malformed).toBe(1);
  });

  it('unlinks an older attempt from the middle of the live list', () => {
    const r = makeResolver({ timeout: 100, attempts: 3 });
    r.query(0, 'a.test');
    const first = one(r);
    r.handleTimeout(100);
    one(r);
    r.handleTimeout(200);
    const third = one(r);
    r.handleDatagrams(210, [{ data: reply(first, { rcode: 2, answers: [] }), peer: A }]);
    r.handleDatagrams(220, [{ data: reply(third), peer: A }]);
    expect(finals(r.poll())[0]).toMatchObject({ kind: 'answer', sent: 3 });
  });

  it('takes NOTIMP without a question as an EDNS refusal, but not when IDs collide', () => {
    const r = makeResolver();
    r.query(0, 'a.test');
    r.handleDatagrams(1, [{ data: reply(one(r), { rcode: 4, answers: [], questions: false, edns: false }), peer: A }]);
    expect(r.stats.ednsFallbacks).toBe(1);
    const r2 = fullIdSpace();
    r2.query(0, 'one.test');
    r2.query(0, 'two.test');
    const [t1] = r2.poll().transmits;
    r2.handleDatagrams(1, [{ data: reply(t1!, { rcode: 1, answers: [], questions: false, edns: false }), peer: A }]);
    expect(r2.stats.dropped['wrong-question']).toBe(1);
    r2.handleDatagrams(1, [{ data: reply(t1!, { rcode: 0, questions: false }), peer: A }]);
    expect(r2.stats.dropped['wrong-question']).toBe(2);
  });

  it('traces the reason of a malformed drop', () => {
    const r = makeResolver({ trace: true });
    r.query(0, 'a.test');
    const t = one(r);
    r.handleDatagrams(1, [{ data: reply(t).slice(0, 14), peer: A }]);
    const drop = r.poll().events.find((e) => e.kind === 'trace' && e.what === 'drop');
    expect(drop).toMatchObject({ detail: expect.stringMatching(/^malformed \(.+\)$/) as string });
  });
});

it('counts a server that fails twice for one query once', () => {
  const r = makeResolver({ timeout: 100, attempts: 2, backoff: 1 });
  r.query(0, 'a.test');
  const a1 = one(r);
  r.handleTimeout(100);
  one(r);
  r.handleTimeout(200);
  const a2 = one(r);
  expect(a2.peer).toEqual(A);
  r.handleDatagrams(210, [{ data: reply(a1, { rcode: 2, answers: [] }), peer: A }]);
  r.handleDatagrams(211, [{ data: reply(a2, { rcode: 2, answers: [] }), peer: A }]);
  const out = r.poll();
  expect(out.transmits.map((t) => t.peer)).toEqual([B]);
  expect(finals(out)).toHaveLength(0);
});

it('lets no answer in after the deadline, even when the driver timer is late', () => {
  const r = makeResolver({ timeout: 100, deadline: 100 });
  r.query(0, 'a.test');
  const t = one(r);
  r.handleDatagrams(150, [{ data: reply(t), peer: A }]);
  expect(finals(r.poll())).toMatchObject([{ kind: 'error', code: 'ETIMEOUT', elapsed: 100 }]);
  expect(r.stats.dropped.late).toBe(1);
  r.query(200, 'b.test');
  const t2 = one(r);
  r.handleError(400, t2, 'ECONNREFUSED');
  expect(finals(r.poll())).toMatchObject([{ kind: 'error', code: 'ETIMEOUT' }]);
});

it('keeps order with hundreds of timers armed, and cancelAll skips finished slots', () => {
  const r = new Resolver({ servers: ['192.0.2.1'], random: testRandom(), attempts: 1, timeout: 5000, maxTimeout: 5000 });
  const want: [number, number][] = [];
  for (let i = 0; i < 300; i++) {
    const timeout = 1 + ((i * 7919) % 97);
    want.push([timeout, r.query(0, `n${i}.test`, 'A', { timeout })]);
  }
  r.poll();
  r.handleTimeout(1000);
  const got = finals(r.poll()).map((e) => e.handle);
  expect(got).toEqual(want.sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, h]) => h));
  const a = r.query(2000, 'a.test');
  r.query(2000, 'b.test');
  r.cancel(2000, a);
  expect(r.cancelAll(2000)).toBe(1);
});

it('lets a server without a sample borrow the best sampled estimate', () => {
  const r = makeResolver({ timeout: 1000, minTimeout: 50 });
  r.query(0, 'a.test');
  r.handleDatagrams(10, [{ data: reply(one(r)), peer: A }]);
  r.poll();
  r.query(20, 'b.test');
  one(r);
  r.handleTimeout(120);
  const hedge = one(r);
  expect(hedge.peer).toEqual(B);
  // B borrows A's RTO (50 after the floor), stretched 2× as A's would be: not the initial 1000.
  expect(r.poll().deadline ?? r.pollDeadline()).toBe(120 + 100);
});

it('counts a repeated DoH reply as late, by its token', () => {
  const r = new Resolver({ servers: ['https://doh.example/dns-query'], random: testRandom(), recentLimit: 1 });
  r.query(0, 'a.test');
  const t = one(r);
  r.handleDatagrams(1, [{ data: reply(t), peer: t.peer, token: t.token }]);
  r.handleDatagrams(2, [{ data: reply(t), peer: t.peer, token: t.token }]);
  expect(r.stats.dropped.late).toBe(1);
  r.query(3, 'b.test');
  const t2 = one(r);
  r.handleDatagrams(4, [{ data: reply(t2), peer: t2.peer, token: t2.token }]);
  r.handleDatagrams(5, [{ data: reply(t), peer: t.peer, token: t.token }]);
  expect(r.stats.dropped).toMatchObject({ late: 1, unmatched: 1 });
});
