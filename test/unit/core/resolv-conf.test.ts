import { describe, expect, it } from 'vitest';
import { parseResolvConf } from '../../../src/index.js';

describe('parseResolvConf', () => {
  it('gives glibc defaults for an empty file', () => {
    expect(parseResolvConf('')).toEqual({
      nameservers: ['127.0.0.1'], search: [], ndots: 1, timeout: undefined, attempts: undefined,
      rotate: false, edns0: false, ignored: [],
    });
  });

  it('reads servers, search, options and skips comments', () => {
    const text = [
      '# comment', '; also a comment', '',
      'nameserver 192.0.2.1', 'nameserver 2001:DB8::1  # trailing', 'nameserver fe80::1%eth0', 'nameserver',
      'domain example.org', 'search a.example. b.example .',
      'options ndots:3 timeout:2 attempts:4 rotate edns0 single-request bogus:x',
      'sortlist 10.0.0.0/8', '  \tnameserver 192.0.2.2\r',
    ].join('\n');
    const c = parseResolvConf(text);
    expect(c.nameservers).toEqual(['192.0.2.1', '2001:db8::1', '192.0.2.2']);
    expect(c.search).toEqual(['a.example', 'b.example', '.']);
    expect([c.ndots, c.timeout, c.attempts, c.rotate, c.edns0]).toEqual([3, 2, 4, true, true]);
    expect(c.ignored).toEqual(['nameserver fe80::1%eth0', 'nameserver', 'single-request', 'bogus:x', 'sortlist 10.0.0.0/8']);
  });

  it('caps options as glibc does; the last of domain/search wins', () => {
    const c = parseResolvConf('search a b\ndomain c.\noptions ndots:99 timeout:0 attempts:9');
    expect(c.search).toEqual(['c']);
    expect([c.ndots, c.timeout, c.attempts]).toEqual([15, 1, 5]);
    expect(parseResolvConf('options ndots:0 timeout:99').ndots).toBe(0);
    expect(parseResolvConf('options timeout:99').timeout).toBe(30);
  });
});
