/** question.ts: one preparation of a question, for the resolver and the driver loop alike. */
import { describe, expect, it } from 'vitest';
import { prepareQuestion, QuestionMemo } from '../../../src/core/question.js';
import { Resolver } from '../../../src/core/resolver.js';
import { decodeMessage } from '../../../src/core/codec/index.js';
import { testRandom } from '../../helpers/core-harness.js';

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

describe('QuestionMemo (issue 13: a question asked again is parsed once)', () => {
  it('hands back the same frozen preparation for the same name and type, a fresh one for another type or name', () => {
    const memo = new QuestionMemo();
    const a = memo.prepare('www.example', 'A', undefined);
    expect(memo.prepare('www.example', 'A', undefined)).toBe(a);
    expect(Object.isFrozen(a) && Object.isFrozen(a.question) && Object.isFrozen(a.labels)).toBe(true);
    expect(a).toEqual(prepareQuestion('www.example', 'A', undefined));
    expect(memo.prepare('www.example', 'AAAA', undefined).question.type).toBe(28);
    expect(memo.prepare('www.example', 1, undefined)).not.toBe(a);
    expect(memo.prepare('other.example', 'A', undefined)).not.toBe(a);
  });

  it('keeps nothing for a call with a class, and nothing that throws', () => {
    const memo = new QuestionMemo();
    const c = memo.prepare('x.example', 'A', 'IN');
    expect(Object.isFrozen(c)).toBe(false);
    expect(memo.prepare('x.example', 'A', 'IN')).not.toBe(c);
    expect(() => memo.prepare('a..b', 'A', undefined)).toThrow(expect.objectContaining({ code: 'EBADNAME' }) as Error);
    expect(() => memo.prepare('a..b', 'A', undefined)).toThrow(expect.objectContaining({ code: 'EBADNAME' }) as Error);
  });

  it('keeps at most 1024 names per type, then starts over', () => {
    const memo = new QuestionMemo();
    const first = memo.prepare('n0.example', 'A', undefined);
    for (let i = 1; i < 1024; i++) memo.prepare(`n${i}.example`, 'A', undefined);
    expect(memo.prepare('n0.example', 'A', undefined)).toBe(first);
    memo.prepare('n1024.example', 'A', undefined);
    expect(memo.prepare('n0.example', 'A', undefined)).not.toBe(first);
  });
});

describe('a question asked again through the resolver', () => {
  const server = { transport: 'udp', address: '192.0.2.1', port: 53 } as const;
  const sent = (r: Resolver): Uint8Array => (r.poll().transmits[0] as { data: Uint8Array }).data;
  const body = (d: Uint8Array): number[] => [...d.subarray(2)];

  it('sends the same bytes but the ID, with its DO/CD bits, and with an explicit class', () => {
    const r = new Resolver({ servers: [server.address], random: testRandom(), cache: false, coalesce: false, cookies: false });
    r.query(0, 'www.example');
    const first = sent(r);
    r.query(0, 'www.example');
    const second = sent(r);
    expect(second).not.toBe(first);
    expect(body(second)).toEqual(body(first));
    r.query(0, 'www.example', 'A', { dnssecOk: true });
    const withDo = sent(r);
    r.query(0, 'www.example', 'A', { dnssecOk: true, checkingDisabled: true });
    const withCd = sent(r);
    r.query(0, 'www.example', 'A', { class: 'IN' });
    const explicit = sent(r);
    expect(body(explicit)).toEqual(body(first));
    expect(body(withDo)).not.toEqual(body(first));
    expect(decodeMessage(withDo).ok && decodeMessage(withCd).ok).toBe(true);
    const m = decodeMessage(withCd);
    expect(m.ok && m.message.flags.cd && m.message.edns?.do).toBe(true);
    r.query(0, 'www.example', 'A', { dnssecOk: true });
    expect(body(sent(r))).toEqual(body(withDo));
  });
});
