/** EDNS padding with the block-length policy of RFC 8467 §4.1. */
import { describe, expect, it } from 'vitest';
import { encodeMessage, encodeQuery, parseName } from '../../../../src/core/codec/index.js';
import { decode } from '../../../helpers/decode.js';
import { PADDING, QUERY_BLOCK, RESPONSE_BLOCK, isPadded, padMessage } from '../../../../src/core/codec/padding.js';

function query(name: string, edns = true): Uint8Array {
  return encodeQuery({ id: 7, labels: parseName(name).labels, type: 1, class: 1, rd: true, cd: false, ...(edns ? { edns: { payload: 1232, do: false } } : {}) });
}

function optionsOf(wire: Uint8Array): { code: number; data: Uint8Array }[] {
  return [...(decode(wire).edns?.options ?? [])];
}

describe('padMessage', () => {
  it('pads a query to a multiple of 128 with zeros, keeping what it had', () => {
    for (const name of ['a.test', 'a-much-longer-name.with.several.labels.example', `${'x'.repeat(63)}.${'y'.repeat(63)}.test`]) {
      const q = query(name);
      const padded = padMessage(q, QUERY_BLOCK);
      expect(padded.length % QUERY_BLOCK).toBe(0);
      expect(padded.length).toBeGreaterThan(q.length);
      expect(padded.length - q.length).toBeLessThanOrEqual(QUERY_BLOCK + 3);
      const [opt] = optionsOf(padded);
      expect(opt!.code).toBe(PADDING);
      expect(opt!.data.every((b) => b === 0)).toBe(true);
      expect(padded.subarray(0, q.length - 2)).toEqual(q.subarray(0, q.length - 2));
    }
  });

  it('adds an empty padding option when the length is one short of a block already', () => {
    const q = query('a.test');
    const out = padMessage(q, q.length + 4);
    expect(out.length).toBe(q.length + 4);
    expect(optionsOf(out)).toEqual([{ code: PADDING, data: new Uint8Array(0) }]);
  });

  it('pads a response after its other records and options, to a multiple of 468', () => {
    const wire = encodeMessage({
      id: 1, flags: { qr: true, aa: true }, questions: [{ name: 'a.test', type: 1, class: 1 }],
      answers: [{ name: 'a.test', type: 'A', class: 1, ttl: 60, data: '192.0.2.1' }],
      additionals: [{ name: 'a.test', type: 'TXT', class: 1, ttl: 60, data: [new Uint8Array([1])] }],
      edns: { payload: 1232, options: [{ code: 10, data: new Uint8Array(8) }] },
    });
    const out = padMessage(wire, RESPONSE_BLOCK);
    expect(out.length).toBe(RESPONSE_BLOCK);
    expect(optionsOf(out).map((o) => o.code)).toEqual([10, PADDING]);
  });

  it('leaves alone a message without OPT, with OPT not last, already padded, malformed, or that cannot fit', () => {
    const plain = query('a.test', false);
    expect(padMessage(plain, QUERY_BLOCK)).toBe(plain);
    const once = padMessage(query('a.test'), QUERY_BLOCK);
    expect(padMessage(once, QUERY_BLOCK)).toBe(once);
    const truncated = query('a.test').subarray(0, 20);
    expect(padMessage(truncated, QUERY_BLOCK)).toBe(truncated);
    const noRecords = encodeMessage({ id: 1, questions: [{ name: 'a.test', type: 1, class: 1 }] });
    expect(padMessage(noRecords, QUERY_BLOCK)).toBe(noRecords);
    const optNotLast = encodeMessage({
      id: 1, questions: [{ name: 'a.test', type: 1, class: 1 }],
      answers: [{ name: 'a.test', type: 'A', class: 1, ttl: 60, data: '192.0.2.1' }],
    });
    expect(padMessage(optNotLast, QUERY_BLOCK)).toBe(optNotLast);
    const big = encodeMessage({ id: 1, questions: [{ name: 'a.test', type: 1, class: 1 }], edns: { payload: 1232, options: [{ code: 3, data: new Uint8Array(45_000) }] } });
    expect(padMessage(big, 40_000)).toBe(big);
  });

  it('tells a padded message from one that is not', () => {
    expect(isPadded(undefined)).toBe(false);
    expect(isPadded({ options: [{ code: 10 }] })).toBe(false);
    expect(isPadded({ options: [{ code: 10 }, { code: PADDING }] })).toBe(true);
  });
});
