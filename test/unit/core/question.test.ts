/** question.ts: one preparation of a question, for the resolver and the driver loop alike. */
import { describe, expect, it } from 'vitest';
import { prepareQuestion } from '../../../src/core/question.js';

describe('prepareQuestion', () => {
  it('parses the name, type and class, and builds the question the events carry', () => {
    const p = prepareQuestion('WWW.Example.', 'aaaa', undefined);
    expect(p.question).toEqual({ name: 'WWW.Example', type: 28, class: 1, typeName: 'AAAA' });
    expect(p.labels.map((l) => new TextDecoder().decode(l))).toEqual(['WWW', 'Example']);
    expect(p.wireLength).toBe(13);
    expect(prepareQuestion('x', 65280, 'CH').question).toEqual({ name: 'x', type: 65280, class: 3, typeName: 'TYPE65280' });
  });

  it('checks the name first, then the type, then the class', () => {
    expect(() => prepareQuestion('a..b', 'NOPE', 'NOPE')).toThrow(expect.objectContaining({ code: 'EBADNAME' }) as Error);
    expect(() => prepareQuestion('a', 'NOPE', 'NOPE')).toThrow(expect.objectContaining({ code: 'EBADTYPE' }) as Error);
    expect(() => prepareQuestion('a', 'A', 'NOPE')).toThrow(expect.objectContaining({ code: 'EBADCLASS' }) as Error);
  });
});
