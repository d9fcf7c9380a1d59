import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { isLoopback, serverHost } from './loopback-only.js';

describe('the loopback guard of every test process', () => {
  it('tells loopback from everything else', () => {
    for (const h of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', 'a.localhost', '::ffff:127.0.0.1', '0.0.0.0', '::']) {
      expect(isLoopback(h), h).toBe(true);
    }
    for (const h of ['192.0.2.1', '10.255.255.53', '2001:db8::1', 'fe80::1', 'example.com', '128.0.0.1', '::ffff:192.0.2.1']) {
      expect(isLoopback(h), h).toBe(false);
    }
    expect(serverHost('[2001:db8::1]:53')).toBe('2001:db8::1');
    expect(serverHost('192.0.2.1:5353')).toBe('192.0.2.1');
    expect(serverHost('2001:db8::1')).toBe('2001:db8::1');
  });

  it('throws before a datagram or a connection leaves loopback', () => {
    const s = dgram.createSocket('udp4');
    expect(() => s.send(Buffer.from('x'), 53, '192.0.2.1')).toThrow(/tests talk only to servers they start on loopback/);
    expect(() => s.connect(53, '192.0.2.1')).toThrow(/192\.0\.2\.1/);
    s.close();
    expect(() => net.connect({ host: '192.0.2.1', port: 53 })).toThrow(/192\.0\.2\.1/);
    expect(() => net.connect(53, '192.0.2.1')).toThrow(/192\.0\.2\.1/);
    expect(() => dns.lookup('example.com', () => undefined)).toThrow(/example\.com/);
    const r = new dns.promises.Resolver();
    r.setServers(['192.0.2.1']);
    expect(() => r.resolve4('example.com')).toThrow(/192\.0\.2\.1/);
  });

  it('lets loopback through', async () => {
    const server = net.createServer((c) => c.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const c = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => c.on('close', resolve));
    await new Promise((resolve) => server.close(resolve));
    const r = new dns.promises.Resolver({ timeout: 50, tries: 1 });
    r.setServers([`127.0.0.1:${port}`]);
    await expect(r.resolve4('example.com')).rejects.toMatchObject({ code: expect.any(String) });
  });
});
