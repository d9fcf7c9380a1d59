/** servers.ts: server syntax to endpoints (normalised), DoH only without the udp policy, keys and shapes. */
import { describe, expect, it } from 'vitest';
import { endpointKey, endpointText, isEndpoint, makeServers, parseDohServer, parseServer } from '../../../src/core/servers.js';

describe('parseServer', () => {
  it.each([
    ['192.0.2.1', { transport: 'udp', address: '192.0.2.1', port: 53 }],
    ['192.0.2.1:5353', { transport: 'udp', address: '192.0.2.1', port: 5353 }],
    ['2001:DB8:0:0::1', { transport: 'udp', address: '2001:db8::1', port: 53 }],
    ['[2001:db8::1]:853', { transport: 'udp', address: '2001:db8::1', port: 853 }],
    ['[::ffff:192.0.2.1]', { transport: 'udp', address: '::ffff:c000:201', port: 53 }],
    ['https://dns.example/dns-query', { transport: 'doh', url: 'https://dns.example/dns-query' }],
    [{ address: '192.0.2.1', port: 54, transport: 'tcp' }, { transport: 'tcp', address: '192.0.2.1', port: 54 }],
    [{ url: 'http://127.0.0.1:8053/q', transport: 'doh' }, { transport: 'doh', url: 'http://127.0.0.1:8053/q' }],
  ] as const)('%j is %j', (input, endpoint) => {
    expect(parseServer(input)).toEqual(endpoint);
  });

  it.each([
    ['300.1.1.1', 'not an IPv4 or IPv6 address'],
    ['1.2.3.4::', 'not an IPv4 or IPv6 address'],
    ['192.0.2.1:0', 'port out of range 1..65535'],
    ['192.0.2.1:x', 'port is not a number'],
    ['[2001:db8::1', 'not an IPv4 or IPv6 address'],
    ['https://', 'a DoH server is an http(s):// URL'],
    [{ url: 'https://x/q', transport: 'udp' }, "a server with a url has transport 'doh'"],
    [{ address: '192.0.2.1', transport: 'sctp' }, 'unknown transport sctp'],
    [{ address: '192.0.2.1', port: 1.5 }, 'port out of range 1..65535'],
    [7, 'expected a string or an object'],
  ] as const)('refuses %j: %s', (input, why) => {
    expect(() => parseServer(input as never)).toThrow(expect.objectContaining({ code: 'EBADSERVER', message: `bad server ${JSON.stringify(input)}: ${why}` }) as Error);
  });
});

describe('parseDohServer', () => {
  it('takes DoH servers only', () => {
    expect(parseDohServer('https://x/q')).toEqual({ transport: 'doh', url: 'https://x/q' });
    expect(() => parseDohServer('192.0.2.1')).toThrow(expect.objectContaining({ message: expect.stringContaining('a DoH resolver only speaks to http(s):// URLs') }) as Error);
  });
});

describe('makeServers, endpointKey, isEndpoint', () => {
  it('gives each UDP server its TCP endpoint, and keys every endpoint by value', () => {
    const [udp, doh] = makeServers(['192.0.2.1:5353', 'https://x/q'], parseServer);
    expect(udp).toMatchObject({ index: 0, tcp: { transport: 'tcp', address: '192.0.2.1', port: 5353 }, srtt: NaN, failures: 0, noEdns: false });
    expect(doh).toMatchObject({ index: 1, tcp: undefined });
    expect(endpointKey(udp!.endpoint)).toBe('udp 192.0.2.1 5353');
    expect(endpointKey(udp!.tcp!)).toBe('tcp 192.0.2.1 5353');
    expect(endpointKey(doh!.endpoint)).toBe('doh https://x/q');
    expect(() => makeServers([], parseServer)).toThrow(expect.objectContaining({ code: 'EBADSERVER' }) as Error);
    expect(() => makeServers('x' as never, parseServer)).toThrow(expect.objectContaining({ code: 'EBADSERVER' }) as Error);
  });

  it('checks the shape of an endpoint', () => {
    expect(isEndpoint({ transport: 'tcp', address: 'x', port: 1 })).toBe(true);
    expect(isEndpoint({ transport: 'doh', url: 'x' })).toBe(true);
    expect(isEndpoint({ transport: 'doh' })).toBe(false);
    expect(isEndpoint({ transport: 'sctp', address: 'x', port: 1 })).toBe(false);
    expect(isEndpoint({ transport: 'udp', address: 'x', port: '53' })).toBe(false);
    expect(isEndpoint(null)).toBe(false);
    expect(isEndpoint('udp')).toBe(false);
  });
});

describe('endpoints as text', () => {
  it('endpointText writes a server as parseServer reads it back', () => {
    for (const text of ['192.0.2.1:53', '[2001:db8::1]:5353', 'https://dns.example/dns-query']) {
      expect(endpointText(parseServer(text))).toBe(text);
    }
    expect(endpointText({ transport: 'tcp', address: '::1', port: 53 })).toBe('[::1]:53');
  });

  it('endpointKey names the transport, so UDP and TCP on one address differ', () => {
    expect(endpointKey({ transport: 'udp', address: '192.0.2.1', port: 53 })).toBe('udp 192.0.2.1 53');
    expect(endpointKey({ transport: 'tcp', address: '192.0.2.1', port: 53 })).toBe('tcp 192.0.2.1 53');
    expect(endpointKey({ transport: 'doh', url: 'https://dns.example/dns-query' })).toBe('doh https://dns.example/dns-query');
  });
});
