import { describe, expect, it } from 'vitest';
import { hostsLookup, parseHosts } from '../../../src/index.js';

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
