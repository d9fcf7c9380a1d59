import { describe, expect, it } from 'vitest';
import { base64urlDecode, base64urlEncode } from '../../../../src/core/codec/base-n.js';

describe('base64url (RFC 4648 §5, unpadded as RFC 8484 §4.1)', () => {
  it('matches Node for every length 0..64 and random bytes', () => {
    for (let n = 0; n <= 64; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 151 + n * 7) & 0xff);
      const expected = Buffer.from(bytes).toString('base64url');
      expect(base64urlEncode(bytes)).toBe(expected);
      expect(base64urlDecode(expected)).toEqual(bytes);
    }
  });

  it('encodes the RFC 8484 §4.1.1 example query', () => {
    const hex = '00000100000100000000000003777777076578616d706c6503636f6d0000010001';
    const bytes = Uint8Array.from(Buffer.from(hex, 'hex'));
    expect(base64urlEncode(bytes)).toBe('AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB');
  });

  it('refuses padding, the standard alphabet, whitespace, 4n+1 lengths and stray bits', () => {
    for (const bad of ['AA==', 'AAA=', 'a+b/', 'AA AA', 'A', 'AAAAA', 'AB', 'AAB', 'é']) {
      expect(base64urlDecode(bad), bad).toBeUndefined();
    }
    expect(base64urlDecode('')).toEqual(new Uint8Array(0));
    expect(base64urlDecode('AA')).toEqual(new Uint8Array([0]));
  });
});


describe('base64url outside ASCII', () => {
  it('refuses a character above U+007F anywhere in the text', () => {
    for (const bad of ['AAAé', 'éAAA', 'AA\u{1F600}']) expect(base64urlDecode(bad), bad).toBeUndefined();
  });
});
