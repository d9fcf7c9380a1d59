/**
 * One table of real messages captured from BIND and Knot (vectors/, with
 * provenance) driven through our decoder and through the resolver. The
 * expectations come from dig, not from our code.
 */
import { describe, expect, it } from 'vitest';
import { Resolver, type ResolverEvent } from '../../src/index.js';
import { classToName, decodeMessage, type DnsRecord, type Message } from '../../src/codec.js';
import { testRandom } from '../helpers/core-harness.js';
import { digData } from './dig-format.js';
import { VECTORS, hex, type DigRecord, type Vector } from './load.js';

const fqdn = (n: string): string => (n === '.' ? '.' : `${n}.`);

function dig(records: readonly DnsRecord[]): DigRecord[] {
  return records.map((r) => ({ name: fqdn(r.name), ttl: r.ttl, class: classToName(r.class), type: r.type, data: digData(r) }));
}

function decoded(v: Vector): Message {
  const r = decodeMessage(hex(v.response));
  if (!r.ok) throw new Error(`${v.id}: refused by the decoder (${r.reason})`);
  return r.message;
}

describe.each(VECTORS.map((v) => [v.id, v] as const))('vector %s', (_id, v) => {
  it('decodes to what dig printed', () => {
    const m = decoded(v);
    const e = v.expect;
    expect(m.rcode).toBe(e.rcode);
    expect(m.flags).toEqual({ qr: e.qr, aa: e.aa, tc: e.tc, rd: e.rd, ra: e.ra, ad: e.ad, cd: e.cd });
    expect(m.questions.map((q) => ({ name: fqdn(q.name), class: classToName(q.class), type: q.type }))).toEqual(
      e.questions.map((q) => ({ ...q, type: expect.any(Number) as unknown as string })),
    );
    expect([m.answers.length, m.authorities.length, m.additionals.length + (m.edns ? 1 : 0)]).toEqual([e.answerCount, e.authorityCount, e.additionalCount]);
    expect(m.edns === undefined ? null : { version: m.edns.version, udpSize: m.edns.payload }).toEqual(e.edns);
    expect(dig(m.answers)).toEqual(e.answers);
    expect(dig(m.authorities)).toEqual(e.authority);
    expect(dig(m.additionals)).toEqual(e.additional);
  });

  it('drives the resolver to the right final event', () => {
    const m = decoded(v);
    const q = m.questions[0];
    if (q === undefined) return; // FORMERR without a question: covered by the unit tests
    const tcp = v.transport === 'tcp';
    const r = new Resolver({ servers: [tcp ? { address: '192.0.2.53', transport: 'tcp' } : '192.0.2.53'], random: testRandom(7) });
    r.query(0, q.name, q.type);
    const sent = r.poll().transmits[0]!;
    const bytes = hex(v.response);
    bytes[0] = sent.data[0]!;
    bytes[1] = sent.data[1]!;
    r.handleDatagrams(5, [{ data: bytes, peer: sent.peer }]);
    const out = r.poll();
    const final = out.events.find((e): e is Exclude<ResolverEvent, { kind: 'trace' }> => e.kind !== 'trace');
    if (m.opcode !== 0) {
      expect(r.stats.dropped['not-response']).toBe(1); // a reply to another opcode does not answer a QUERY
      expect(final).toBeUndefined();
    } else if (m.flags.tc && !tcp) {
      expect(out.transmits.map((t) => t.peer.transport)).toEqual(['tcp']);
      expect(final).toBeUndefined();
    } else if (m.rcode === 0 || m.rcode === 3) {
      expect(final).toMatchObject({ kind: 'answer', message: { rcode: m.rcode, answers: m.answers } });
    } else if ([1, 4, 16].includes(m.rcode)) {
      expect(r.stats.ednsFallbacks).toBe(1); // FORMERR, NOTIMP or BADVERS to EDNS: ask again without it
      expect(out.transmits).toHaveLength(1);
    } else {
      expect(final).toMatchObject({ kind: 'error', code: m.rcode === 5 ? 'EREFUSED' : 'ESERVFAIL' });
    }
  });
});
