import { describe, expect, it } from 'vitest';
import { fetchErrorCode } from '../../../../src/drivers/doh/transport.js';

describe('DoH request helpers', () => {
  it('maps fetch failures to the core codes', () => {
    expect(fetchErrorCode(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }))).toBe('ECONNREFUSED');
    expect(fetchErrorCode(new TypeError('fetch failed', { cause: { code: 'UND_ERR_SOCKET' } }))).toBe('ECONNRESET');
    expect(fetchErrorCode(new TypeError('Failed to fetch'))).toBe('ENETUNREACH');
    expect(fetchErrorCode(undefined)).toBe('ENETUNREACH');
  });
});
