import { describe, expect, it } from 'vitest';
import { dohGetUrl, isDnsMessageType } from '../../../../src/core/codec/doh.js';

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
});
