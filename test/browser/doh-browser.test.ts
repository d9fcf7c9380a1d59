/**
 * The browser test of issue 6: headless Chromium loads a page built from the
 * browser entry (`src/doh.ts`, bundled by esbuild for the browser with no
 * polyfills), which resolves names through the DoH bridge (`sansdns/node`),
 * which resolves them over UDP/TCP from a real authoritative server (Knot,
 * else BIND) on loopback. The page is served from another origin than the
 * bridge, so CORS is exercised too. Loopback only.
 *
 * Missing Chromium, playwright-core or a DNS server: skipped with a warning,
 * or failed when CI=true.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDohServer, type DohServer } from '../../src/node.js';
import { missingServerMessage, serverAvailable, startServer, type RunningServer, type ServerKind } from '../integration/servers.js';
import { browserMissing, startChromium, type RunningChromium } from './chromium.js';

const kind: ServerKind | undefined = serverAvailable('knot') ? 'knot' : serverAvailable('bind') ? 'bind' : undefined;
const missing = kind === undefined ? missingServerMessage('knot') : await browserMissing();
if (missing !== undefined) {
  if (process.env['CI'] === 'true') throw new Error(`browser test cannot run in CI: ${missing}`);
  console.warn(`\n!!! test/browser SKIPPED: ${missing}\n`);
}

const HTML = '<!doctype html><meta charset="utf-8"><title>sansdns DoH</title><pre id="out">running…</pre><script type="module" src="/page.js"></script>';

async function buildPage(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, write: false, logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

async function serveStatic(js: string): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HTML);
    else if (path === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe.skipIf(missing !== undefined)(`DoH in headless Chromium, through the bridge, from ${kind ?? 'no'} server`, () => {
  let dns: RunningServer;
  let bridge: DohServer;
  let bridgeUrl: string;
  let site: { server: http.Server; origin: string };
  let chromium: RunningChromium;
  let bundleBytes = 0;

  beforeAll(async () => {
    dns = await startServer(kind as ServerKind);
    bridge = createDohServer({ upstreams: [`127.0.0.1:${dns.port}`], cors: true });
    ({ url: bridgeUrl } = await bridge.listen(0, '127.0.0.1'));
    const js = await buildPage();
    bundleBytes = js.length;
    site = await serveStatic(js);
    chromium = await startChromium();
  });

  afterAll(async () => {
    await chromium?.stop();
    await new Promise<void>((resolve) => (site?.server ? site.server.close(() => resolve()) : resolve()));
    await bridge?.close();
    await dns?.stop();
  });

  it('resolves names in the page and shows the answers', async () => {
    const context = chromium.browser.contexts()[0] ?? (await chromium.browser.newContext());
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.goto(`${site.origin}/?bridge=${encodeURIComponent(bridgeUrl)}`);
    await page.waitForSelector('#out[data-done]', { timeout: 30_000 });
    const text = (await page.textContent('#out')) ?? '';
    expect(await page.getAttribute('#out', 'data-done'), text).toBe('ok');
    const shown = JSON.parse(text) as Record<string, unknown>;

    expect(shown['nodeGlobals']).toBe('undefined undefined'); // a real browser: no Buffer, no process
    expect(shown['a']).toEqual(['192.0.2.1']);
    expect(shown['aaaa']).toEqual(['2001:db8::1', '2001:db8::2', '2001:db8:0:1::3']);
    expect(shown['txt']).toEqual(expect.arrayContaining([['one', 'two', 'three'], ['second record']]));
    expect(shown['mx']).toEqual(expect.arrayContaining([{ exchange: 'mail1.example.test', priority: 10 }]));
    expect(shown['chain']).toEqual(['192.0.2.80']);
    expect(shown['bigCount']).toBe(150); // truncated over UDP behind the bridge, fetched again over TCP
    expect(shown['ttl']).toEqual([{ address: '192.0.2.1', ttl: 300 }]);
    expect(shown['nx']).toEqual({ error: 'ENOTFOUND' });
    expect(shown['nodata']).toEqual({ error: 'ENODATA' });
    expect(shown['get']).toEqual(['192.0.2.1']);
    expect(shown['getSrv']).toEqual(expect.arrayContaining([{ name: 'sip.example.test', port: 5060, priority: 10, weight: 60 }]));
    expect(shown['failover']).toEqual(['192.0.2.1']);
    expect(shown['failoverGet']).toEqual(['192.0.2.1']);
    expect(shown['allFail']).toEqual({ error: 'EBADRESP' });
    expect(shown['serverErrors']).toEqual(['status 404']);
    expect(shown['servers']).toEqual([bridgeUrl]);
    expect(consoleErrors).toEqual([]);
    expect(bridge.stats.answered).toBeGreaterThanOrEqual(10);
    expect(bundleBytes).toBeGreaterThan(0);
    await page.close();
  });
});
