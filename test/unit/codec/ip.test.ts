/** codec/ip.ts: the one IP parser and formatter (RFC 4291 §2.2 in, RFC 5952 §4 out), checked against Node's net module. */
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { formatIPv4, formatIPv6, ipv6Groups, isIPv4, normalizeIP, parseIPv4, parseIPv6 } from '../../../src/core/codec/ip.js';

describe('IPv4', () => {
  it('takes dotted quads without leading zeros', () => {
    expect(['192.0.2.1', '0.0.0.0', '255.255.255.255'].map(isIPv4)).toEqual([true, true, true]);
    expect(['256.0.0.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', ' 1.2.3.4'].map(isIPv4)).toEqual([false, false, false, false, false]);
    expect(parseIPv4('192.0.2.1')).toEqual(Uint8Array.of(192, 0, 2, 1));
    expect(parseIPv4('192.0.2')).toBeUndefined();
  });

  it('formats any 4 bytes at any offset as their dotted quad, the kept texts of other addresses in the same slot never leaking', () => {
    // Addresses sharing the last byte share a slot (formatIPv4 keeps one text per slot): each one is itself, every time.
    const same = [[192, 0, 2, 7], [198, 51, 100, 7], [0, 0, 0, 7], [255, 255, 255, 7], [192, 0, 2, 7], [7, 0, 2, 192]];
    for (let round = 0; round < 2; round++) {
      for (const q of same) expect(formatIPv4(Uint8Array.of(9, ...q), 1)).toBe(q.join('.'));
    }
    let seed = 12345;
    for (let i = 0; i < 5000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const q = [seed >>> 24, (seed >>> 16) & 3, (seed >>> 8) & 0xff, seed & 7];
      const text = formatIPv4(Uint8Array.of(...q), 0);
      expect(text).toBe(q.join('.'));
      expect(parseIPv4(text)).toEqual(Uint8Array.from(q));
    }
  });
});

describe('IPv6', () => {
  it.each([
    ['2001:db8::1', '2001:db8::1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ['1:2:3:4:5:6:192.0.2.1', '1:2:3:4:5:6:c000:201'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
  ])('%s is %s, as Node reads it', (text, normal) => {
    expect(isIP(text)).toBe(6);
    expect(normalizeIP(text)).toBe(normal);
    expect(formatIPv6(parseIPv6(text)!, 0)).toBe(normal);
  });

  it.each(['1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', 'g::', '1.2.3.4::', '1:2:3:4:5:6:7:1.2.3.4', '::1.2.3', ':::'])('refuses %s, as Node does', (text) => {
    expect(isIP(text)).toBe(0);
    expect(parseIPv6(text)).toBeUndefined();
    expect(normalizeIP(text)).toBeUndefined();
  });

  it('gives the eight groups', () => {
    expect(ipv6Groups('2001:db8::ff00:42')).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0xff00, 0x42]);
    expect(ipv6Groups('nope')).toBeUndefined();
    expect(normalizeIP('192.0.2.1')).toBe('192.0.2.1');
  });
});
