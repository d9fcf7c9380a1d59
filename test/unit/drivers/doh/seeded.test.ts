/**
 * Seeded runs of the DoH client against three flaky DoH servers (fake
 * `fetch`, the simulator's PRNG): each exchange answers, answers late,
 * hangs, returns 5xx, the wrong content type, an oversize or a garbage body,
 * or fails at the network. Invariants, for every seed: each query settles
 * exactly once, with a correct answer or a core error code; none outlives
 * its deadline (plus scheduling slack); and afterwards no exchange is open.
 */
import { describe, expect, it } from 'vitest';
import { DohResolver, FetchTransport } from '../../../../src/doh.js';
import { Prng } from '../../../../src/sim/prng.js';
import { aRecord, dnsResponse, FakeFetch, sleep } from './fake-fetch.js';

const SERVERS = ['https://a.example/q', 'https://b.example/q', 'https://c.example/q'];
const CODES = new Set(['ETIMEOUT', 'EBADRESP', 'ECONNREFUSED', 'ENETUNREACH', 'ESERVFAIL']);

function flaky(prng: Prng): FakeFetch {
  return new FakeFetch(async (r) => {
    const roll = prng.int(10);
    const delay = prng.int(30);
    if (roll === 0) return 'hang';
    await sleep(delay);
    switch (roll) {
      case 1: return new Response('', { status: 500 + prng.int(5) });
      case 2: return dnsResponse(r.query, [], 0, { headers: { 'content-type': 'application/json' } });
      case 3: return new Response(new Uint8Array(70000), { headers: { 'content-type': 'application/dns-message' } });
      case 4: return new Response(new Uint8Array([0, 0, 0x81]), { headers: { 'content-type': 'application/dns-message' } });
      case 5: throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      case 6: return dnsResponse(r.query, [], 2);
      default: {
        const name = r.query.questions[0]?.name ?? '';
        return dnsResponse(r.query, [aRecord(r.query, `192.0.2.${name.length}`)]);
      }
    }
  });
}

describe('DoH client, seeded flaky servers', () => {
  for (let seed = 1; seed <= 12; seed++) {
    it(`seed ${seed}: one outcome per query, within its deadline, nothing left open`, async () => {
      const prng = new Prng(seed);
      const fake = flaky(prng);
      const resolver = new DohResolver({ servers: SERVERS, fetch: fake.fetch, timeout: 15, tries: 2, deadline: 120 });
      // Reach the transport through the factory's product, for the "nothing open" check.
      const transport = (resolver as unknown as { transport: FetchTransport }).transport;
      const names = Array.from({ length: 20 }, (_, i) => `${'n'.repeat(1 + (i % 7))}${i}.example`);
      // A timer set for the deadline, beside the queries: how late this event loop runs timers now (a loaded
      // machine, the first test of a file) is not the resolver's lateness.
      const t0 = performance.now();
      const timerFired = new Promise<number>((resolve) => setTimeout(() => resolve(performance.now() - t0), 120));
      const outcomes = await Promise.all(names.map(async (name) => {
        const started = performance.now();
        let settled = 0;
        const result = await resolver.resolve4(name).then(
          (a) => ({ ok: true as const, a }),
          (e: { code: string }) => ({ ok: false as const, code: e.code }),
        ).finally(() => settled++);
        return { name, result, took: performance.now() - started, settled };
      }));
      const timer = await timerFired;
      for (const o of outcomes) {
        expect(o.settled).toBe(1);
        if (o.result.ok) expect(o.result.a).toEqual([`192.0.2.${o.name.length}`]);
        else expect(CODES, o.result.code).toContain(o.result.code);
        expect(o.took).toBeLessThan(Math.max(120, timer) + 250);
      }
      await sleep(40); // let aborted exchanges unwind
      expect(transport?.inFlight).toBe(0);
      expect(fake.seen.length).toBeGreaterThanOrEqual(names.length);
      resolver.close();
    });
  }
});
