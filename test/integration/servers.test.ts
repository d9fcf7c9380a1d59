/**
 * Self-test of the loopback server harness: each available server starts,
 * answers from test/fixtures/zones through Node's own resolver (c-ares, not
 * our code), and stops: the authoritative ones (BIND, Knot, NSD) on their
 * own, unbound and dnsmasq in front of one. Missing binaries skip here and
 * fail under CI=true.
 */
import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingServerMessage, serverAvailable, startServer, type RunningServer, type ServerKind } from './servers.js';

const CI = process.env['CI'] === 'true';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function rejectCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
}

function suite(kind: ServerKind): void {
  let server: RunningServer;
  let r: Resolver;

  beforeAll(async () => {
    server = await startServer(kind);
    r = new Resolver({ timeout: 2000, tries: 2 });
    r.setServers([`${server.address}:${server.port}`]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('starts in under 3 s and reports its version', () => {
    expect(server.startupMs).toBeLessThan(3000);
    expect(server.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(server.label).toBe(`${kind} ${server.version}`);
  });

  it('answers A, AAAA, MX', async () => {
    expect(await r.resolve4('example.test')).toEqual(['192.0.2.1']);
    expect((await r.resolve6('example.test')).sort()).toEqual(['2001:db8:0:1::3', '2001:db8::1', '2001:db8::2']);
    const mx = (await r.resolveMx('example.test')).sort((a, b) => a.priority - b.priority);
    expect(mx).toEqual([
      { priority: 10, exchange: 'mail1.example.test' },
      { priority: 20, exchange: 'mail2.example.test' },
      { priority: 30, exchange: 'mail.example.net' },
    ]);
  });

  it('answers TXT with several strings, several records and > 255 bytes', async () => {
    const txt = (await r.resolveTxt('txt.example.test')).map((t) => t.join('|')).sort();
    expect(txt).toEqual(['one|two|three', 'second record', 'spaces and "quotes" and a semicolon;']);
    const long = await r.resolveTxt('longtxt.example.test');
    expect(long).toEqual([['a'.repeat(200), 'b'.repeat(100)]]);
  });

  it('answers SRV, CAA, NAPTR, PTR', async () => {
    const srv = (await r.resolveSrv('_sip._tcp.example.test')).sort((a, b) => a.priority - b.priority);
    expect(srv[0]).toEqual({ priority: 10, weight: 60, port: 5060, name: 'sip.example.test' });
    expect(srv).toHaveLength(2);
    const caa = await r.resolveCaa('example.test');
    expect(caa).toContainEqual({ critical: 0, issue: 'ca.example.net' });
    const naptr = await r.resolveNaptr('naptr.example.test');
    expect(naptr.map((n) => n.order).sort()).toEqual([100, 102]);
    expect((await r.reverse('192.0.2.25'))).toEqual(['mail1.example.test']);
    expect(await r.resolvePtr('ptr.example.test')).toEqual(['host.example.test']);
  });

  it('follows the CNAME chain, expands the wildcard, keeps TTL 0', async () => {
    expect(await r.resolve4('chain1.example.test')).toEqual(['192.0.2.80']);
    expect(await r.resolveCname('chain1.example.test')).toEqual(['chain2.example.test']);
    expect(await r.resolve4('anything.wild.example.test', { ttl: true })).toEqual([{ address: '192.0.2.99', ttl: 600 }]);
    expect(await r.resolve4('ttl0.example.test', { ttl: true })).toEqual([{ address: '192.0.2.100', ttl: 0 }]);
  });

  it('returns NXDOMAIN, NODATA (also at empty non-terminals) and REFUSED', async () => {
    expect(await rejectCode(r.resolve4('nope.example.test'))).toBe('ENOTFOUND');
    expect(await rejectCode(r.resolve4('onlytxt.example.test'))).toBe('ENODATA');
    expect(await rejectCode(r.resolve4('b.ent.example.test'))).toBe('ENODATA');
    expect(await rejectCode(r.resolve4('example.com'))).toBe('EREFUSED');
  });

  it('serves the 150-record RRset (UDP truncates, c-ares retries over TCP)', async () => {
    const big = await r.resolve4('big.example.test');
    expect(big).toHaveLength(150);
  });

  it('listens on ::1 when the host has it', async () => {
    if (server.address6 === undefined) return;
    const r6 = new Resolver({ timeout: 2000, tries: 2 });
    r6.setServers([`[${server.address6}]:${server.port}`]);
    expect(await r6.resolve4('www.example.test')).toEqual(['192.0.2.1']);
  });

  it('stop() ends the child process', async () => {
    const other = await startServer(kind);
    expect(alive(other.pid)).toBe(true);
    await other.stop();
    expect(alive(other.pid)).toBe(false);
    await other.stop(); // idempotent
  });
}

/** unbound or dnsmasq in front of an authoritative server. */
function front(kind: 'unbound' | 'dnsmasq', behind: ServerKind): void {
  let upstream: RunningServer;
  let server: RunningServer;
  let r: Resolver;

  beforeAll(async () => {
    upstream = await startServer(behind);
    server = await startServer(kind, { upstream });
    r = new Resolver({ timeout: 2000, tries: 2 });
    r.setServers([`${server.address}:${server.port}`]);
  });
  afterAll(async () => {
    await server?.stop();
    await upstream?.stop();
  });

  it(`answers from the zones of ${behind}, without AA`, async () => {
    expect(server.role).toBe(kind === 'unbound' ? 'recursive' : 'forwarder');
    expect(await r.resolve4('chain1.example.test')).toEqual(['192.0.2.80']);
    expect(await r.resolveTxt('onlytxt.edge.test')).toEqual([['only TXT']]);
    expect(await rejectCode(r.resolve4('nope.example.test'))).toBe('ENOTFOUND');
  });

  it('reaches nothing but its upstream: a name outside the zones fails', async () => {
    // unbound's only root is a stub at the upstream, which refuses: SERVFAIL; dnsmasq passes REFUSED on.
    expect(await rejectCode(r.resolve4('www.example.net'))).toBe(kind === 'unbound' ? 'ESERVFAIL' : 'EREFUSED');
  });

  it('stop() ends the child process', async () => {
    await server.stop();
    expect(alive(server.pid)).toBe(false);
  });
}

for (const [kind, behind] of [['unbound', 'nsd'], ['dnsmasq', 'knot']] as const) {
  const missing = [kind, behind].filter((k) => !serverAvailable(k));
  if (missing.length === 0) {
    describe(`${kind} over ${behind} on loopback`, () => front(kind, behind));
  } else if (CI) {
    describe(`${kind} over ${behind} on loopback`, () => {
      it('has its binaries (CI=true)', () => {
        throw new Error(missing.map(missingServerMessage).join('; '));
      });
    });
  } else {
    for (const k of missing) console.warn(missingServerMessage(k));
    describe.skip(`${kind} over ${behind} on loopback`, () => front(kind, behind));
  }
}

for (const kind of ['bind', 'knot', 'nsd'] as const) {
  if (serverAvailable(kind)) {
    describe(`${kind} on loopback`, () => suite(kind));
  } else if (CI) {
    describe(`${kind} on loopback`, () => {
      it('has its binary (CI=true)', () => {
        throw new Error(missingServerMessage(kind));
      });
    });
  } else {
    console.warn(missingServerMessage(kind));
    describe.skip(`${kind} on loopback`, () => suite(kind));
  }
}
