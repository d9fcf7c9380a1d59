/**
 * The Node driver against real BIND 9 and Knot DNS on loopback, compared case
 * by case with Node's own `dns.promises.Resolver` against the same server:
 * same shapes, same values, same error codes, syscalls and hostnames.
 * Where a server is missing the suite says so loudly and skips, except under
 * CI=true, where it must run.
 */
import { promises as dnsPromises } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeResolver as Resolver } from '../../src/node.js';
import { serverAvailable, startServer } from './servers.js';

type Kind = 'bind' | 'knot';
type Call = (r: Resolver | dnsPromises.Resolver) => Promise<unknown>;

const Z = 'example.test';
const CASES: [string, Call][] = [
  ['A apex', (r) => r.resolve4(Z)],
  ['A with ttl', (r) => r.resolve4(Z, { ttl: true })],
  ['A through a CNAME chain, ttl', (r) => r.resolve4(`chain1.${Z}`, { ttl: true })],
  ['A TTL 0', (r) => r.resolve4(`ttl0.${Z}`, { ttl: true })],
  ['A over TCP (answer > 1232 bytes)', (r) => r.resolve4(`big.${Z}`)],
  ['A wildcard', (r) => r.resolve4(`anything.wild.${Z}`, { ttl: true })],
  ['A NXDOMAIN', (r) => r.resolve4(`nx.${Z}`)],
  ['A NODATA', (r) => r.resolve4(`onlytxt.${Z}`)],
  ['A NXDOMAIN in another zone (REFUSED)', (r) => r.resolve4('nothing.invalid')],
  ['AAAA', (r) => r.resolve6(Z)],
  ['AAAA with ttl', (r) => r.resolve6(Z, { ttl: true })],
  ['AAAA NODATA', (r) => r.resolve6(`www.${Z}`)],
  ['MX', (r) => r.resolveMx(Z)],
  ['MX NODATA', (r) => r.resolveMx(`www.${Z}`)],
  ['TXT several strings and records', (r) => r.resolveTxt(`txt.${Z}`)],
  ['TXT over 255 bytes', (r) => r.resolveTxt(`longtxt.${Z}`)],
  ['TXT wildcard', (r) => r.resolveTxt(`x.wild.${Z}`)],
  ['TXT NXDOMAIN', (r) => r.resolveTxt(`nx.${Z}`)],
  ['SRV', (r) => r.resolveSrv(`_sip._tcp.${Z}`)],
  ['CAA', (r) => r.resolveCaa(Z)],
  ['NS', (r) => r.resolveNs(Z)],
  ['SOA', (r) => r.resolveSoa(Z)],
  ['SOA NODATA', (r) => r.resolveSoa(`www.${Z}`)],
  ['PTR', (r) => r.resolvePtr(`ptr.${Z}`)],
  ['NAPTR', (r) => r.resolveNaptr(`naptr.${Z}`)],
  ['CNAME', (r) => r.resolveCname(`chain1.${Z}`)],
  ['CNAME NODATA', (r) => r.resolveCname(`www.${Z}`)],
  ['ANY apex', (r) => r.resolveAny(Z)],
  ['ANY txt', (r) => r.resolveAny(`txt.${Z}`)],
  ['resolve(MX)', (r) => r.resolve(Z, 'MX')],
  ['resolve(default A)', (r) => r.resolve(`www.${Z}`)],
  ['reverse', (r) => r.reverse('192.0.2.1')],
  ['reverse NXDOMAIN', (r) => r.reverse('192.0.2.2')],
];

/** Order-insensitive form of a result (servers may rotate RRsets), or of an error. */
function normal(outcome: { ok: true; value: unknown } | { ok: false; error: Record<string, unknown> }): unknown {
  if (!outcome.ok) {
    const { code, syscall, hostname } = outcome.error;
    return { error: { code, syscall, hostname } };
  }
  const v = outcome.value;
  if (!Array.isArray(v)) return v;
  return [...v].map((x) => JSON.stringify(Array.isArray(x) ? x : sortKeys(x))).sort();
}

function sortKeys(x: unknown): unknown {
  if (typeof x !== 'object' || x === null) return x;
  return Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)));
}

