/**
 * The Node driver's DNS over TLS and DoH over HTTP/2, and DohResolver over
 * Node's fetch, against real servers on loopback: dnsdist (DoT; DoH over
 * HTTP/2 and HTTP/1.1) and unbound (DoT; DoH over HTTP/2 only), each in
 * front of a loopback Knot (else BIND) authoritative server, with a
 * self-signed certificate made for the test. A missing daemon skips its
 * suite loudly, except under CI=true, where it must run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeResolver as Resolver, type ServerTransportError } from '../../src/node.js';
import { DohResolver, type DohServerError } from '../../src/doh.js';
import { makeCert } from '../helpers/secure-servers.js';
import { rejection } from '../helpers/rejection.js';
import { serverAvailable, startServer, type RunningServer } from './servers.js';
import { daemonBinary, missingDaemonMessage, startDaemon, type DaemonKind, type SecureDaemon } from './secure-daemons.js';

const ci = process.env.CI === 'true';
const Z = 'example.test';
const cert = makeCert();
const authKind = serverAvailable('knot') ? 'knot' : 'bind';

for (const kind of ['dnsdist', 'unbound'] as DaemonKind[]) {
  const available = daemonBinary(kind) !== undefined && serverAvailable(authKind);
  if (!available && !ci) console.warn(`\n!!! ${missingDaemonMessage(kind)} !!!\n`);

  describe.skipIf(!available && !ci)(`DoT and DoH clients against ${kind}`, () => {
    let auth: RunningServer;
    let daemon: SecureDaemon;
    const resolvers: { close(): void }[] = [];
    const make = (servers: string[], extra: Record<string, unknown> = {}): { r: Resolver; failures: ServerTransportError[] } => {
      const failures: ServerTransportError[] = [];
      const r = new Resolver({ resolvConf: false, hostsFile: false, servers, ca: cert.cert, timeout: 3000, tries: 2, onServerError: (e) => failures.push(e), ...extra });
      resolvers.push(r);
      return { r, failures };
    };

    beforeAll(async () => {
      auth = await startServer(authKind, { ipv6: false });
      daemon = await startDaemon(kind, cert, auth.port);
    });

    afterAll(async () => {
      for (const r of resolvers) r.close();
      await daemon?.stop();
      await auth?.stop();
    });

    it('DNS over TLS: answers, NXDOMAIN, and 100 queries pipelined on one connection', async () => {
      const { r, failures } = make([`tls://127.0.0.1:${daemon.dotPort}#dns.test`]);
      expect(await r.resolve4(Z)).toEqual(['192.0.2.1']);
      expect((await r.resolveMx(Z)).map((m) => m.priority).sort()).toEqual([10, 20, 30]);
      expect(await rejection(r.resolve4(`nx.${Z}`))).toMatchObject({ code: 'ENOTFOUND' });
      const names = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? `www.${Z}` : `mail${1 + (i % 4 === 1 ? 0 : 1)}.${Z}`));
      const all = await Promise.all(names.map((n) => r.resolve4(n, { ttl: true })));
      expect(all.every((a) => a.length === 1)).toBe(true);
      expect(failures).toEqual([]);
    });

    it('DNS over TLS with an SPKI pin and no CA; a wrong servername fails as TLS', async () => {
      const pinned = make([`tls://127.0.0.1:${daemon.dotPort}`], { ca: undefined, pins: { [`127.0.0.1:${daemon.dotPort}`]: [cert.pin] } });
      expect(await pinned.r.resolve4(`www.${Z}`)).toEqual(['192.0.2.1']);
      const wrong = make([`tls://127.0.0.1:${daemon.dotPort}#not-this.test`]);
      await rejection(wrong.r.resolve4(Z));
      expect(wrong.failures[0]).toMatchObject({ reason: 'tls' });
    });

    it('DoH over HTTP/2: answers and 100 queries on one session', async () => {
      const { r, failures } = make([daemon.dohUrl]);
      expect(await r.resolve6(Z)).toHaveLength(3);
      const all = await Promise.all(Array.from({ length: 100 }, (_, i) => r.resolveTxt(i % 2 === 0 ? `txt.${Z}` : Z)));
      expect(all.every((a) => a.length >= 1)).toBe(true);
      expect(failures).toEqual([]);
    });

    it('UDP, DoT and DoH servers in one list, the first one dead', async () => {
      const { r, failures } = make(['tls://127.0.0.1:1', daemon.dohUrl, `tls://127.0.0.1:${daemon.dotPort}#dns.test`, `127.0.0.1:${auth.port}`]);
      expect(await r.resolve4(`www.${Z}`)).toEqual(['192.0.2.1']);
      expect(failures[0]).toMatchObject({ reason: 'connect' });
    });

    it(`DohResolver over Node's global fetch (HTTP/1.1 only): ${kind === 'dnsdist' ? 'answers' : 'fails, saying why'}`, async () => {
      const failures: DohServerError[] = [];
      const d = new DohResolver({ servers: [daemon.dohUrl], tries: 1, timeout: 3000, onServerError: (e) => failures.push(e) });
      resolvers.push(d);
      // Node's fetch takes no CA option: without verification for this one test, so that what fails is HTTP, not TLS.
      const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
      try {
        if (kind === 'dnsdist') {
          expect(await d.resolve4(Z)).toEqual(['192.0.2.1']);
        } else {
          const e = await rejection(d.resolve4(Z));
          expect(failures[0]).toMatchObject({ reason: 'network' });
          expect((e.cause as Error).message).toMatch(/HTTP\/2 only/);
        }
      } finally {
        if (before === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
        else process.env.NODE_TLS_REJECT_UNAUTHORIZED = before;
      }
    });

    it('DohResolver over fetch: a certificate Node does not trust fails as TLS', async () => {
      const failures: DohServerError[] = [];
      const d = new DohResolver({ servers: [daemon.dohUrl], tries: 1, timeout: 3000, onServerError: (e) => failures.push(e) });
      resolvers.push(d);
      const e = await rejection(d.resolve4(Z));
      expect(failures[0]).toMatchObject({ reason: 'tls', code: 'ECONNREFUSED' });
      expect((e.cause as Error).message).toMatch(/TLS failed/);
    });
  });
}
