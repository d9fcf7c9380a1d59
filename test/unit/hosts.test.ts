/** `parseHosts` in time linear in its input (issue 18), with the first line for an address winning. */
import { describe, expect, it } from 'vitest';
import { hostsLookup, parseHosts } from '../../src/index.js';

describe('parseHosts at scale', () => {
  it('keeps 40,000 addresses of one name once each, in file order', () => {
    const lines: string[] = [];
    for (let i = 0; i < 40_000; i++) lines.push(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} many.test`);
    lines.push('10.0.0.0 many.test', '10.0.0.5 many.test other.test');
    const table = parseHosts(lines.join('\n'));
    const list = hostsLookup(table, 'many.test');
    expect(list.length).toBe(40_000);
    expect(list[0]).toEqual({ address: '10.0.0.0', family: 4 });
    expect(list[39_999]).toEqual({ address: '10.0.156.63', family: 4 });
    expect(hostsLookup(table, 'other.test')).toEqual([{ address: '10.0.0.5', family: 4 }]);
  });

  it('drops duplicates before and after a name has many addresses', () => {
    const few = ['192.0.2.1 d.test', '192.0.2.1 d.test', '192.0.2.2 d.test'];
    const more = Array.from({ length: 10 }, (_, i) => `192.0.2.${10 + i} d.test`);
    const table = parseHosts([...few, ...more, '192.0.2.1 d.test', '192.0.2.15 d.test', '2001:db8::1 d.test'].join('\n'));
    expect(hostsLookup(table, 'd.test').map((a) => a.address)).toEqual([
      '192.0.2.1', '192.0.2.2', ...more.map((l) => l.split(' ')[0]), '2001:db8::1',
    ]);
  });
});
