/**
 * sansdns/node against node:dns on malformed, odd and hostile answers from a
 * server of our own (differential/hostile-server.ts): garbage, truncated
 * headers, wrong IDs and questions, bad rdata of every type Node decodes,
 * compression loops, every rcode, truncation with and without TCP behind it,
 * duplicated and late datagrams. Results and errors must agree, except the
 * known differences in differential/known.ts.
 */
import { promises as dnsPromises } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeResolver } from '../../src/node.js';
import type { Case, Subject } from './differential/cases.js';
import { BEHAVIOURS, startHostileServer, type HostileServer } from './differential/hostile-server.js';
import { expectAgreement, knownDifference } from './differential/known.js';
import { difference, settle } from './differential/outcome.js';

const OPTIONS = { timeout: 300, tries: 1 } as const;
const H = 'hostile.test';

const byType: Record<string, (r: Subject, n: string) => Promise<unknown>> = {
  aaaashort: (r, n) => r.resolve6(n), txtover: (r, n) => r.resolveTxt(n), binarytxt: (r, n) => r.resolveTxt(n),
  mxshort: (r, n) => r.resolveMx(n), srvshort: (r, n) => r.resolveSrv(n), soashort: (r, n) => r.resolveSoa(n),
  caabad: (r, n) => r.resolveCaa(n), naptrbad: (r, n) => r.resolveNaptr(n), longlabel: (r, n) => r.resolveCname(n),
  v6forms: (r, n) => r.resolve6(n), lowbytes: (r, n) => r.resolveCname(n), bytes80: (r, n) => r.resolvePtr(n),
  bytesbc: (r, n) => r.resolveCname(n), bytesf8: (r, n) => r.resolvePtr(n),
  naptresc: (r, n) => r.resolveNaptr(n), naptrhigh: (r, n) => r.resolveNaptr(n), caaesc: (r, n) => r.resolveCaa(n),
};

/** The hostile cases: each behaviour with `resolve4` (and its own type where it breaks one), on a server with TCP. */
export const HOSTILE_CASES: readonly (Case & { readonly tcp: boolean })[] = [
  ...Object.keys(BEHAVIOURS).map((label) => ({ id: `hostile ${label} A`, tcp: true, call: (r: Subject) => r.resolve4(`${label}.${H}`) })),
  ...Object.entries(byType).map(([label, f]) => ({ id: `hostile ${label} own type`, tcp: true, call: (r: Subject) => f(r, `${label}.${H}`) })),
  { id: 'hostile negttl A ttl', tcp: true, call: (r) => r.resolve4(`negttl.${H}`, { ttl: true }) },
  { id: 'hostile wrongtype ANY', tcp: true, call: (r) => r.resolveAny(`wrongtype.${H}`) },
  { id: 'hostile cnameloop CNAME', tcp: true, call: (r) => r.resolveCname(`cnameloop.${H}`) },
  { id: 'hostile tc, no TCP listener', tcp: false, call: (r) => r.resolve4(`tc.${H}`) },
  { id: 'hostile servfail reverse', tcp: true, call: (r) => r.reverse('192.0.2.9') },
];

describe('differential: sansdns/node vs node:dns on a hostile server', () => {
  const servers: Record<'tcp' | 'udp', HostileServer | undefined> = { tcp: undefined, udp: undefined };
  const closers: (() => void)[] = [];
  const pairs: Record<'tcp' | 'udp', { mine: Subject; theirs: Subject } | undefined> = { tcp: undefined, udp: undefined };

  beforeAll(async () => {
    for (const kind of ['tcp', 'udp'] as const) {
      const server = await startHostileServer({ tcp: kind === 'tcp' });
      servers[kind] = server;
      const addr = `${server.address}:${server.port}`;
      const mine = new NodeResolver({ resolvConf: false, hostsFile: false, ...OPTIONS });
      mine.setServers([addr]);
      closers.push(() => mine.close());
      const theirs = new dnsPromises.Resolver(OPTIONS);
      theirs.setServers([addr]);
      pairs[kind] = { mine: mine as unknown as Subject, theirs };
    }
  });

  afterAll(async () => {
    for (const close of closers) close();
    await servers.tcp?.stop();
    await servers.udp?.stop();
  });

  for (const c of HOSTILE_CASES) {
    it(c.id, async () => {
      const pair = pairs[c.tcp ? 'tcp' : 'udp'];
      if (pair === undefined) throw new Error('no server');
      const [a, b] = await Promise.all([settle(() => c.call(pair.mine)), settle(() => c.call(pair.theirs))]);
      const diff = difference(a, b, 0);
      const known = knownDifference(c.id, 'hostile');
      expectAgreement(diff, known, a, b, c.id);
    });
  }
});
