/**
 * The DoH bridge queried by real clients and load tools on loopback, in
 * front of a loopback Knot (else BIND): kdig and dig over DoH (`+https`,
 * and h2c with dig's `+http-plain`) and DNS over TLS (`+tls`), with the
 * test's certificate as CA; nghttp's frame log (one HEADERS and one DATA
 * frame with END_STREAM per response); dnsperf over DoH, DoT and TCP; h2load.
 * A missing tool skips its test loudly, except under CI=true.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDohServer, type DohServer } from '../../src/node.js';
import { makeCert } from '../helpers/secure-servers.js';
import { serverAvailable, startServer, type RunningServer } from './servers.js';

const run = promisify(execFile);
const ci = process.env.CI === 'true';
const authKind = serverAvailable('knot') ? 'knot' : 'bind';
const cert = makeCert();

function has(tool: string): boolean {
  const dirs = (process.env['PATH'] ?? '').split(':');
  return dirs.some((d) => {
    try {
      accessSync(join(d, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const TOOLS: Record<string, string> = { kdig: 'knot-dnsutils', dig: 'bind9-dnsutils', nghttp: 'nghttp2-client', h2load: 'nghttp2-client', dnsperf: 'dnsperf' };
const present = Object.fromEntries(Object.keys(TOOLS).map((t) => [t, has(t)])) as Record<string, boolean>;
for (const [tool, pkg] of Object.entries(TOOLS)) {
  if (!present[tool] && !ci) console.warn(`\n!!! ${tool} not found (install the Debian package "${pkg}"): skipping its bridge tests !!!\n`);
}
const needs = (tool: string): boolean => !present[tool] && !ci;

describe.skipIf(!serverAvailable(authKind) && !ci)('the bridge with real clients', () => {
  let auth: RunningServer;
  let secure: DohServer;
  let plain: DohServer;
  let tlsPort = 0;
  let clearPort = 0;
  let dir = '';
  let ca = '';

  beforeAll(async () => {
    auth = await startServer(authKind, { ipv6: false });
    secure = createDohServer({ upstreams: [`127.0.0.1:${auth.port}`], tls: { key: cert.key, cert: cert.cert } });
    plain = createDohServer({ upstreams: [`127.0.0.1:${auth.port}`] });
    tlsPort = (await secure.listen()).port;
    clearPort = (await plain.listen()).port;
    dir = mkdtempSync(join(tmpdir(), 'transports-bridge-'));
    ca = join(dir, 'ca.pem');
    writeFileSync(ca, cert.cert);
    writeFileSync(join(dir, 'queries'), 'example.test A\nwww.example.test A\nexample.test AAAA\nnx.example.test A\n');
  });

  afterAll(async () => {
    await secure?.close();
    await plain?.close();
    await auth?.stop();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  const kdig = async (...args: string[]): Promise<string> =>
    (await run('kdig', ['@127.0.0.1', '-p', String(tlsPort), `+tls-ca=${ca}`, '+tls-hostname=dns.test', ...args], { timeout: 10_000 })).stdout;
  const dig = async (port: number, ...args: string[]): Promise<string> =>
    (await run('dig', ['@127.0.0.1', '-p', String(port), ...args], { timeout: 10_000 })).stdout;

  it.skipIf(needs('kdig'))('kdig +https (padded) and +tls', async () => {
    const doh = await kdig('+https', 'example.test', 'A');
    expect(doh).toMatch(/HTTP session \(HTTP\/2-POST\)/);
    expect(doh).toMatch(/status: NOERROR/);
    expect(doh).toMatch(/example\.test\.\s+\d+\s+IN\s+A\s+192\.0\.2\.1/);
    expect(doh).toMatch(/Received 468 B/);
    const get = await kdig('+https-get', 'www.example.test', 'A');
    expect(get).toMatch(/HTTP\/2-GET/);
    expect(get).toMatch(/192\.0\.2\.1/);
    const dot = await kdig('+tls', 'nx.example.test', 'A');
    expect(dot).toMatch(/TLS session/);
    expect(dot).toMatch(/status: NXDOMAIN/);
    // Asked again: from the bridge's cache, AA as the authoritative server set it.
    expect(await kdig('+https', 'example.test', 'A')).toMatch(/Flags: qr aa rd/);
  });

  it.skipIf(needs('dig'))('dig +https, +tls, +http-plain and +tcp', async () => {
    const tlsArgs = [`+tls-ca=${ca}`, '+tls-hostname=dns.test'];
    const https = await dig(tlsPort, '+https', ...tlsArgs, 'example.test', 'AAAA');
    expect(https).toMatch(/\(HTTPS\)/);
    expect(https).toMatch(/status: NOERROR/);
    expect(https).toMatch(/2001:db8::1/);
    const dot = await dig(tlsPort, '+tls', ...tlsArgs, 'www.example.test', 'A');
    expect(dot).toMatch(/\(TLS\)/);
    expect(dot).toMatch(/192\.0\.2\.1/);
    const h2c = await dig(clearPort, '+http-plain', 'example.test', 'MX');
    expect(h2c).toMatch(/\(HTTP\)/);
    expect(h2c).toMatch(/mail1\.example\.test/);
    const tcp = await dig(clearPort, '+tcp', 'example.test', 'TXT');
    expect(tcp).toMatch(/v=spf1 -all/);
  });

  it.skipIf(needs('nghttp'))('answers each request with one HEADERS and one DATA frame carrying END_STREAM (nghttp -v)', async () => {
    const { stdout } = await run('nghttp', ['-nv', '-m', '5', `http://127.0.0.1:${clearPort}/dns-query?dns=AAABAAABAAAAAAAAB2V4YW1wbGUEdGVzdAAAAQAB`], { timeout: 10_000 });
    const data = stdout.split('\n').filter((l) => /recv DATA frame/.test(l));
    expect(data).toHaveLength(5);
    expect(data.every((l) => /flags=0x01/.test(l) && !/length=0,/.test(l))).toBe(true);
  });

  it.skipIf(needs('dnsperf'))('dnsperf over DoH, DoT and TCP: answers, no abort', async () => {
    const perf = async (...args: string[]): Promise<{ out: string; sent: number; done: number }> => {
      const { stdout } = await run('dnsperf', ['-s', '127.0.0.1', '-d', join(dir, 'queries'), ...args], { timeout: 30_000 });
      return { out: stdout, sent: Number(/Queries sent:\s+(\d+)/.exec(stdout)?.[1]), done: Number(/Queries completed:\s+(\d+)/.exec(stdout)?.[1]) };
    };
    // DoH: one query in flight per connection. dnsperf 2.10 handles one response per TLS read
    // ("TODO: need to be able to receive multiple responses at the same time"), and drops a query
    // sent while its connection is still being set up: at most one per connection (-c 4).
    const doh = await perf('-m', 'doh', '-p', String(tlsPort), '-c', '4', '-q', '4', '-n', '5',
      '-O', `doh-uri=https://127.0.0.1:${tlsPort}/dns-query`, '-O', 'doh-method=POST');
    expect(doh.sent).toBe(20);
    expect(doh.done).toBeGreaterThanOrEqual(doh.sent - 4);
    expect(doh.out).toMatch(/HTTP\/2 return codes:\s+200: \d+$/m);
    expect(doh.out).not.toMatch(/fatal|already having a dns msg/);
    // DoT and TCP: 20 in flight on each of 2 connections, every query answered.
    for (const [mode, port] of [['dot', tlsPort], ['tcp', clearPort]] as const) {
      const r = await perf('-m', mode, '-p', String(port), '-c', '2', '-q', '20', '-n', '100');
      expect(r.sent).toBe(400);
      expect(r.done).toBe(400);
    }
  });

  it.skipIf(needs('h2load'))('h2load: 2000 requests over TLS, 10 streams in flight per connection, all 2xx', async () => {
    const { stdout } = await run('h2load', ['-n', '2000', '-c', '4', '-m', '10', `https://127.0.0.1:${tlsPort}/dns-query?dns=AAABAAABAAAAAAAAB2V4YW1wbGUEdGVzdAAAAQAB`], { timeout: 30_000 });
    expect(stdout).toMatch(/requests: 2000 total, 2000 started, 2000 done, 2000 succeeded/);
    expect(stdout).toMatch(/status codes: 2000 2xx/);
  });
});
