/**
 * Proves vectors/captured.json: every captured response decodes with
 * dns-packet (an independent codec, not ours) to exactly what dig printed for
 * the same bytes when they were captured. A mismatch here means the vector
 * file is wrong or damaged, not that our decoder is.
 */
import * as dnsPacket from 'dns-packet';
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ipv6, quoteBytes } from './dig-format.js';

interface DigRecord { name: string; ttl: number; class: string; type: string; data: string }
interface Vector {
  id: string;
  purpose: string;
  server: string;
  transport: 'udp' | 'tcp';
  question: { name: string; type: string };
  query: string;
  response: string;
  expect: {
    opcode: string; rcode: number; rcodeName: string;
    qr: boolean; aa: boolean; tc: boolean; rd: boolean; ra: boolean; ad: boolean; cd: boolean;
    questionCount: number; answerCount: number; authorityCount: number; additionalCount: number;
    edns: { version: number; udpSize: number } | null;
    ede: number[];
    questions: { name: string; class: string; type: string }[];
    answers: DigRecord[]; authority: DigRecord[]; additional: DigRecord[];
  };
}

const vectors = JSON.parse(readFileSync(new URL('../../vectors/captured.json', import.meta.url), 'utf8')) as Vector[];

/* dig's presentation format (BIND lib/dns/rdata/*), for what dns-packet returns */

const fqdn = (n: string): string => (n === '.' ? '.' : `${n}.`);
const TYPE_NAMES: Record<string, string> = { UNKNOWN_64: 'SVCB', UNKNOWN_65: 'HTTPS' };
const typeName = (t: string): string => TYPE_NAMES[t] ?? t;

/** A character-string as BIND prints it (dns-packet gives some as UTF-8 text). */
const quoted = (bytes: Uint8Array | string): string => quoteBytes(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);

/** RFC 9460 SVCB/HTTPS rdata from raw bytes (dns-packet 5.6.1 leaves it undecoded). */
function svcb(raw: Buffer): string {
  const priority = raw.readUInt16BE(0);
  const labels: string[] = [];
  let o = 2;
  for (let len = raw[o]!; len !== 0; len = raw[o]!) {
    labels.push(raw.toString('ascii', o + 1, o + 1 + len));
    o += len + 1;
  }
  o += 1;
  const parts = [String(priority), labels.length === 0 ? '.' : `${labels.join('.')}.`];
  while (o < raw.length) {
    const key = raw.readUInt16BE(o);
    const v = raw.subarray(o + 4, o + 4 + raw.readUInt16BE(o + 2));
    o += 4 + v.length;
    if (key === 1) {
      const ids: string[] = [];
      for (let i = 0; i < v.length; i += 1 + v[i]!) ids.push(v.toString('ascii', i + 1, i + 1 + v[i]!));
      parts.push(`alpn="${ids.join(',')}"`);
    } else if (key === 3) parts.push(`port=${v.readUInt16BE(0)}`);
    else if (key === 4) parts.push(`ipv4hint=${[...Array(v.length / 4).keys()].map((i) => [...v.subarray(i * 4, i * 4 + 4)].join('.')).join(',')}`);
    else if (key === 6) {
      const addrs = [...Array(v.length / 16).keys()].map((i) => ipv6(v.subarray(i * 16, i * 16 + 16)));
      parts.push(`ipv6hint=${addrs.join(',')}`);
    } else throw new Error(`SvcParamKey ${key} not formatted here`);
  }
  return parts.join(' ');
}

