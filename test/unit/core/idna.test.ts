/** idna.ts: U-labels to A-labels (RFC 5891, punycode of RFC 3492), checked against Node's own conversion. */
import { domainToASCII } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toAscii } from '../../../src/core/idna.js';
import { Resolver } from '../../../src/index.js';
import { testRandom } from '../../helpers/core-harness.js';

describe('toAscii', () => {
  it('returns ASCII input as the same string', () => {
    const name = 'Www.Example.COM.';
    expect(toAscii(name)).toBe(name);
  });

  it.each([
    ['münchen.de', 'xn--mnchen-3ya.de'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['españa.com', 'xn--espaa-rta.com'],
    ['例え.テスト', 'xn--r8jz45g.xn--zckzah'],
    ['MÜNCHEN.de', 'xn--mnchen-3ya.de'],
    ['правительство.рф', 'xn--80aealotwbjpid2k.xn--p1ai'],
  ])('%s is %s, as Node converts it', (input, want) => {
    expect(toAscii(input)).toBe(want);
    expect(domainToASCII(input)).toBe(want);
  });

  it('splits labels at the ideographic and fullwidth dots, keeps a trailing dot, folds to NFC', () => {
    expect(toAscii('例え。テスト')).toBe('xn--r8jz45g.xn--zckzah');
    expect(toAscii('例え．テスト｡')).toBe('xn--r8jz45g.xn--zckzah.');
    expect(toAscii('mu\u0308nchen.de')).toBe('xn--mnchen-3ya.de');
  });

  it.each([
    ['a☃.example', 'holds a code point IDNA does not allow'],
    ['\u0301ä.example', 'starts with a combining mark'],
    ['-ä.example', 'has a hyphen first, last, or in positions 3 and 4'],
    ['ä-.example', 'has a hyphen first, last, or in positions 3 and 4'],
    ['äb--c.example', 'has a hyphen first, last, or in positions 3 and 4'],
    [`${'ä'.repeat(60)}.example`, 'more than 63 bytes as an A-label (RFC 5890 §2.3.2.1)'],
    // 30 code points far apart: within the 59 that could fit, yet 94 bytes of punycode.
    [`${Array.from({ length: 30 }, (_, i) => String.fromCodePoint(0x4e00 + i * 500)).join('')}.example`, 'is 94 bytes as an A-label, more than 63 (RFC 5890 §2.3.2.1)'],
    ['a\\.ä.example', 'escapes cannot be mixed with non-ASCII text'],
  ])('refuses %s with EBADNAME: %s', (input, why) => {
    expect(() => toAscii(input)).toThrow(expect.objectContaining({ code: 'EBADNAME', message: expect.stringContaining(why) }) as Error);
  });
});

describe('toAscii through the resolver', () => {
  it('refuses a name whose label is too long as an A-label, though short in code points (EBADNAME, nothing sent)', () => {
    const r = new Resolver({ servers: ['192.0.2.1'], random: testRandom() });
    const label = Array.from({ length: 30 }, (_, i) => String.fromCodePoint(0x4e00 + i * 500)).join('');
    expect(() => r.query(0, `${label}.example`)).toThrow(expect.objectContaining({ code: 'EBADNAME', message: expect.stringContaining('more than 63') }) as Error);
    expect(r.poll().transmits).toEqual([]);
  });
});
