/**
 * Names of any length cost O(1) to refuse (issue 18): a name that cannot fit
 * 255 bytes on the wire is `EBADNAME` after a length check (or after at most
 * 255 bytes of A-labels), never a RangeError, whatever its length; every
 * name that fits is still accepted.
 */
import { describe, expect, it } from 'vitest';
import { parseName } from '../../src/codec.js';
import { MAX_NAME_TEXT } from '../../src/core/codec/name.js';
import { decode, makeResolver } from '../helpers/core-harness.js';

const badName = expect.objectContaining({ code: 'EBADNAME' }) as Error;

describe('long names', () => {
  it('refuses names of 5,000 to 200,000 characters with EBADNAME, ASCII or not, with a bounded message', () => {
    const r = makeResolver();
    for (const n of [5_000, 20_000, 200_000]) {
      for (const name of ['a'.repeat(n), 'a.'.repeat(n / 2), 'ü'.repeat(n), 'ü.'.repeat(n / 2), '😀'.repeat(n / 2)]) {
        let error: unknown;
        try {
          r.query(0, name);
        } catch (e) {
          error = e;
        }
        expect(error).toEqual(badName);
        expect((error as Error).message.length).toBeLessThan(400);
      }
    }
    expect(r.poll().transmits).toEqual([]);
  });

  it('refuses past MAX_NAME_TEXT at once, and accepts the longest names that fit', () => {
    expect(() => parseName('a'.repeat(MAX_NAME_TEXT + 1))).toThrowError(/longer than any name of 255 bytes/);
    // 250 bytes in 4 labels, each written \DDD: 1,003 characters, 255 bytes on the wire.
    const longest = parseName(`${'\\065'.repeat(63)}.${'\\065'.repeat(63)}.${'\\065'.repeat(63)}.${'\\065'.repeat(61)}`);
    expect(longest.wireLength).toBe(255);
    const r = makeResolver();
    r.query(0, `${'ü'.repeat(10)}.${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.d`);
    expect(decode(r.poll().transmits[0]!.data).questions[0]!.name).toMatch(/^xn--/);
  });

  it('stops converting U-labels as soon as the A-labels are too long, or one label cannot fit 63 bytes', () => {
    const r = makeResolver();
    // Each label alone is fine; 60 of them are not.
    expect(() => r.query(0, Array.from({ length: 60 }, () => 'bücher').join('.'))).toThrowError(/longer than 255 bytes on the wire/);
    expect(() => r.query(0, `${'ü'.repeat(60)}.test`)).toThrowError(/more than 63 bytes as an A-label/);
    // 59 code points pass the early check; their A-label is still 65 bytes.
    expect(() => r.query(0, `${'ü'.repeat(59)}.test`)).toThrowError(/is 65 bytes as an A-label, more than 63/);
    // 60 UTF-16 units but 30 code points: the early check lets it through to the IDNA checks.
    expect(() => r.query(0, `${'😀'.repeat(30)}.test`)).toThrowError(/IDNA does not allow/);
    // A trailing dot after U-labels stays.
    r.query(0, 'bücher.test.');
    expect(decode(r.poll().transmits[0]!.data).questions[0]!.name).toBe('xn--bcher-kva.test');
  });
});
