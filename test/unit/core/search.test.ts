/** search.ts: candidates as glibc orders them, the option's check, and one search run under one handle. */
import { describe, expect, it } from 'vitest';
import { SearchRun, candidates, searchList, type SearchHost } from '../../../src/core/search.js';
import type { AnswerEvent, ErrorEvent, QueryOptions, ResolverEvent, ResolverStats, Transmit } from '../../../src/index.js';

describe('candidates', () => {
  it('asks a name with fewer than ndots dots with each suffix first, else as is first', () => {
    expect(candidates('www', ['a.example', 'b.example'], 1)).toEqual(['www.a.example', 'www.b.example', 'www']);
    expect(candidates('www.corp', ['a.example'], 1)).toEqual(['www.corp', 'www.corp.a.example']);
    expect(candidates('www.corp', ['a.example'], 2)).toEqual(['www.corp.a.example', 'www.corp']);
  });

  it('asks an absolute name, or any name without a list, as is; an escaped dot is no dot', () => {
    expect(candidates('www.', ['a.example'], 1)).toEqual(['www.']);
    expect(candidates('www', [], 1)).toEqual(['www']);
    expect(candidates('a\\.b', ['x.example'], 1)).toEqual(['a\\.b.x.example', 'a\\.b']);
  });

  it('leaves out a suffix that makes the name too long for the wire', () => {
    const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(50)}`;
    expect(candidates(long, ['short.example', 'x'], 5)).toEqual([`${long}.x`, long]);
  });
});

describe('searchList', () => {
  it('normalises names and refuses anything else', () => {
    expect(searchList(undefined)).toEqual([]);
    expect(searchList(['A.Example.', 'b.example'])).toEqual(['A.Example', 'b.example']);
    for (const bad of ['x', [''], ['.'], [7], new Array(33).fill('x.example')]) {
      expect(() => searchList(bad)).toThrow(expect.objectContaining({ code: 'EBADOPTION' }) as Error);
    }
    expect(() => searchList(['a..b'])).toThrow(expect.objectContaining({ code: 'EBADNAME' }) as Error);
  });
});

/** A host whose queries end when the test says, with the outcome it gives. */
function host() {
  const events: ResolverEvent[] = [];
  const transmits: Transmit[] = [];
  const asked: [number, string][] = [];
  let next = 100;
  const h: SearchHost = {
    ask: (_t: number, name: string, _type: string | number, _o: QueryOptions) => {
      asked.push([next, name]);
      transmits.push({ data: new Uint8Array(1), peer: { transport: 'udp', address: '192.0.2.1', port: 53 }, handle: next, token: next });
      return next++;
    },
    issue: () => 1,
    timeout: (o) => o.timeout ?? 1000,
    stats: { searched: 0 } as ResolverStats,
    traceSearch: (at, handle, nodata, from, to) => events.push({ kind: 'trace', at, what: 'search', handle, peer: undefined, id: undefined, size: undefined, detail: `${nodata} ${from} ${to}` }),
    out: { events, transmits },
  };
  return { h, events, transmits, asked };
}

function answer(handle: number, name: string, rcode: number, records: AnswerEvent['records'] = []): AnswerEvent {
  return {
    kind: 'answer', handle, question: { name, type: 1, class: 1, typeName: 'A' }, server: { transport: 'udp', address: '192.0.2.1', port: 53 },
    message: { id: 0, opcode: 0, rcode, flags: {} as never, questions: [], answers: records, authorities: [], additionals: [], edns: undefined },
    elapsed: 1, sent: 1, records, source: 'network',
  };
}

describe('SearchRun', () => {
  it('asks the candidates in turn under the caller handle, and ends with the first NODATA', () => {
    const { h, events, transmits, asked } = host();
    const run = new SearchRun(h, ['a.example', 'b.example'], 1);
    const outer = run.query(0, 'www', 'A', {});
    expect(outer).toBe(1);
    expect(transmits.map((t) => t.handle)).toEqual([1]);
    expect(run.innerOf(outer)).toBe(100);
    expect(run.innerOf(100)).toBe(100);
    events.push(answer(100, 'www.a.example', 0));
    run.settle(10);
    expect(asked.map(([, n]) => n)).toEqual(['www.a.example', 'www.b.example']);
    expect(h.stats.searched).toBe(1);
    expect(events).toMatchObject([{ kind: 'trace', what: 'search', handle: 1, detail: 'true www.a.example www.b.example' }]);
    events.length = 0;
    events.push(answer(101, 'www.b.example', 3));
    run.settle(20);
    events.push(answer(102, 'www', 3));
    run.settle(30);
    expect(events).toMatchObject([{ kind: 'trace', handle: 1 }, { kind: 'answer', handle: 1, question: { name: 'www.a.example' }, elapsed: 30, sent: 3 }]);
    expect(run.innerOf(outer)).toBe(outer);
  });

  it('ends at once on data or an error, and asks a name with one candidate plainly', () => {
    const { h, events } = host();
    const run = new SearchRun(h, ['a.example'], 1);
    expect(run.query(0, 'www.', 'A', {})).toBe(100);
    const outer = run.query(0, 'www', 'A', {});
    const question = { name: 'www.a.example', type: 1, class: 1, typeName: 'A' };
    const e: ErrorEvent = { kind: 'error', handle: 101, question, code: 'ESERVFAIL', error: new Error('x') as never, elapsed: 1, sent: 1 };
    events.push(e);
    run.settle(5);
    expect(events).toEqual([{ ...e, handle: outer, elapsed: 5, sent: 1 }]);
  });
});
