import { describe, expect, it } from 'vitest';
import { base64urlDecode, base64urlEncode } from '../../../src/drivers/doh/base64url.js';
import { dohGetUrl, isDnsMessageType, fetchErrorCode } from '../../../src/drivers/doh/transport.js';

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

describe('DoH request helpers', () => {
  const msg = new Uint8Array([0, 0, 1, 0]);
  it('appends dns= or fills the {?dns} template', () => {
    expect(dohGetUrl('https://d.example/dns-query', msg)).toBe('https://d.example/dns-query?dns=AAABAA');
    expect(dohGetUrl('https://d.example/q?x=1', msg)).toBe('https://d.example/q?x=1&dns=AAABAA');
    expect(dohGetUrl('https://d.example/q{?dns}', msg)).toBe('https://d.example/q?dns=AAABAA');
    expect(dohGetUrl('https://d.example/q#frag', msg)).toBe('https://d.example/q?dns=AAABAA');
  });

  it('accepts application/dns-message with parameters, in any case, and nothing else', () => {
    expect(isDnsMessageType('application/dns-message')).toBe(true);
    expect(isDnsMessageType('Application/DNS-Message; charset=binary')).toBe(true);
    expect(isDnsMessageType('application/dns-json')).toBe(false);
    expect(isDnsMessageType('text/html')).toBe(false);
    expect(isDnsMessageType(null)).toBe(false);
  });

  it('maps fetch failures to the core codes', () => {
    expect(fetchErrorCode(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }))).toBe('ECONNREFUSED');
    expect(fetchErrorCode(new TypeError('fetch failed', { cause: { code: 'UND_ERR_SOCKET' } }))).toBe('ECONNRESET');
    expect(fetchErrorCode(new TypeError('Failed to fetch'))).toBe('ENETUNREACH');
    expect(fetchErrorCode(undefined)).toBe('ENETUNREACH');
  });
});
