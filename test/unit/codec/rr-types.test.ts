import { describe, expect, it } from 'vitest';
import { isDnsError } from '../../../src/core/errors.js';
import { classFromInput, classToName, typeFromInput, typeToName } from '../../../src/core/codec/index.js';

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isDnsError(e) ? e.code : 'not a DnsError';
  }
  return undefined;
}

describe('typeFromInput', () => {
  it.each([
    ['A', 1], ['aaaa', 28], ['Https', 65], ['SVCB', 64], ['CAA', 257], ['ANY', 255], ['any', 255],
    ['TYPE65', 65], ['type65534', 65534], ['TYPE65535', 65535], ['NULL', 10], ['URI', 256], [28, 28], [65535, 65535], [1, 1],
  ] as const)('%j is %d', (input, want) => {
    expect(typeFromInput(input)).toBe(want);
  });

  it.each([
    ['AXFR'], ['IXFR'], ['OPT'], ['TSIG'], ['TKEY'], ['nope'], [''], ['TYPE'], ['TYPE0'], ['TYPE065'], ['TYPE65536'],
    ['TYPE999999'], ['TYPE41'], ['TYPE252'], ['TYPE-1'], ['TYPE1.5'], ['XTYPE1'], ['constructor'], ['__proto__'],
    [0], [41], [249], [250], [251], [252], [65536], [-1], [1.5], [Number.NaN], [Infinity],
  ])('%j throws EBADTYPE', (input) => {
    expect(code(() => typeFromInput(input as string | number))).toBe('EBADTYPE');
  });

  it('throws EBADTYPE for non-strings and non-numbers', () => {
    expect(code(() => typeFromInput(null as unknown as string))).toBe('EBADTYPE');
    expect(code(() => typeFromInput({} as unknown as string))).toBe('EBADTYPE');
  });
});

describe('typeToName', () => {
  it('names known types and writes the rest generically', () => {
    expect(typeToName(1)).toBe('A');
    expect(typeToName(65)).toBe('HTTPS');
    expect(typeToName(257)).toBe('CAA');
    expect(typeToName(255)).toBe('TYPE255');
    expect(typeToName(10)).toBe('TYPE10');
    expect(typeToName(65535)).toBe('TYPE65535');
  });
});

describe('classes', () => {
  it.each([
    ['IN', 1], ['in', 1], ['CH', 3], ['HS', 4], ['ANY', 255], ['CLASS2', 2], ['class65535', 65535], [1, 1], [255, 255], [3, 3],
  ] as const)('%j is %d', (input, want) => {
    expect(classFromInput(input)).toBe(want);
  });

  it.each([['NONE'], ['CLASS254'], ['CLASS0'], ['CLASS'], ['chaos'], [0], [254], [65536], [1.5], [-3], [null]])(
    '%j throws EBADCLASS',
    (input) => {
      expect(code(() => classFromInput(input as string | number))).toBe('EBADCLASS');
    },
  );

  it('names classes', () => {
    expect([1, 3, 4, 255, 2, 254].map(classToName)).toEqual(['IN', 'CH', 'HS', 'ANY', 'CLASS2', 'CLASS254']);
  });
});