// dns-packet's answer type is a union keyed by `type`; `any` keeps the formatter short.
function present(a: any): string {
  const d = a.data;
  switch (typeName(a.type)) {
    case 'A': case 'AAAA': return d;
    case 'NS': case 'CNAME': case 'PTR': return fqdn(d);
    case 'MX': return `${d.preference} ${fqdn(d.exchange)}`;
    case 'SOA': return `${fqdn(d.mname)} ${fqdn(d.rname)} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    case 'TXT': return (d as Buffer[]).map(quoted).join(' ');
    case 'SRV': return `${d.priority} ${d.weight} ${d.port} ${fqdn(d.target)}`;
    case 'CAA': return `${d.flags} ${d.tag} ${quoted(d.value)}`;
    case 'NAPTR': return `${d.order} ${d.preference} ${quoted(d.flags)} ${quoted(d.services)} ${quoted(d.regexp)} ${fqdn(d.replacement)}`;
    case 'HINFO': return `${quoted(d.cpu)} ${quoted(d.os)}`;
    case 'SVCB': case 'HTTPS': return svcb(d);
    default: throw new Error(`type ${a.type} not formatted here`);
  }
}

function record(a: any): DigRecord {
  return { name: fqdn(a.name), ttl: a.ttl, class: a.class, type: typeName(a.type), data: present(a) };
}

describe('vectors/captured.json', () => {
  it('holds vectors from both servers with unique ids', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(60);
    expect(new Set(vectors.map((v) => v.id)).size).toBe(vectors.length);
    expect(new Set(vectors.map((v) => v.server.split(' ')[0]))).toEqual(new Set(['bind', 'knot']));
  });

  it('covers the cases the tests rely on, for each server', () => {
    for (const server of ['bind', 'knot']) {
      const mine = vectors.filter((v) => v.id.startsWith(`${server}/`));
      const by = (id: string): Vector => {
        const v = mine.find((x) => x.id === `${server}/${id}`);
        if (v === undefined) throw new Error(`missing ${server}/${id}`);
        return v;
      };
      expect(by('nxdomain').expect.rcode).toBe(3);
      expect(by('nxdomain').expect.authority.map((r) => [r.type, r.ttl])).toEqual([['SOA', 300]]);
      expect(by('nodata').expect).toMatchObject({ rcode: 0, answerCount: 0, authorityCount: 1 });
      expect(by('big-udp').expect.tc).toBe(true);
      expect(by('big-tcp').expect).toMatchObject({ tc: false, answerCount: 150 });
      expect(by('cname-chain').expect.answers.map((r) => r.type)).toEqual(['CNAME', 'CNAME', 'CNAME', 'A']);
      expect(by('case-0x20').expect.questions[0]?.name).toBe('wWw.ExAmPlE.tEsT.');
      expect(by('refused').expect.rcode).toBe(5);
      expect(by('notimp-opcode').expect.rcode).toBe(4);
      expect(by('formerr-noquestion').expect.rcode).toBe(1);
      expect(by('badvers').expect.rcode).toBe(16);
      expect(by('a-noedns').expect.edns).toBeNull();
      expect(by('ttl0').expect.answers[0]?.ttl).toBe(0);
    }
  });

  for (const v of vectors) {
    it(`${v.id}: dns-packet agrees with dig`, () => {
      const query = Buffer.from(v.query, 'hex');
      const res = Buffer.from(v.response, 'hex');
      const q = dnsPacket.decode(query);
      const r = dnsPacket.decode(res) as any;
      expect(dnsPacket.decode.bytes).toBe(res.length);
      const e = v.expect;

      expect(r.id).toBe(q.id);
      const asked = q.questions?.[0];
      if (asked !== undefined) expect({ name: asked.name, type: typeName(asked.type) }).toEqual(v.question);
      const opt = (r.additionals as any[]).find((a) => a.type === 'OPT');
      const rcode = ((opt?.extendedRcode ?? 0) << 4) | (r.flags & 0x0f);
      expect({
        opcode: r.opcode, rcode, qr: r.flag_qr, aa: r.flag_aa, tc: r.flag_tc, rd: r.flag_rd, ra: r.flag_ra, ad: r.flag_ad, cd: r.flag_cd,
      }).toEqual({
        opcode: e.opcode, rcode: e.rcode, qr: e.qr, aa: e.aa, tc: e.tc, rd: e.rd, ra: e.ra, ad: e.ad, cd: e.cd,
      });
      expect([r.questions.length, r.answers.length, r.authorities.length, r.additionals.length])
        .toEqual([e.questionCount, e.answerCount, e.authorityCount, e.additionalCount]);
      expect(opt === undefined ? null : { version: opt.ednsVersion, udpSize: opt.udpPayloadSize }).toEqual(e.edns);
      const ede = ((opt?.options ?? []) as { code: number; data: Buffer }[]).filter((o) => o.code === 15).map((o) => o.data.readUInt16BE(0));
      expect(ede).toEqual(e.ede);

      expect(r.questions.map((x: any) => ({ name: fqdn(x.name), class: x.class, type: typeName(x.type) }))).toEqual(e.questions);
      expect(r.answers.map(record)).toEqual(e.answers);
      expect(r.authorities.map(record)).toEqual(e.authority);
      expect(r.additionals.filter((a: any) => a.type !== 'OPT').map(record)).toEqual(e.additional);
    });
  }
});
