/** machine.ts: the phases of a query and the two timer kinds, driven on the machine itself. */
import { describe, expect, it } from 'vitest';
import { AttemptIndex } from '../../../src/core/attempt-index.js';
import { Machine } from '../../../src/core/machine.js';
import { STANDARD_POLICIES } from '../../../src/core/policies.js';
import type { Query } from '../../../src/core/query.js';
import { prepareQuestion } from '../../../src/core/question.js';
import { RandomPool } from '../../../src/core/random.js';
import { makeServers, parseServer } from '../../../src/core/servers.js';
import { settingsFrom } from '../../../src/core/settings.js';
import type { ResolverOptions } from '../../../src/index.js';
import { decode, reply, testRandom } from '../../helpers/core-harness.js';

function machine(o: Partial<ResolverOptions> = {}) {
  const options: ResolverOptions = { servers: ['192.0.2.1', '192.0.2.2'], random: testRandom(), cache: false, cookies: false, ...o };
  const s = settingsFrom(options, STANDARD_POLICIES);
  const m = new Machine(s, STANDARD_POLICIES, makeServers(options.servers, parseServer), new AttemptIndex(s.recentLimit), new RandomPool(options.random));
  const start = (t: number, name = 'www.example', timeout = s.deadline): Query => m.queries.get(m.start(t, prepareQuestion(name, 'A', undefined), {}, timeout))!;
  return { m, start };
}

describe('phases', () => {
  it('sending through the plan, exhausted when it is done, done at the deadline (ETIMEOUT)', () => {
    const { m, start } = machine({ attempts: 1, timeout: 100, minTimeout: 100, deadline: 1000 });
    const q = start(0);
    expect(q.phase).toBe('sending');
    expect(q.giveUpAt).toBe(100);
    m.fireTimers(100);
    expect([q.phase, q.cursor, m.stats.timeouts]).toEqual(['sending', 2, 1]);
    m.fireTimers(999);
    expect([q.phase, q.current, q.giveUpAt]).toEqual(['exhausted', undefined, NaN]);
    expect(m.heap.peekAt()).toBe(1000);
    m.fireTimers(1000);
    expect(q.phase).toBe('done');
    expect(m.events.at(-1)).toMatchObject({ kind: 'error', code: 'ETIMEOUT', sent: 2 });
    expect([m.queries.size, m.heap.size, m.index.size]).toEqual([0, 0, 0]);
  });

  it('a late answer with TC takes an exhausted query back to sending, over TCP', () => {
    const { m, start } = machine({ attempts: 1, timeout: 100, minTimeout: 100 });
    const q = start(0);
    m.fireTimers(100);
    m.fireTimers(300);
    expect(q.phase).toBe('exhausted');
    const first = q.live!.nextLive!;
    const wire = reply(m.transmits[0]!, { tc: true });
    m.respond(first, wire, decode(wire).rcode, 310);
    expect(q.phase).toBe('sending');
    expect(m.transmits.at(-1)!.peer).toEqual({ transport: 'tcp', address: '192.0.2.1', port: 53 });
  });

  it('following an identical query; its first follower takes the resolution over when the leader is cancelled', () => {
    const { m, start } = machine();
    const leader = start(0);
    const a = start(1, 'WWW.example');
    const b = start(2);
    expect([a.phase, b.phase, leader.followers]).toEqual(['following', 'following', [a, b]]);
    expect(m.transmits.length).toBe(1);
    m.finishError(leader, 'ECANCELLED', 3, 'cancelled by the caller');
    expect([leader.phase, a.phase, b.phase]).toEqual(['done', 'sending', 'following']);
    expect(a.followers).toEqual([b]);
    expect(a.live?.query).toBe(a);
    expect(m.heap.peekAt()).toBe(a.giveUpAt);
  });

  it('followers share the outcome of the resolution they follow', () => {
    const { m, start } = machine();
    const leader = start(0);
    const f = start(1);
    const wire = reply(m.transmits[0]!);
    m.respond(leader.current!, wire, decode(wire).rcode, 5);
    expect([leader.phase, f.phase]).toEqual(['done', 'done']);
    expect(m.events.map((e) => e.kind === 'answer' && e.source)).toEqual(['network', 'coalesced']);
  });
});

describe('timer kinds', () => {
  it('a give-up that falls on the deadline fires as the deadline', () => {
    const { m, start } = machine({ timeout: 1000, minTimeout: 1000, deadline: 1000 });
    const q = start(0);
    expect(q.giveUpAt).toBe(q.deadline);
    m.fireTimers(1000);
    expect(m.stats.timeouts).toBe(0);
    expect(m.events.at(-1)).toMatchObject({ kind: 'error', code: 'ETIMEOUT' });
  });
});

describe('reuse of finished queries and attempts (spares.ts)', () => {
  it('a query started after the output was drained gets the finished query and attempt, with every field set anew', () => {
    const { m, start } = machine({ timeout: 100, minTimeout: 100, deadline: 1000 });
    const first = start(0, 'a.example');
    const attempt = first.current!;
    const handle = first.handle;
    m.finishError(first, 'ECANCELLED', 5, 'cancelled');
    // Not before the output is drained: the call that finished it may still read it.
    const meanwhile = start(6, 'b.example');
    expect(meanwhile).not.toBe(first);
    expect(meanwhile.current).not.toBe(attempt);
    m.spares!.reclaim();
    const second = start(7, 'c.example');
    expect(second).toBe(first);
    expect(second.current).toBe(attempt);
    expect(second).toMatchObject({ name: 'c.example', phase: 'sending', start: 7, deadline: 1007, sent: 1, planned: 1, failed: undefined, lastError: undefined });
    expect(attempt).toMatchObject({ query: second, sentAt: 7, spare: false });
    expect(m.index.get(attempt.key)).toBe(attempt);
    expect(m.queries.get(second.handle)).toBe(second);
    expect(second.handle).not.toBe(handle);
    expect(m.queries.get(handle)).toBeUndefined();
  });
});
