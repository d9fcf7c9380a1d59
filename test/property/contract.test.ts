/**
 * Model-based property tests of the core contract (ARCHITECTURE.md rules 1–12):
 * random sequences of caller and network inputs against a reference model of
 * what must hold after every step.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Resolver, type Output, type Received, type ResolverOptions, type Transmit } from '../../src/index.js';
import { A, B, reply, testRandom } from '../helpers/core-harness.js';

type Op =
  | { op: 'start'; name: number; type: 'A' | 'AAAA' | 'TXT'; timeout: number | undefined }
  | { op: 'advance'; ms: number }
  | { op: 'back'; ms: number }
  | { op: 'reply'; pick: number; rcode: 0 | 1 | 2 | 3 | 5; tc: boolean; dup: boolean; cut: number | undefined; skew: number }
  | { op: 'forge'; pick: number; idDelta: number; wrongName: boolean; wrongPeer: boolean }
  | { op: 'garbage'; bytes: Uint8Array; server: 0 | 1 }
  | { op: 'cancel'; pick: number }
  | { op: 'tick' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('start' as const), name: fc.nat(20), type: fc.constantFrom('A' as const, 'AAAA' as const, 'TXT' as const), timeout: fc.option(fc.integer({ min: 50, max: 3000 }), { nil: undefined }) }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 700 }) }),
  fc.record({ op: fc.constant('back' as const), ms: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ op: fc.constant('reply' as const), pick: fc.nat(), rcode: fc.constantFrom(0 as const, 0 as const, 3 as const, 2 as const, 5 as const, 1 as const), tc: fc.boolean(), dup: fc.boolean(), cut: fc.option(fc.nat(40), { nil: undefined, freq: 4 }), skew: fc.constantFrom(0, 0, 0, 30, 200, 900) }),
  fc.record({ op: fc.constant('forge' as const), pick: fc.nat(), idDelta: fc.integer({ min: 1, max: 65535 }), wrongName: fc.boolean(), wrongPeer: fc.boolean() }),
  fc.record({ op: fc.constant('garbage' as const), bytes: fc.uint8Array({ maxLength: 80 }), server: fc.constantFrom(0 as const, 1 as const) }),
  fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('tick' as const) }),
);

interface World {
  r: Resolver;
  now: number;
  started: Map<number, { at: number; deadline: number }>;
  finished: Set<number>;
  inFlightTransmits: Transmit[];
  transcript: string[];
  sentAfterFinal: number;
  accepted: number;
  forgedHandles: Set<number>;
}

const OPTS: Partial<ResolverOptions> = { timeout: 80, deadline: 1500, attempts: 3 };

function drain(w: World): Output {
  const out = w.r.poll();
  for (const t of out.transmits) {
    if (w.finished.has(t.handle)) w.sentAfterFinal++;
    w.inFlightTransmits.push(t);
    w.transcript.push(`${w.now} send ${t.handle} ${Buffer.from(t.data).toString('hex')} ${JSON.stringify(t.peer)}`);
  }
  for (const e of out.events) {
    if (e.kind === 'trace') continue;
    w.transcript.push(`${w.now} ${e.kind} ${e.handle} ${e.kind === 'error' ? e.code : e.message.rcode}`);
    expect(w.finished.has(e.handle), `second final event for ${e.handle}`).toBe(false);
    const s = w.started.get(e.handle);
    expect(s, `final event for unknown handle ${e.handle}`).toBeDefined();
    expect(e.elapsed, 'no query outlives its deadline').toBeLessThanOrEqual(s!.deadline - s!.at);
    w.finished.add(e.handle);
    if (e.kind === 'answer') w.accepted++;
  }
  if (out.deadline !== undefined) expect(out.deadline, 'deadlines are absolute and finite').toBeGreaterThanOrEqual(0);
  return out;
}

function step(w: World, o: Op): void {
  const peerOf = (t: Transmit): Received['peer'] => t.peer;
  switch (o.op) {
    case 'start': {
      const coalesced = w.r.stats.coalesced;
      const h = w.r.query(w.now, `n${o.name}.example.test`, o.type, o.timeout === undefined ? {} : { timeout: o.timeout });
      expect(w.started.has(h), 'handles are never reused').toBe(false);
      w.started.set(h, { at: w.now, deadline: w.now + (o.timeout ?? 1500) });
      // A query attached to an identical one in flight queues nothing (coalescing).
      if (w.r.stats.coalesced === coalesced) expect(w.r.pollDeadline(), 'while output is queued the deadline is lastNow').toBe(w.now);
      break;
    }
    case 'advance':
      w.now += o.ms;
      w.r.handleTimeout(w.now);
      break;
    case 'back':
      w.r.handleTimeout(w.now - o.ms);
      break;
    case 'tick': {
      const d = w.r.pollDeadline();
      if (d !== undefined) {
        w.now = Math.max(w.now, d);
        w.r.handleTimeout(w.now);
      }
      break;
    }
    case 'reply': {
      const n = w.inFlightTransmits.length;
      if (n === 0) return;
      // Mostly answer one of the newest transmits, sometimes an old one.
      const t = w.inFlightTransmits[o.pick % 4 === 0 ? o.pick % n : n - 1 - (o.pick % Math.min(3, n))]!;
      let data = reply(t, { rcode: o.rcode, tc: o.tc && t.peer.transport === 'udp', answers: o.rcode === 0 ? undefined : [] });
      if (o.cut !== undefined) data = data.slice(0, Math.min(o.cut, data.length));
      const batch = [{ data, peer: peerOf(t) }];
      if (o.dup) batch.push({ data, peer: peerOf(t) });
      w.now += o.skew; // the datagram arrives before the driver's timer ran
      w.r.handleDatagrams(w.now, batch);
      break;
    }
    case 'forge': {
      if (w.inFlightTransmits.length === 0) return;
      const t = w.inFlightTransmits[o.pick % w.inFlightTransmits.length]!;
      const id = (t.data[0]! << 8) | t.data[1]!;
      const data = reply(t, { id: o.wrongName || o.wrongPeer ? id : (id + o.idDelta) & 0xffff, questionName: o.wrongName ? 'forged.example' : undefined });
      const peer = o.wrongPeer ? { transport: 'udp' as const, address: '203.0.113.66', port: 53 } : peerOf(t);
      const before = w.accepted;
      w.r.handleDatagrams(w.now, [{ data, peer }]);
      const out = drain(w);
      expect(w.accepted, 'no forged answer is accepted').toBe(before);
      expect(out.events.filter((e) => e.kind === 'answer')).toHaveLength(0);
      break;
    }
    case 'garbage':
      w.r.handleDatagrams(w.now, [{ data: o.bytes, peer: o.server === 0 ? A : B }]);
      break;
    case 'cancel': {
      const handles = [...w.started.keys()];
      if (handles.length === 0) return;
      w.r.cancel(w.now, handles[o.pick % handles.length]!);
      break;
    }
  }
  const out = drain(w);
  if (out.deadline !== undefined && o.op === 'advance') {
    expect(out.deadline, 'after handleTimeout(t) the deadline is later than t').toBeGreaterThan(w.now);
  }
}

function run(ops: Op[], seed: number): World {
  const w: World = {
    r: new Resolver({ servers: ['192.0.2.1', '192.0.2.2'], random: testRandom(seed), ...OPTS }),
    now: 0, started: new Map(), finished: new Set(), inFlightTransmits: [], transcript: [], sentAfterFinal: 0, accepted: 0,
    forgedHandles: new Set(),
  };
  for (const o of ops) step(w, o);
  // Let every query run out: each must end by its deadline with exactly one final event.
  for (let guard = 0; guard < 10_000; guard++) {
    const d = w.r.pollDeadline();
    if (d === undefined) break;
    w.now = Math.max(w.now, d);
    w.r.handleTimeout(w.now);
    drain(w);
  }
  return w;
}

describe('the core contract, model-based', () => {
  it('holds under random inputs: one final event per query, nothing after it, deadlines kept, no forgery accepted', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), fc.integer({ min: 1, max: 2 ** 31 }), (ops, seed) => {
        const w = run(ops, seed);
        expect(w.sentAfterFinal, 'nothing is sent for a query after its final event').toBe(0);
        expect(w.finished.size, 'every query got exactly one final event').toBe(w.started.size);
        expect(w.r.held).toMatchObject({ queries: 0, attempts: 0, timers: 0 });
        expect(w.r.pollDeadline()).toBeUndefined();
        const st = w.r.stats;
        const dropped = Object.values(st.dropped).reduce((a, b) => a + b, 0);
        expect(dropped, 'every datagram received is accepted or dropped with a reason').toBeLessThanOrEqual(st.datagramsReceived);
        expect(st.answered + st.failed + st.cancelled).toBe(w.started.size);
        for (const h of w.started.keys()) {
          const sent = w.transcript.filter((l) => l.includes(` send ${h} `)).length;
          expect(sent, 'transmissions per query are bounded').toBeLessThanOrEqual(3 * 2 * 3);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same inputs and random bytes give the same transcript', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.integer({ min: 1, max: 2 ** 31 }), (ops, seed) => {
        expect(run(ops, seed).transcript).toEqual(run(ops, seed).transcript);
      }),
      { numRuns: 100 },
    );
  });

  it('gives the same transcript whether handleTimeout runs at every ms or only at deadlines', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 400 }), name: fc.nat(5), timeout: fc.integer({ min: 30, max: 900 }) }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (starts, seed) => {
          const sorted = [...starts].sort((a, b) => a.at - b.at);
          const transcript = (everyMs: boolean): string[] => {
            const r = new Resolver({ servers: ['192.0.2.1', '192.0.2.2'], random: testRandom(seed), timeout: 37, minTimeout: 37 });
            const log: string[] = [];
            let i = 0;
            for (let now = 0; now <= 1400; now++) {
              while (i < sorted.length && sorted[i]!.at === now) {
                r.query(now, `q${sorted[i]!.name}.test`, 'A', { timeout: sorted[i]!.timeout });
                i++;
              }
              const d = r.pollDeadline();
              if (everyMs || (d !== undefined && d <= now)) r.handleTimeout(now);
              const out = r.poll();
              for (const t of out.transmits) log.push(`${now} ${Buffer.from(t.data).toString('hex')}`);
              for (const e of out.events) log.push(`${now} ${e.kind} ${e.kind === 'trace' ? '' : e.handle}`);
            }
            return log;
          };
          expect(transcript(true)).toEqual(transcript(false));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('fires deadlines in (deadline, insertion) order whatever the order of starts and cancels', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ timeout: fc.integer({ min: 1, max: 60 }), cancel: fc.boolean() }), { minLength: 1, maxLength: 150 }),
        (qs) => {
          const r = new Resolver({ servers: ['192.0.2.1'], random: testRandom(), attempts: 1, timeout: 1000, maxTimeout: 1000 });
          const handles = qs.map((q) => r.query(0, 'x.test', 'A', { timeout: q.timeout }));
          qs.forEach((q, i) => q.cancel && r.cancel(0, handles[i]!));
          r.poll();
          r.handleTimeout(100);
          const got = r.poll().events.flatMap((e) => (e.kind === 'error' ? [e.handle] : []));
          const want = handles
            .map((h, i) => ({ h, t: qs[i]!.timeout, c: qs[i]!.cancel }))
            .filter((x) => !x.c)
            .sort((a, b) => a.t - b.t || a.h - b.h)
            .map((x) => x.h);
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on network bytes and never lets them disturb another query', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 600 }), { maxLength: 30 }), (blobs) => {
        const r = new Resolver({ servers: ['192.0.2.1'], random: testRandom() });
        r.query(0, 'keep.test');
        const t = r.poll().transmits[0]!;
        r.handleDatagrams(1, blobs.map((data) => ({ data, peer: A })));
        r.handleDatagrams(1, blobs.map((data) => ({ data, peer: { transport: 'tcp' as const, address: '192.0.2.1', port: 53 } })));
        r.handleDatagrams(2, [{ data: reply(t), peer: A }]);
        const evs = r.poll().events;
        const answers = evs.filter((e) => e.kind === 'answer');
        if (answers.length === 1) expect(answers[0]).toMatchObject({ handle: 1 });
        expect(r.stats.datagramsReceived).toBe(blobs.length * 2 + 1);
      }),
      { numRuns: 300 },
    );
  });
});
