import { describe, expect, it } from 'vitest';
import { nameText, wireNamesEqual } from '../../../src/core/codec/wire-name.js';
import { cat, header, ptr, question, wname } from './wire.js';

// Two messages: "www.example.com" at 12 in `a`; in `b`, "example.com" at 12 and "WWW" + pointer to it at 29.
const a = cat(header([1, 0, 0, 0]), question(wname('www.example.com'), 1));
const b = cat(header([2, 0, 0, 0]), question(wname('example.com'), 1), [3, 0x57, 0x57, 0x57, ...ptr(12)], [0, 1, 0, 1]);

describe('wireNamesEqual', () => {
  it('follows compression on either side, and folds ASCII case unless asked not to', () => {
    expect(wireNamesEqual(a, 12, b, 29, false)).toBe(true);
    expect(wireNamesEqual(b, 29, a, 12, false)).toBe(true);
    expect(wireNamesEqual(a, 12, b, 29, true)).toBe(false);
    expect(wireNamesEqual(b, 29, b, 29, true)).toBe(true);
  });

  it('tells different lengths and different letters apart', () => {
    expect(wireNamesEqual(a, 12, b, 12, false)).toBe(false);
    const c = cat(header([1, 0, 0, 0]), question(wname('www.exbmple.com'), 1));
    expect(wireNamesEqual(a, 12, c, 12, false)).toBe(false);
    // Letters fold; other bytes that differ by 0x20 do not ("[" is not "{").
    const d = cat(header([1, 0, 0, 0]), question([1, 0x5b, 0], 1));
    const e = cat(header([1, 0, 0, 0]), question([1, 0x7b, 0], 1));
    expect(wireNamesEqual(d, 12, e, 12, false)).toBe(false);
  });
});

describe('nameText', () => {
  const known = { wire: a, offset: 12, text: 'www.example.com' };

  it('hands out the known text for the same bytes, and reads any other name', () => {
    expect(nameText(a, 12, known)).toBe(known.text);
    expect(nameText(b, 29, known)).toBe('WWW.example.com');
    expect(nameText(b, 12, known)).toBe('example.com');
    expect(nameText(b, 12, undefined)).toBe('example.com');
  });
});