async function outcome(p: () => Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; error: Record<string, unknown> }> {
  try {
    return { ok: true, value: await p() };
  } catch (error) {
    return { ok: false, error: error as Record<string, unknown> };
  }
}

const ci = process.env.CI === 'true';

for (const kind of ['bind', 'knot'] as Kind[]) {
  const available = await serverAvailable(kind);
  if (!available && !ci) {
    console.warn(`\n!!! ${kind} is not installed: SKIPPING the ${kind} interop suite (run .ci/run, or install it; CI=true makes this fail) !!!\n`);
  }
  describe.skipIf(!available && !ci)(`node driver vs Node's resolver against ${kind}`, () => {
    let server: Awaited<ReturnType<typeof startServer>>;
    let ours: Resolver;
    let node: dnsPromises.Resolver;

    beforeAll(async () => {
      server = await startServer(kind);
      const addr = server.address.includes(':') ? `[${server.address}]:${server.port}` : `${server.address}:${server.port}`;
      ours = new Resolver({ resolvConf: false, servers: [addr], timeout: 2000, tries: 2 });
      node = new dnsPromises.Resolver({ timeout: 2000, tries: 2 });
      node.setServers([addr]);
    });

    afterAll(async () => {
      ours?.close();
      node?.cancel();
      await server?.stop();
    });

    for (const [label, call] of CASES) {
      it(label, async () => {
        const mine = await outcome(() => call(ours));
        const theirs = await outcome(() => call(node));
        expect(normal(mine)).toEqual(normal(theirs));
        if (!mine.ok && !theirs.ok) expect(mine.error.message).toBe(theirs.error.message);
      });
    }

    it('errors are Errors with the same own keys as Node', async () => {
      const mine = await outcome(() => ours.resolve4(`nx.${Z}`));
      const theirs = await outcome(() => node.resolve4(`nx.${Z}`));
      expect(mine.ok || theirs.ok).toBe(false);
      if (mine.ok || theirs.ok) return;
      expect(mine.error).toBeInstanceOf(Error);
      expect(Object.keys(mine.error).filter((k) => k !== 'cause').sort()).toEqual(Object.keys(theirs.error).sort());
    });

    it('HTTPS and SVCB records (beyond Node)', async () => {
      const https = await ours.resolveHttps(`svc.${Z}`);
      expect(https).toHaveLength(1);
      expect(https[0]).toMatchObject({ priority: 1, target: '.', ttl: 3600 });
      expect((https[0]?.params.length ?? 0)).toBeGreaterThanOrEqual(3);
      expect(await ours.resolveSvcb(`_dns.svc.${Z}`)).toMatchObject([{ priority: 1, target: `svc.${Z}` }]);
    });

    it('query() returns the full answer with TTLs', async () => {
      const res = await ours.query(`ttl0.${Z}`, 'A');
      expect(res.rcode).toBe(0);
      expect(res.message.answers).toMatchObject([{ type: 'A', ttl: 0, data: '192.0.2.100' }]);
      expect(res.message.flags.aa).toBe(true);
      const nx = await ours.query(`nx.${Z}`, 'A');
      expect(nx.rcode).toBe(3);
      expect(nx.message.authorities[0]).toMatchObject({ type: 'SOA', ttl: 300 });
    });

    it('over IPv6 loopback too', async (ctx) => {
      if (server.address6 === undefined) return ctx.skip();
      const addr = `[${server.address6}]:${server.port}`;
      const r6 = new Resolver({ resolvConf: false, servers: [addr] });
      const n6 = new dnsPromises.Resolver();
      n6.setServers([addr]);
      try {
        expect(r6.getServers()).toEqual(n6.getServers());
        for (const [, call] of CASES.slice(0, 8)) {
          expect(normal(await outcome(() => call(r6)))).toEqual(normal(await outcome(() => call(n6))));
        }
      } finally {
        r6.close();
      }
    });

    it('a burst of 500 concurrent queries all answer', async () => {
      const all = await Promise.all(Array.from({ length: 500 }, (_, i) => ours.resolve4(`n${i}.wild.${Z}`)));
      expect(all.every((a) => a[0] === '192.0.2.99')).toBe(true);
    });
  });
}
