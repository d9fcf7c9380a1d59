/**
 * sansdns/node against node:dns on five kinds of real servers on loopback:
 * BIND, Knot and NSD (authoritative), unbound (recursive, over stub zones of
 * a loopback authoritative) and dnsmasq (forwarding to one). Each case of
 * differential/cases.ts runs on both resolvers, set to the same server with
 * `setServers`, and the results or errors must agree (record sets in any
 * order; TTLs within 2 s behind a cache). A missing server skips loudly, and
 * fails under CI=true.
 */
import { promises as dnsPromises } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeResolver } from '../../src/node.js';
import { CASES, type Subject } from './differential/cases.js';
import { expectAgreement, knownDifference } from './differential/known.js';
import { difference, settle } from './differential/outcome.js';
import { missingServerMessage, serverAvailable, startServer, type RunningServer, type ServerKind } from './servers.js';

const CI = process.env['CI'] === 'true';
const OPTIONS = { timeout: 2000, tries: 2 } as const;

/** Each server under test, and (for unbound and dnsmasq) the authoritative server behind it. */
const SETUPS: readonly { readonly kind: ServerKind; readonly upstream?: ServerKind }[] = [
  { kind: 'bind' }, { kind: 'knot' }, { kind: 'nsd' }, { kind: 'unbound', upstream: 'nsd' }, { kind: 'dnsmasq', upstream: 'knot' },
];

/**
 * Ours, in node:dns's shape, with only `servers` set as node's is, and our
 * cache off: Node has none (a deliberate difference, asserted in
 * differential-deliberate.test.ts), and with it each side would not see the
 * same server (a cached ANY answer, TTLs counted down from the cache entry).
 */
function ours(addr: string): { subject: Subject; close(): void } {
  const r = new NodeResolver({ resolvConf: false, hostsFile: false, cache: false, ...OPTIONS });
  r.setServers([addr]);
  return { subject: r as unknown as Subject, close: () => r.close() };
}

function nodes(addr: string): Subject {
  const r = new dnsPromises.Resolver(OPTIONS);
  r.setServers([addr]);
  return r;
}

for (const setup of SETUPS) {
  const needed = [setup.kind, ...(setup.upstream === undefined ? [] : [setup.upstream])];
  const missing = needed.filter((k) => !serverAvailable(k));
  const label = setup.upstream === undefined ? setup.kind : `${setup.kind} over ${setup.upstream}`;
  if (missing.length > 0 && !CI) for (const k of missing) console.warn(`\n!!! ${missingServerMessage(k)} (CI=true makes this fail) !!!\n`);

  describe.skipIf(missing.length > 0 && !CI)(`differential: sansdns/node vs node:dns on ${label}`, () => {
    const started: RunningServer[] = [];
    let mine: ReturnType<typeof ours>;
    let theirs: Subject;
    let slack = 0;

    beforeAll(async () => {
      const upstream = setup.upstream === undefined ? undefined : await startServer(setup.upstream);
      if (upstream !== undefined) started.push(upstream);
      const server = await startServer(setup.kind, upstream === undefined ? {} : { upstream });
      started.push(server);
      slack = server.role === 'authoritative' ? 0 : 2;
      const addr = `${server.address}:${server.port}`;
      mine = ours(addr);
      theirs = nodes(addr);
    });

    afterAll(async () => {
      mine?.close();
      theirs?.cancel();
      for (const s of started.reverse()) await s.stop();
    });

    for (const c of CASES) {
      it(c.id, async () => {
        const a = await settle(() => c.call(mine.subject));
        const b = await settle(() => c.call(theirs));
        const diff = difference(a, b, slack);
        const known = knownDifference(c.id, setup.kind);
        expectAgreement(diff, known, a, b, `${c.id} on ${label}`);
      });
    }

    it('getServers() agree', () => {
      expect(mine.subject.getServers()).toEqual(theirs.getServers());
    });
  });
}
