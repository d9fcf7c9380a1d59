/**
 * HTTP clients resolving through sansdns/node against a loopback DNS server:
 * node:http (the `lookup` option and an `http.Agent`), undici (an Agent's
 * `connect.lookup`), got (`dnsLookup`), cacheable-lookup (with our callback
 * `Resolver` and our promise one), and `install()` (the global agents,
 * undici's global dispatcher and Node's `fetch`) and `uninstall()`. The DNS server answers `web.localhost`
 * with 127.0.0.2, where the only HTTP server listens, so a request that
 * arrives proves the name went through our resolver (no default resolves it
 * there), and the DNS server's log shows the query.
 */
import http from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import CacheableLookup from 'cacheable-lookup';
import got from 'got';
import * as undici from 'undici';
import { Agent as UndiciAgent, request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dns, { NodeResolver, Resolver } from '../../src/node.js';
import { startHostileServer, type HostileServer } from './differential/hostile-server.js';

let dns_: HostileServer;
let web: http.Server;
let port: number;
let resolver: NodeResolver;
let lookup: LookupFunction;
const HOST = 'web.localhost';

beforeAll(async () => {
  dns_ = await startHostileServer();
  web = http.createServer((req, res) => res.end(`hello ${req.socket.localAddress}`));
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.2', resolve));
  port = (web.address() as AddressInfo).port;
  // specialNames: false, so `*.localhost` goes to the DNS server instead of being answered as loopback.
  resolver = new NodeResolver({ resolvConf: false, hostsFile: false, specialNames: false, servers: [`${dns_.address}:${dns_.port}`] });
  lookup = resolver.lookup;
});

afterAll(async () => {
  resolver.close();
  await new Promise((r) => web.close(r));
  await dns_.stop();
});

function get(options: http.RequestOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: HOST, port, path: '/', ...options }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

const asked = (): number => dns_.received('web').length;

describe('HTTP clients through sansdns/node', () => {
  it('node:http with the lookup option', async () => {
    const before = asked();
    expect(await get({ lookup: lookup })).toBe('hello 127.0.0.2');
    expect(asked()).toBeGreaterThan(before);
  });

  it('node:http with an Agent whose lookup is ours', async () => {
    const agent = new http.Agent({ lookup: lookup });
    try {
      expect(await get({ agent })).toBe('hello 127.0.0.2');
    } finally {
      agent.destroy();
    }
  });

  it('undici with an Agent whose connect.lookup is ours', async () => {
    const dispatcher = new UndiciAgent({ connect: { lookup } });
    try {
      const res = await undiciRequest(`http://${HOST}:${port}/`, { dispatcher });
      expect(await res.body.text()).toBe('hello 127.0.0.2');
    } finally {
      await dispatcher.close();
    }
  });

  it('got with dnsLookup', async () => {
    const body = await got(`http://${HOST}:${port}/`, { dnsLookup: lookup, retry: { limit: 0 } }).text();
    expect(body).toBe('hello 127.0.0.2');
  });

  it('a name our server does not know fails the request with ENOTFOUND, as node:dns would', async () => {
    const error = await get({ host: 'nxdomain.localhost', lookup: lookup }).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'nxdomain.localhost' });
  });

  it('cacheable-lookup with our callback Resolver (a node:dns.Resolver look-alike)', async () => {
    const cacheable = new CacheableLookup({ resolver: new Resolver({ resolvConf: false, hostsFile: false, specialNames: false, servers: [`${dns_.address}:${dns_.port}`] }), lookup: false });
    const entry = await cacheable.lookupAsync(HOST);
    expect(entry).toMatchObject({ address: '127.0.0.2', family: 4 });
    expect(await get({ lookup: cacheable.lookup as unknown as LookupFunction })).toBe('hello 127.0.0.2');
  });

  it('cacheable-lookup with our callback Resolver gets a server failure as an error, not a crash or a hang', async () => {
    const cacheable = new CacheableLookup({ resolver: new Resolver({ resolvConf: false, hostsFile: false, specialNames: false, servers: [`${dns_.address}:${dns_.port}`] }), lookup: false });
    const error = await cacheable.lookupAsync('servfail.localhost').then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'ESERVFAIL' });
  });

  it('install() makes http.get, undici and fetch resolve through sansdns; uninstall() undoes it', async () => {
    const fresh = new NodeResolver({ resolvConf: false, hostsFile: false, specialNames: false, cache: false, servers: [`${dns_.address}:${dns_.port}`] });
    const before = asked();
    const previous = undici.getGlobalDispatcher();
    dns.install({ lookup: fresh.lookup, undici });
    try {
      expect(await get({})).toBe('hello 127.0.0.2');
      const viaUndici = await undiciRequest(`http://${HOST}:${port}/`);
      expect(await viaUndici.body.text()).toBe('hello 127.0.0.2');
      expect(await (await fetch(`http://${HOST}:${port}/`)).text()).toBe('hello 127.0.0.2');
      expect(asked()).toBeGreaterThanOrEqual(before + 3);
    } finally {
      dns.uninstall();
      fresh.close();
    }
    expect(undici.getGlobalDispatcher()).toBe(previous);
    expect(() => dns.install({ lookup, agents: [] })).not.toThrow();
    expect(() => dns.install({ lookup, agents: [] })).toThrow(/already installed/);
    dns.uninstall();
  });
});
