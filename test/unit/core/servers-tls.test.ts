/** DNS over TLS servers in the core: how they are written, keyed, asked and matched (RFC 7858). */
import { describe, expect, it } from 'vitest';
import { Resolver, endpointKey, parseServer, restore, snapshot, type Endpoint } from '../../../src/index.js';
import { decode, finals, reply, testRandom } from '../../helpers/core-harness.js';

const T: Endpoint = { transport: 'tls', address: '192.0.2.1', port: 853, servername: 'dns.example' };

describe('tls servers', () => {
  it('parses every way of writing one, port 853 by default, servername lower-cased and validated', () => {
    expect(parseServer('tls://192.0.2.1')).toEqual({ transport: 'tls', address: '192.0.2.1', port: 853 });
    expect(parseServer('tls://192.0.2.1:8853#DNS.Example.')).toEqual({ ...T, port: 8853 });
    expect(parseServer('tls://[2001:DB8::1]#dns.example')).toEqual({ transport: 'tls', address: '2001:db8::1', port: 853, servername: 'dns.example' });
    expect(parseServer({ address: '192.0.2.1', transport: 'tls', servername: 'dns.example' })).toEqual(T);
    expect(parseServer({ address: '192.0.2.1', port: 5853, transport: 'tls' })).toEqual({ transport: 'tls', address: '192.0.2.1', port: 5853 });
  });

  it.each([
    'tls://dns.example', 'tls://192.0.2.1:0', 'tls://192.0.2.1#', 'tls://192.0.2.1#bad_name', 'tls://192.0.2.1#-x.example',
    'tls://192.0.2.1#a..b', `tls://192.0.2.1#${'a'.repeat(64)}.example`,
  ])('refuses %s', (s) => {
    expect(() => parseServer(s)).toThrowError(expect.objectContaining({ code: 'EBADSERVER' }) as Error);
  });

  it('refuses a bad servername or address in an object', () => {
    for (const bad of [
      { address: '192.0.2.1', transport: 'tls', servername: 42 }, { address: 'x', transport: 'tls' }, { address: '192.0.2.1', transport: 'quic' },
    ]) {
      expect(() => parseServer(bad as never)).toThrowError(expect.objectContaining({ code: 'EBADSERVER' }) as Error);
    }
  });

  it('keys a server by address, port and servername', () => {
    expect(endpointKey(T)).toBe('tls 192.0.2.1 853 dns.example');
    expect(endpointKey({ transport: 'tls', address: '192.0.2.1', port: 853 })).toBe('tls 192.0.2.1 853');
  });

  it('asks a tls server with a random ID and EDNS, and accepts its answer given back as an equal endpoint', () => {
    const r = new Resolver({ servers: ['tls://192.0.2.1#dns.example'], random: testRandom(), cookies: false });
    const h = r.query(0, 'a.test');
    const [t] = r.poll().transmits;
    expect(t!.peer).toEqual(T);
    expect(decode(t!.data).edns?.payload).toBe(1232);
    r.handleDatagrams(5, [{ data: reply(t!), peer: { ...T } }]);
    const [e] = finals(r.poll());
    expect(e).toMatchObject({ kind: 'answer', handle: h, server: T });
  });

  it('keeps a tls server through a snapshot', () => {
    const r = new Resolver({ servers: ['tls://192.0.2.1#dns.example'], random: testRandom() });
    r.query(0, 'a.test');
    const [t] = r.poll().transmits;
    r.handleDatagrams(5, [{ data: reply(t!), peer: t!.peer }]);
    r.poll();
    const saved = snapshot(r, 10);
    const r2 = new Resolver({ servers: ['tls://192.0.2.1#dns.example'], random: testRandom() });
    restore(r2, 10, saved);
    r2.query(10, 'a.test');
    expect(finals(r2.poll())[0]).toMatchObject({ source: 'cache', server: T });
  });

  it('takes a TC=1 answer over tls without throwing (network bytes never throw)', () => {
    const r = new Resolver({ servers: ['tls://192.0.2.1', '192.0.2.2'], random: testRandom(), cookies: false });
    r.query(0, 'a.test');
    const [t] = r.poll().transmits;
    expect(() => r.handleDatagrams(5, [{ data: reply(t!, { tc: true }), peer: t!.peer }])).not.toThrow();
    expect(r.poll().events.length + r.inFlight).toBeGreaterThan(0);
  });

  // Issue 15: a truncated answer over a stream transport (TCP, TLS, DoH) is a
  // server failure, not an answer: the next server is asked (core/response.ts).
  it('a TC=1 answer over tcp, tls or DoH fails that server and asks the next one', () => {
    for (const first of [{ address: '192.0.2.1', port: 53, transport: 'tcp' as const }, 'tls://192.0.2.1', 'https://doh.test/dns-query']) {
      const r = new Resolver({ servers: [first, '192.0.2.2'], random: testRandom(), cookies: false });
      r.query(0, 'a.test');
      const [t] = r.poll().transmits;
      r.handleDatagrams(5, [{ data: reply(t!, { tc: true }), peer: t!.peer, token: t!.token }]);
      const out = r.poll();
      expect(finals(out)).toEqual([]);
      expect(out.transmits.map((x) => x.peer)).toEqual([{ transport: 'udp', address: '192.0.2.2', port: 53 }]);
    }
  });
});
