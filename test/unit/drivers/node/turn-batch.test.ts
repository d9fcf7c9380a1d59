/** One pass through the core per event-loop turn (issue 13): a turn's input as one array, one drain. */
import { afterEach, describe, expect, it } from 'vitest';
import { TurnBatch } from '../../../../src/drivers/node/turn-batch.js';
import { NodeResolver } from '../../../../src/node.js';
import type { Endpoint, Received } from '../../../../src/index.js';
import { reply, startResponder } from './responder.js';

const turn = (): Promise<void> => new Promise((res) => setImmediate(res));
const peer: Endpoint = { transport: 'udp', address: '127.0.0.1', port: 53 };
const doh: Endpoint = { transport: 'doh', url: 'https://dns.test/dns-query' } as Endpoint;

/** A batch whose passes are recorded as copies (the records are reused after each pass). */
function recorder(): { batch: TurnBatch; passes: Received[][]; drains: number[] } {
  const passes: Received[][] = [];
  const drains: number[] = [];
  const batch = new TurnBatch(
    (list) => void passes.push(list.map((r) => ({ ...r }))),
    () => void drains.push(passes.length),
  );
  return { batch, passes, drains };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('TurnBatch', () => {
  it('hands everything of a turn to the core as one array, once, in arrival order', async () => {
    const { batch, passes, drains } = recorder();
    for (let i = 0; i < 5; i++) batch.add(new Uint8Array([i]), peer);
    batch.add(new Uint8Array([9]), doh, 77);
    batch.drainSoon();
    expect(passes).toEqual([]);
    expect(batch.size).toBe(6);
    await turn();
    expect(passes.length).toBe(1);
    expect(passes[0]?.map((r) => r.data[0])).toEqual([0, 1, 2, 3, 4, 9]);
    expect(passes[0]?.[5]).toEqual({ data: new Uint8Array([9]), peer: doh, token: 77 });
    expect('token' in (passes[0]?.[0] as object)).toBe(false);
    // The receive drained the core: no second drain for the starts of the same turn.
    expect(drains).toEqual([]);
    expect(batch.size).toBe(0);
  });

  it('reuses its records turn after turn, and a token record keeps no stale token', async () => {
    const seen: Received[] = [];
    const batch = new TurnBatch((list) => void seen.push(...list), () => undefined);
    batch.add(new Uint8Array([1]), doh, 5);
    await turn();
    batch.add(new Uint8Array([2]), peer);
    await turn();
    batch.add(new Uint8Array([3]), doh, 6);
    await turn();
    batch.add(new Uint8Array([4]), doh, 7);
    await turn();
    // Two lists alternate: the third pass reuses the first pass's record, the fourth the second's.
    expect(seen[2]).toBe(seen[0]);
    expect(seen[0]).toMatchObject({ token: 6 });
    expect((seen[0] as Received).data.length).toBe(0);
    expect('token' in (seen[1] as object)).toBe(false);
  });

  it('drains once for any number of starts in a turn when nothing arrived', async () => {
    const { batch, drains, passes } = recorder();
    for (let i = 0; i < 100; i++) batch.drainSoon();
    await turn();
    expect(drains).toEqual([0]);
    await turn();
    expect(drains).toEqual([0]);
    expect(passes).toEqual([]);
  });

  it('a datagram delivered while a batch is in the core goes to the next batch', async () => {
    const lists: number[][] = [];
    const batch: TurnBatch = new TurnBatch((list) => {
      lists.push(list.map((r) => r.data[0] as number));
      if (lists.length === 1) batch.add(new Uint8Array([42]), peer);
    }, () => undefined);
    batch.add(new Uint8Array([1]), peer);
    batch.add(new Uint8Array([2]), peer);
    await turn();
    expect(lists).toEqual([[1, 2]]);
    await turn();
    expect(lists).toEqual([[1, 2], [42]]);
  });

  it('run() passes now (the timer does so before firing); stop() drops the rest', async () => {
    const { batch, passes, drains } = recorder();
    batch.add(new Uint8Array([1]), peer);
    batch.run();
    expect(passes.length).toBe(1);
    batch.run();
    expect(passes.length).toBe(1);
    batch.add(new Uint8Array([2]), peer);
    batch.drainSoon();
    batch.stop();
    batch.add(new Uint8Array([3]), peer);
    batch.drainSoon();
    await turn();
    expect(passes.length).toBe(1);
    expect(drains).toEqual([]);
  });
});

describe('the Node driver, one pass per turn', () => {
  it('starts of one turn leave in one drain; answers of one turn enter the core as one array', async () => {
    // The responder holds every query until all 20 arrived, then answers them in one go.
    const held: (() => void)[] = [];
    const srv = await startResponder((q) => new Promise((res) => {
      held.push(() => res(reply(q, { answers: [{ name: q.questions?.[0]?.name as string, type: 'A', ttl: 60, class: 'IN', data: '192.0.2.1' }] })));
      if (held.length === 20) for (const h of held.splice(0)) h();
    }) as never);
    const r = new NodeResolver({ resolvConf: false, hostsFile: false, servers: [srv.server], udpPoolSize: 1 });
    cleanups.push(() => srv.close(), () => r.close());
    const core = (r as unknown as { loop: { core: { poll: () => unknown; handleDatagrams: (n: number, d: readonly Received[]) => void } } }).loop.core;
    let polls = 0;
    const sizes: number[] = [];
    const poll = core.poll.bind(core);
    const handle = core.handleDatagrams.bind(core);
    core.poll = () => (polls++, poll());
    core.handleDatagrams = (now, d) => (sizes.push(d.length), handle(now, d));
    const all = Promise.all(Array.from({ length: 20 }, (_, i) => r.resolve4(`b${i}.test`)));
    expect(polls).toBe(0);
    await turn();
    expect(polls).toBe(1);
    expect((await all).flat()).toEqual(Array(20).fill('192.0.2.1'));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(20);
    expect(Math.max(...sizes)).toBeGreaterThan(1);
  });
});

describe('the wall timer after a busy turn (issue 14)', () => {
  it('an answer read in the same turn as a due give-up wins: no retry goes out', async () => {
    let srv!: Awaited<ReturnType<typeof startResponder>>;
    srv = await startResponder((q) => {
      // Answer, then keep the event loop busy past the client's first give-up (at most 40 ms; the deadline is later): when it is free
      // again, the give-up timer and the answer are both waiting.
      queueMicrotask(() => {
        const until = performance.now() + 60;
        while (performance.now() < until) { /* busy */ }
      });
      return reply(q, { answers: [{ name: q.questions?.[0]?.name as string, type: 'A', ttl: 60, class: 'IN', data: '192.0.2.7' }] });
    });
    const r = new NodeResolver({ resolvConf: false, hostsFile: false, servers: [srv.server], timeout: 40, tries: 4 });
    cleanups.push(() => srv.close(), () => r.close());
    expect(await r.resolve4('busy.test')).toEqual(['192.0.2.7']);
    // A retry sent by mistake would reach the responder within a few turns.
    for (let i = 0; i < 5; i++) await new Promise((res) => setTimeout(res, 5));
    expect(srv.udpQueries).toBe(1);
    expect(r.stats.answered).toBe(1);
  });
});

