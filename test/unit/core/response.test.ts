/** response.ts: the response table covers every case once, and says what RFC 1035, 6891, 7766 and 7873 say. */
import { describe, expect, it } from 'vitest';
import { RESPONSE, rcodeClass, responseAction, type RcodeClass } from '../../../src/core/response.js';
import type { Protocol } from '../../../src/index.js';

const CLASSES: RcodeClass[] = ['answer', 'edns-error', 'bad-cookie', 'failure'];
const TRANSPORTS: Protocol[] = ['udp', 'tcp', 'tls', 'doh'];
const BOOLS = [false, true];

describe('the response table', () => {
  it('has exactly one row for each of the 128 cases', () => {
    for (const c of CLASSES) for (const tc of BOOLS) for (const tr of TRANSPORTS) for (const edns of BOOLS) for (const cookie of BOOLS) {
      const rows = RESPONSE.filter(([r, t, x, e, k]) => r === c && (t === '*' || t === tc) && (x === '*' || x === tr) && (e === '*' || e === edns) && (k === '*' || k === cookie));
      expect(rows.length, `${c} tc=${tc} ${tr} edns=${edns} cookie=${cookie}`).toBe(1);
    }
  });

  it('finishes on an answer, moves to TCP on TC over UDP only (RFC 7766 §5)', () => {
    expect(responseAction('answer', false, 'udp', true, true)).toBe('finish');
    expect(responseAction('answer', true, 'udp', false, false)).toBe('tcp');
    expect(responseAction('answer', true, 'tcp', true, false)).toBe('server-failed');
    expect(responseAction('answer', true, 'tls', true, false)).toBe('server-failed');
    expect(responseAction('answer', true, 'doh', true, false)).toBe('server-failed');
  });

  it('drops EDNS on FORMERR/NOTIMP/BADVERS to an EDNS query (RFC 6891 §7); else the server failed', () => {
    expect(responseAction('edns-error', false, 'udp', true, false)).toBe('no-edns');
    expect(responseAction('edns-error', false, 'tcp', false, false)).toBe('server-failed');
  });

  it('answers BADCOOKIE to a query with a cookie (RFC 7873 §5.3); everything else fails the server', () => {
    expect(responseAction('bad-cookie', false, 'udp', true, true)).toBe('bad-cookie');
    expect(responseAction('bad-cookie', false, 'udp', true, false)).toBe('server-failed');
    expect(responseAction('failure', true, 'udp', true, true)).toBe('server-failed');
  });

  it('classes rcodes', () => {
    expect([0, 3].map(rcodeClass)).toEqual(['answer', 'answer']);
    expect([1, 4, 16].map(rcodeClass)).toEqual(['edns-error', 'edns-error', 'edns-error']);
    expect(rcodeClass(23)).toBe('bad-cookie');
    expect([2, 5, 9, 17, 4095].map(rcodeClass)).toEqual(['failure', 'failure', 'failure', 'failure', 'failure']);
  });
});
