import { describe, expect, it } from 'vitest';
import type { AnswerEvent, Resolver } from '../../src/index.js';
import type { DnsRecord } from '../../src/codec.js';
import { finals, makeResolver, reply } from '../helpers/core-harness.js';

const cn = (name: string, data: string, ttl = 300): DnsRecord => ({ name, type: 'CNAME', class: 1, ttl, data });
const a = (name: string, data = '192.0.2.80', ttl = 300): DnsRecord => ({ name, type: 'A', class: 1, ttl, data });

function run(r: Resolver, name: string, answers: DnsRecord[], type = 'A') {
  r.query(0, name, type);
  const tx = r.poll().transmits[0]!;
  r.handleDatagrams(0, [{ data: reply(tx, { answers }), peer: tx.peer }]);
  return finals(r.poll())[0]!;
}

describe('CNAME chains', () => {
  it('keeps only the chain from the question name and its final RRset; ignores the rest (GHSA-6f2x-v7q7-m7m5)', () => {
    const r = makeResolver();
    const answers = [
      a('victim.example', '6.6.6.6'), cn('www.test', 'Edge.CDN.test'), a('edge.cdn.test', '192.0.2.1'),
      cn('other.test', 'x.test'), a('edge.cdn.test', '192.0.2.2'), { ...a('edge.cdn.test', '192.0.2.3'), class: 3 },
    ];
    const e = run(r, 'WWW.test', answers) as AnswerEvent;
    expect(e.kind).toBe('answer');
    expect(e.records.map((x) => `${x.type} ${String(x.data)}`)).toEqual(['CNAME Edge.CDN.test', 'A 192.0.2.1', 'A 192.0.2.2']);
    expect(e.message.answers).toHaveLength(6);
    expect(r.stats.offChainRecords).toBe(3);
    r.query(1, 'victim.example');
    expect(r.poll().transmits).toHaveLength(1);
    r.query(1, 'www.test');
    expect((finals(r.poll())[0] as AnswerEvent).records.map((x) => x.type)).toEqual(['CNAME', 'A', 'A']);
  });

  it('ends a loop or an over-long chain in EBADRESP, with maxCnameChain as the bound', () => {
    const r = makeResolver();
    const loop = run(r, 'l1.test', [cn('l1.test', 'l2.test'), cn('l2.test', 'L1.test')]);
    expect(loop).toMatchObject({ kind: 'error', code: 'EBADRESP' });
    if (loop.kind === 'error') expect(loop.error.message).toMatch(/CNAME loop/);
    const chain = (n: number): DnsRecord[] => [...Array.from({ length: n }, (_, i) => cn(`c${i}.test`, `c${i + 1}.test`)), a(`c${n}.test`)];
    expect(run(makeResolver(), 'c0.test', chain(8))).toMatchObject({ kind: 'answer' });
    const long = run(makeResolver(), 'c0.test', chain(9));
    expect(long).toMatchObject({ kind: 'error', code: 'EBADRESP' });
    if (long.kind === 'error') expect(long.error.message).toMatch(/longer than 8/);
    expect(run(makeResolver({ maxCnameChain: 2 }), 'c0.test', chain(3))).toMatchObject({ kind: 'error', code: 'EBADRESP' });
  });

  it('takes the CNAME itself for a CNAME question, every record of the name for ANY, and RRSIGs of chain names', () => {
    const e = run(makeResolver(), 'www.test', [cn('www.test', 'x.test'), a('x.test')], 'CNAME') as AnswerEvent;
    expect(e.records.map((x) => x.type)).toEqual(['CNAME']);
    const any = run(makeResolver(), 'www.test', [a('www.test'), { name: 'www.test', type: 'TXT', class: 1, ttl: 5, data: [new Uint8Array([104])] }, a('x.test')], 'ANY') as AnswerEvent;
    expect(any.records.map((x) => x.type)).toEqual(['A', 'TXT']);
    const sig = (name: string): DnsRecord => ({ name, type: 'RRSIG', class: 1, ttl: 300, data: new Uint8Array(20) });
    const signed = run(makeResolver(), 'www.test', [cn('www.test', 'x.test'), sig('www.test'), a('x.test'), sig('x.test'), sig('y.test')]) as AnswerEvent;
    expect(signed.records.map((x) => `${x.type} ${x.name}`)).toEqual(['RRSIG www.test', 'CNAME www.test', 'A x.test', 'RRSIG x.test']);
  });

  it('answers a chain that ends without the RRset (NODATA at the end) as is', () => {
    const e = run(makeResolver(), 'www.test', [cn('www.test', 'elsewhere.test')]) as AnswerEvent;
    expect(e.kind).toBe('answer');
    expect(e.records.map((x) => x.type)).toEqual(['CNAME']);
  });
});
