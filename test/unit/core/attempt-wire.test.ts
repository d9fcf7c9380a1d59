/** attempt-wire.ts: the datagram of an attempt: ID, EDNS cut, 0x20 case and cookie, in that order of random draws. */
import { describe, expect, it } from 'vitest';
import { AttemptIndex } from '../../../src/core/attempt-index.js';
import { dohAttempt, newAttempt } from '../../../src/core/attempt-wire.js';
import { STANDARD_POLICIES, type Policies } from '../../../src/core/policies.js';
import type { Attempt, Query } from '../../../src/core/query.js';
import { Spares } from '../../../src/core/spares.js';
import { RandomPool } from '../../../src/core/random.js';
import { makeServers, parseServer } from '../../../src/core/servers.js';
import { settingsFrom } from '../../../src/core/settings.js';
import { type ResolverOptions } from '../../../src/index.js';
import { decodeMessage, encodeQuery, parseName } from '../../../src/codec.js';
import { testRandom } from '../../helpers/core-harness.js';

function setup(o: Partial<ResolverOptions> = {}, policies: Policies = STANDARD_POLICIES) {
  const options = { servers: ['192.0.2.1', 'https://x/q'], random: testRandom(), ...o };
  const s = settingsFrom(options, policies);
  const [udp, doh] = makeServers(options.servers, parseServer);
  const parsed = parseName('www.example');
  const wire = encodeQuery({ id: 0, labels: parsed.labels, type: 1, class: 1, rd: true, edns: s.edns ? { payload: 1232, do: false } : undefined });
  const q = { wire, questionEnd: 12 + parsed.wireLength + 4, name: 'www.example', type: 1, class: 1, sent: 0, live: undefined } as unknown as Query;
  const index = new AttemptIndex(8);
  const random = new RandomPool(testRandom(11));
  // The attempt made is the query's current one; the datagram is returned.
  const pair = (data: Uint8Array): [Attempt, Uint8Array] => [q.current as Attempt, data];
  const make = (server = udp!, transport = server.endpoint.transport, spares?: Spares) => pair(newAttempt(q, server, transport, 5, 77, s, policies, index, random, spares));
  const makeDoh = () => pair(dohAttempt(q, doh!, 5, 77, s));
  return { q, udp: udp!, doh: doh!, index, make, makeDoh };
}

const message = (data: Uint8Array) => {
  const d = decodeMessage(data);
  if (!d.ok) throw new Error(d.reason);
  return d.message;
};

describe('newAttempt', () => {
  it('never writes the query wire (shared by the queries of a question): a plain attempt sends a copy with a random ID keyed by slot', () => {
    const { q, make } = setup({ cookies: false });
    const before = q.wire.slice();
    const [a, data] = make();
    expect(data).not.toBe(q.wire);
    expect(q.wire).toEqual(before);
    expect(a).toMatchObject({ query: q, transport: 'udp', token: 77, sentAt: 5, edns: true, caseName: undefined, cookie: undefined });
    expect(message(data).id).toBe(a.id);
    expect(a.key).toBe(0 * 65536 + a.id);
    // With a cookie, the one copy is the cookie's.
    const withCookie = setup();
    const kept = withCookie.q.wire.slice();
    const [b, out] = withCookie.make();
    expect(b.cookie).toBeDefined();
    expect(withCookie.q.wire).toEqual(kept);
    expect(message(out).id).toBe(b.id);
  });

  it('draws another ID while the first collides with a live attempt to the same slot', () => {
    const { index, make } = setup({ cookies: false });
    const first = make()[0];
    index.add(first);
    const again = setup({ cookies: false });
    again.index.add(first);
    expect(again.make()[0].id).not.toBe(first.id);
  });

  it('keys DoH by -token with ID 0, and sends it no cookie', () => {
    const { doh, make } = setup();
    const [a, data] = make(doh);
    expect([a.id, a.key, a.cookie]).toEqual([0, -77, undefined]);
    expect(message(data).edns?.options).toEqual([]);
  });

  it('cuts OPT for a server without EDNS; copies the wire for a later attempt', () => {
    const { q, udp, make } = setup({ cookies: false });
    udp.noEdns = true;
    const [a, data] = make();
    expect(a.edns).toBe(false);
    expect(data).not.toBe(q.wire);
    expect(message(data).edns).toBeUndefined();
    expect(message(q.wire).edns).toBeDefined();
  });

  it('adds the cookie and the 0x20 case with their policies, over TCP too', () => {
    const { udp, make } = setup({ case0x20: true });
    STANDARD_POLICIES.case0x20!.apply([udp], true);
    const [a, data] = make(udp, 'tcp');
    expect(a.key >>> 16).toBe(1);
    expect(a.cookie?.length).toBe(8);
    const m = message(data);
    expect(m.edns?.options).toEqual([{ code: 10, data: a.cookie }]);
    expect(m.questions[0]?.name).toBe(a.caseName);
    expect(a.caseName?.toLowerCase()).toBe('www.example');
  });

  it('overwrites a spare attempt (spares.ts) with every field of a new one', () => {
    const { doh, udp, make } = setup();
    const [spare] = make(doh);
    const fresh = make(udp, 'udp')[0];
    spare.next = fresh;
    spare.prev = fresh;
    const spares = new Spares();
    spares.releaseAttempt(spare);
    spares.reclaim();
    const [a, data] = make(udp, 'udp', spares);
    expect(a).toBe(spare);
    expect(Object.keys(a)).toEqual(Object.keys(fresh));
    expect(a).toMatchObject({ transport: 'udp', token: 77, sentAt: 5, edns: true, next: undefined, prev: undefined, spare: false });
    expect(a.cookie?.length).toBe(8);
    expect(message(data).id).toBe(a.id);
  });

  it('adds no cookie without the cookie policy', () => {
    const { make } = setup({}, { udp: STANDARD_POLICIES.udp! });
    expect(make()[0].cookie).toBeUndefined();
  });

  it('dohAttempt (a core without the udp policy) makes what newAttempt makes for DoH, with and without EDNS', () => {
    for (const noEdns of [false, true]) {
      const { q, doh, make, makeDoh } = setup({ case0x20: true });
      doh.noEdns = noEdns;
      const [lean, leanData] = makeDoh();
      const [full, fullData] = make(doh);
      expect(Object.keys(lean)).toEqual(Object.keys(full));
      expect(lean).toEqual(full);
      expect(leanData).toEqual(fullData);
      expect(leanData).not.toBe(q.wire);
      expect(message(leanData).edns === undefined).toBe(noEdns);
    }
  });
});
