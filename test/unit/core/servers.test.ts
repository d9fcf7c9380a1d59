import { describe, expect, it } from 'vitest';
import { endpointKey, endpointText, parseServer } from '../../../src/index.js';

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
