import { describe, expect, it } from 'vitest';
import { isDnsError } from '../../../src/core/errors.js';
import { namesEqual, parseName } from '../../../src/core/codec/index.js';

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isDnsError(e) ? e.code : 'not a DnsError';
  }
  return undefined;
}

const bytes = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

describe('parseName', () => {
  it('parses plain names, with or without the trailing dot', () => {
    const p = parseName('www.Example.com.');
    expect(p.name).toBe('www.Example.com');
    expect(p.labels.map((l) => Array.from(l))).toEqual([bytes('www'), bytes('Example'), bytes('com')]);
    expect(p.wireLength).toBe(17);
    expect(parseName('www.Example.com')).toEqual(p);
  });

  it('treats "" and "." as the root', () => {
    for (const r of ['', '.']) expect(parseName(r)).toEqual({ name: '.', labels: [], wireLength: 1 });
  });

  it('reads escapes and gives the canonical form', () => {
    const p = parseName('a\\.b\\092\\065 z.\\000x.');
    expect(p.labels.map((l) => Array.from(l))).toEqual([[97, 46, 98, 92, 65, 32, 122], [0, 120]]);
    expect(p.name).toBe('a\\.b\\\\A\\032z.\\000x');
    expect(parseName('\\.').name).toBe('\\.');
    expect(parseName('\\..').labels.length).toBe(1);
    expect(parseName('a\\255').labels[0]).toEqual(Uint8Array.of(97, 255));
  });

  it('accepts 63-byte labels and 255-byte names, refuses 64 and 256', () => {
    expect(parseName(`${'a'.repeat(63)}.com`).labels[0]?.length).toBe(63);
    expect(code(() => parseName(`${'a'.repeat(64)}.com`))).toBe('EBADNAME');
    expect(code(() => parseName('\\000'.repeat(64)))).toBe('EBADNAME');
    // 3 × 63 + 61: 4 labels, 64 + 64 + 64 + 62 + 1 = 255 wire bytes.
    const l63 = 'a'.repeat(63);
    const max = `${l63}.${l63}.${l63}.${'b'.repeat(61)}`;
    expect(parseName(max).wireLength).toBe(255);
    expect(parseName(`${max}.`).wireLength).toBe(255);
    expect(code(() => parseName(`${l63}.${l63}.${l63}.${'b'.repeat(62)}`))).toBe('EBADNAME');
    expect(code(() => parseName(`${max}.c`))).toBe('EBADNAME');
    expect(code(() => parseName('a.'.repeat(200)))).toBe('EBADNAME');
  });

  it.each([
    ['a..b'], ['.a'], ['..'], ['a.b..'], ['a\\'], ['a\\25'], ['a\\2x5'], ['a\\256'], ['a\\\u00e9'],
    ['caf\u00e9.com'], ['a\tb'], ['a\u007fb'], ['\u4e2d.com'],
  ])('refuses %j', (input) => {
    expect(code(() => parseName(input))).toBe('EBADNAME');
  });

  it('refuses non-strings', () => {
    expect(code(() => parseName(42 as unknown as string))).toBe('EBADNAME');
    expect(code(() => parseName(undefined as unknown as string))).toBe('EBADNAME');
  });

  it('escapes space in the canonical form', () => {
    expect(parseName('a b.c').name).toBe('a\\032b.c');
  });
});

describe('namesEqual', () => {
  it('compares ASCII case-insensitively unless asked', () => {
    expect(namesEqual('WwW.Example.COM', 'www.example.com', false)).toBe(true);
    expect(namesEqual('WwW.Example.COM', 'www.example.com', true)).toBe(false);
    expect(namesEqual('www.example.com', 'www.example.com', true)).toBe(true);
    expect(namesEqual('a.b', 'a.bc', false)).toBe(false);
    expect(namesEqual('a.b', 'a.c', false)).toBe(false);
    expect(namesEqual('a\\255', 'A\\255', false)).toBe(true);
    expect(namesEqual('[', '{', false)).toBe(false);
    expect(namesEqual('@', '`', false)).toBe(false);
  });
});
