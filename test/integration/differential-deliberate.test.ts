/**
 * Where sansdns/node differs from node:dns on purpose, each difference
 * asserted against Node on the same recording server, and then the option
 * that turns it off asserted to make ours behave as Node does (README.md,
 * "Differences from node:dns", lists the same):
 *
 * - EDNS(0) on by default (RFC 6891)           `edns: false`
 * - DNS cookies sent by default (RFC 7873)      `cookies: false`
 * - answers cached by their TTL                 `cache: false`
 * - `localhost` answered locally (RFC 6761)     `specialNames: false`
 * - an overall deadline of `timeout × tries × servers`   `deadline` (and `backoff: 2` for Node's doubling)
 * - no default `tries` (Node's is 4): tries while the deadline allows   `tries: 4`
 */
import { promises as dnsPromises } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeResolver, type NodeResolverOptions } from '../../src/node.js';
import { startHostileServer, type HostileServer } from './differential/hostile-server.js';
import { settle } from './differential/outcome.js';

const H = 'hostile.test';
let server: HostileServer;
let addr: string;
const open: NodeResolver[] = [];

beforeAll(async () => {
  server = await startHostileServer({ tcp: true });
  addr = `${server.address}:${server.port}`;
});
afterAll(async () => {
  for (const r of open) r.close();
  await server.stop();
});

/** Ours with Node's options of these tests (`timeout: 1000, tries: 2`) unless given; `tries: undefined` for none. */
function ours(options: Omit<NodeResolverOptions, 'tries'> & { tries?: number | undefined } = {}): NodeResolver {
  const tries = 'tries' in options ? options.tries : 2;
  const { tries: _tries, ...rest } = options;
  const r = new NodeResolver({ resolvConf: false, hostsFile: false, timeout: 1000, ...(tries === undefined ? {} : { tries }), ...rest });
  r.setServers([addr]);
  open.push(r);
  return r;
}

function nodes(options: { timeout?: number; tries?: number | undefined } = {}): dnsPromises.Resolver {
  const r = new dnsPromises.Resolver({ timeout: 1000, tries: 2, ...options });
  r.setServers([addr]);
  return r;
}

/** A fresh name with the `ok` behaviour, so no earlier query (or cache) is involved. */
let serial = 0;
const fresh = (label = 'ok'): string => `${label}.n${++serial}.${H}`;
const queriesFor = (name: string) => server.queries.filter((q) => q.name === name);

describe('differences from node:dns on purpose', () => {
  it('EDNS: ours sends an OPT record, Node does not; edns: false sends none; same answer', async () => {
    const [a, b, c] = [fresh(), fresh(), fresh()];
    expect(await ours().resolve4(a)).toEqual(await nodes().resolve4(b));
    expect(queriesFor(a).map((q) => q.edns)).toEqual([true]);
    expect(queriesFor(b).map((q) => q.edns)).toEqual([false]);
    await ours({ edns: false }).resolve4(c);
    expect(queriesFor(c).map((q) => q.edns)).toEqual([false]);
  });

  it('cookies: ours sends a client COOKIE option, Node none; cookies: false sends EDNS without it', async () => {
    const [a, b, c] = [fresh(), fresh(), fresh()];
    await ours().resolve4(a);
    await nodes().resolve4(b);
    await ours({ cookies: false }).resolve4(c);
    expect(queriesFor(a).map((q) => q.cookie)).toEqual([true]);
    expect(queriesFor(b).map((q) => q.cookie)).toEqual([false]);
    expect(queriesFor(c).map((q) => [q.edns, q.cookie])).toEqual([[true, false]]);
  });

  it('cache: ours asks once for two lookups within the TTL, Node twice; cache: false asks twice', async () => {
    const name = fresh();
    const mine = ours();
    const theirs = nodes();
    for (let i = 0; i < 2; i++) {
      expect(await mine.resolve4(name)).toEqual(await theirs.resolve4(name));
    }
    expect(queriesFor(name).length).toBe(3); // ours 1 + Node's 2
    const other = fresh();
    const uncached = ours({ cache: false });
    await uncached.resolve4(other);
    await uncached.resolve4(other);
    expect(queriesFor(other).length).toBe(2);
  });

  it('localhost: ours answers loopback without a datagram, Node asks the server; specialNames: false asks', async () => {
    const before = server.received('localhost').length;
    expect(await ours().resolve4('localhost')).toEqual(['127.0.0.1']);
    expect(await ours().resolve6('localhost')).toEqual(['::1']);
    expect(server.received('localhost').length).toBe(before);
    const theirs = await nodes().resolve4('localhost');
    expect(server.received('localhost').length).toBe(before + 1);
    expect(await ours({ specialNames: false }).resolve4('localhost')).toEqual(theirs);
    expect(server.received('localhost').length).toBe(before + 2);
  });

  it('deadline: ours gives up within timeout × tries, while Node (doubling each try) still waits', async () => {
    const [a, b] = [fresh('silent'), fresh('silent')];
    let nodeSettled = false;
    const theirs = settle(() => nodes({ timeout: 150, tries: 3 }).resolve4(b)).finally(() => { nodeSettled = true; });
    const mine = await settle(() => ours({ timeout: 150, tries: 3 }).resolve4(a));
    expect(mine.ok ? 'value' : mine.error['code']).toBe('ETIMEOUT');
    expect(nodeSettled).toBe(false);
    const late = await theirs;
    expect(late.ok ? 'value' : late.error['code']).toBe('ETIMEOUT');
    expect(queriesFor(b).length).toBe(3);
  });

  it('deadline: a larger `deadline` and `backoff: 2` give Node\'s tries and their spacing', async () => {
    const [a, b] = [fresh('silent'), fresh('silent')];
    const opts = { timeout: 100, tries: 3 } as const;
    const [mine, theirs] = await Promise.all([
      settle(() => ours({ ...opts, deadline: 100 + 200 + 400, backoff: 2, minTimeout: 100, maxTimeout: 400 }).resolve4(a)),
      settle(() => nodes(opts).resolve4(b)),
    ]);
    expect([mine, theirs].map((o) => (o.ok ? 'value' : o.error['code']))).toEqual(['ETIMEOUT', 'ETIMEOUT']);
    expect(queriesFor(a).length).toBe(queriesFor(b).length);
  });

  it('tries: ours has no default, so it outlasts four lost queries within the deadline; Node (4 tries) gives up; `tries: 4` too', async () => {
    const [a, b, c] = [fresh('drop4'), fresh('drop4'), fresh('drop4')];
    const [mine, theirs, four] = await Promise.all([
      settle(() => ours({ timeout: 50, tries: undefined, deadline: 3000 }).resolve4(a)),
      settle(() => nodes({ timeout: 50, tries: undefined }).resolve4(b)),
      settle(() => ours({ timeout: 50, tries: 4 }).resolve4(c)),
    ]);
    expect(mine.ok ? mine.value : mine.error['code']).toEqual(['192.0.2.1']);
    expect([theirs, four].map((o) => (o.ok ? 'value' : o.error['code']))).toEqual(['ETIMEOUT', 'ETIMEOUT']);
    expect(queriesFor(a).length).toBe(5);
    expect(queriesFor(b).length).toBe(4);
    expect(queriesFor(c).length).toBe(4);
  });
});
