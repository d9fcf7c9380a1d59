import { describe, expect, it } from 'vitest';
import { hostsLookup, parseHosts, parseResolvConf } from '../../../src/index.js';

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

describe('parseHosts', () => {
  const table = parseHosts([
    '127.0.0.1 localhost loopback # comment', '::1 localhost ip6-localhost', '# 10.0.0.1 commented',
    '192.0.2.5 Web.Example. web', '192.0.2.5 web', '192.0.2.6 web', 'fe80::1%lo link', 'bogus name', '192.0.2.9',
    '2001:DB8::5\tv6only',
  ].join('\r\n'));

  it('maps names to addresses in file order, case-insensitively', () => {
    expect(hostsLookup(table, 'LOCALHOST')).toEqual([{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]);
    expect(hostsLookup(table, 'localhost', 6)).toEqual([{ address: '::1', family: 6 }]);
    expect(hostsLookup(table, 'localhost', 4)).toEqual([{ address: '127.0.0.1', family: 4 }]);
    expect(hostsLookup(table, 'web.example.')).toEqual([{ address: '192.0.2.5', family: 4 }]);
    expect(hostsLookup(table, 'web')).toEqual([{ address: '192.0.2.5', family: 4 }, { address: '192.0.2.6', family: 4 }]);
    expect(hostsLookup(table, 'link')).toEqual([{ address: 'fe80::1', family: 6 }]);
    expect(hostsLookup(table, 'v6only')).toEqual([{ address: '2001:db8::5', family: 6 }]);
  });

  it('skips lines without an address or a name', () => {
    expect(hostsLookup(table, 'name')).toEqual([]);
    expect(hostsLookup(table, '10.0.0.1')).toEqual([]);
    expect([...table.keys()]).not.toContain('192.0.2.9');
    expect(hostsLookup(parseHosts(''), 'x')).toEqual([]);
  });
});
