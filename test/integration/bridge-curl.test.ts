/**
 * curl as a client of the DoH bridge (README names it): `curl --doh-url
 * https://127.0.0.1:PORT/dns-query --cacert CA --http2` resolves a name
 * through the bridge, over TLS with the bridge's certificate verified, and
 * fetches a tiny HTTP server the test starts on 127.0.0.1. Loopback only:
 * the bridge's upstream is a scripted responder on 127.0.0.1 that answers
 * the name with 127.0.0.1, and curl is told to use no proxy. The test
 * skips, saying why, when curl lacks `--doh-url` (Debian's curl has it), or
 * when curl is missing outside CI (scripts/install-system-deps.sh installs
 * it; under CI=true a missing curl fails).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDohServer, type DohServer } from '../../src/node.js';
import { makeCert } from '../helpers/secure-servers.js';
import { reply, startResponder, type Responder } from '../unit/drivers/node/responder.js';

const run = promisify(execFile);

/** Why curl cannot be tested here, or `undefined` when it can. */
function curlMissing(): string | undefined {
  try {
    const help = execFileSync('curl', ['--help', 'all'], { encoding: 'utf8' });
    return help.includes('--doh-url') ? undefined : 'this curl has no DoH (--doh-url)';
  } catch {
    return 'curl is not installed (Debian package "curl")';
  }
}

const missing = curlMissing();
const skip = missing !== undefined && (process.env.CI !== 'true' || missing.includes('--doh-url'));
if (skip) console.warn(`\n!!! ${missing}: skipping the curl bridge test !!!\n`);

describe.skipIf(skip)('curl resolves through the bridge', () => {
  let upstream: Responder;
  let bridge: DohServer;
  let web: http.Server;
  let dohUrl = '';
  let webPort = 0;
  let dir = '';
  const asked: string[] = [];

  beforeAll(async () => {
    upstream = await startResponder((q) => {
      const question = q.questions?.[0];
      asked.push(`${question?.name ?? ''} ${question?.type ?? ''}`);
      if (question?.name !== 'curl.test') return reply(q, {}, 3);
      // A for 127.0.0.1; AAAA: no data (so curl connects over IPv4 on loopback).
      return question.type === 'A' ? reply(q, { answers: [{ name: 'curl.test', type: 'A', ttl: 60, data: '127.0.0.1' }] }) : reply(q);
    });
    const cert = makeCert();
    dir = mkdtempSync(join(tmpdir(), 'bridge-curl-'));
    writeFileSync(join(dir, 'ca.pem'), cert.cert);
    bridge = createDohServer({ upstreams: [upstream.server], tls: { key: cert.key, cert: cert.cert } });
    dohUrl = (await bridge.listen()).url;
    web = http.createServer((req, res) => res.end(`hello from ${req.headers.host}\n`));
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    webPort = (web.address() as { port: number }).port;
  });

  afterAll(async () => {
    await bridge?.close();
    await new Promise((resolve) => web?.close(resolve));
    await upstream?.close();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('curl --doh-url (HTTP/2 over TLS, certificate checked) finds curl.test at 127.0.0.1 and fetches from it', async () => {
    // No proxy from the environment may take the request off loopback.
    const env = { ...process.env, http_proxy: '', https_proxy: '', HTTP_PROXY: '', HTTPS_PROXY: '', ALL_PROXY: '', all_proxy: '' };
    const { stdout, stderr } = await run('curl', [
      '-sS', '-v', '--noproxy', '*', '--max-time', '10', '--http2',
      '--doh-url', dohUrl, '--cacert', join(dir, 'ca.pem'),
      `http://curl.test:${webPort}/`,
    ], { timeout: 20_000, env });
    expect(stdout).toBe(`hello from curl.test:${webPort}\n`);
    // curl's DoH requests (its -v shows them): HTTP/2 POSTs over TLS to the bridge, whose certificate it verified.
    expect(stderr).toMatch(/ALPN: server accepted h2/);
    expect(stderr).toMatch(/SSL certificate verify ok/);
    expect(stderr).toMatch(/> POST \/dns-query HTTP\/2/);
    expect(stderr).toMatch(/Connected to curl\.test \(127\.0\.0\.1\)/);
    expect(asked).toContain('curl.test A');
    expect(bridge.stats.answered).toBeGreaterThanOrEqual(1);
    expect(bridge.stats.rejected).toBe(0);
  });

  it('curl reports a name the bridge answers NXDOMAIN for as unresolvable', async () => {
    const env = { ...process.env, http_proxy: '', https_proxy: '', HTTP_PROXY: '', HTTPS_PROXY: '', ALL_PROXY: '', all_proxy: '' };
    const failed = await run('curl', [
      '-sS', '--noproxy', '*', '--max-time', '10', '--doh-url', dohUrl, '--cacert', join(dir, 'ca.pem'), `http://nope.test:${webPort}/`,
    ], { timeout: 20_000, env }).then(() => undefined, (e: { code?: number; stderr?: string }) => e);
    expect(failed?.code).toBe(6); // CURLE_COULDNT_RESOLVE_HOST
    expect(asked).toContain('nope.test A');
  });
});
