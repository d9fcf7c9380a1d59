import * as dnsPacket from 'dns-packet';
import { Buffer } from 'buffer';
import { describe, expect, it } from 'vitest';
import { decodeMessage, type DecodeResult, type MalformedReason, type Message } from '../../../src/core/codec/index.js';
import { OWNER, cat, header, ptr, question, response, rr, u16, u32, wname } from './wire.js';

function ok(r: DecodeResult): Message {
  if (!r.ok) throw new Error(`malformed: ${r.reason}`);
  return r.message;
}

const A = (rdata: number[]): number[] => rr(OWNER, 1, rdata);
const opt = (rdata: number[] = [], ttl = 0, payload = 1232): number[] => rr([0], 41, rdata, payload, ttl);
const nsec3 = (salt: number[], hash: number[], bitmap: number[]): number[] => [1, 0, ...u16(10), salt.length, ...salt, hash.length, ...hash, ...bitmap];

/**
 * A TYPE65280 record whose rdata (at 23) holds "a" and then `n` names, each
 * "b" plus a pointer to the one before; then an A record whose owner points
 * at the last: a name of `n + 1` hops.
 */
function chain(n: number): Uint8Array {
  const parts: number[][] = [[1, 0x61, 0]];
  let at = 23;
  for (let i = 0; i < n; i++) {
    parts.push([1, 0x62, ...ptr(at)]);
    at += i === 0 ? 3 : 4;
  }
  const last = 23 + 3 + 4 * (n - 1);
  return cat(header([0, 0, 0, 2]), rr([0], 0xff00, cat(...parts)), rr(ptr(last), 1, [1, 2, 3, 4]));
}

describe('decodeMessage: well-formed', () => {
  it('decodes header, flags and every shaped type', () => {
    const answers = [
      A([192, 0, 2, 1]),
      rr(OWNER, 28, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
      rr(OWNER, 5, ptr(12)),
      rr(OWNER, 2, wname('ns.example.com')),
      rr(OWNER, 12, [1, 0x2e, 1, 0x5c, 1, 0x20, 1, 0xff, 0]),
      rr(OWNER, 39, wname('.')),
      rr(OWNER, 15, [0, 10, ...ptr(12)]),
      rr(OWNER, 16, [0, 3, 0x61, 0x62, 0x63]),
      rr(OWNER, 6, [...wname('ns'), ...ptr(12), ...u32(1), ...u32(2), ...u32(3), ...u32(4), ...u32(0xffffffff)]),
      rr(OWNER, 33, [0, 1, 0, 2, 1, 187, ...wname('t')]),
      rr(OWNER, 257, [128, 5, ...Array.from('issue', (c) => c.charCodeAt(0)), 0x61, 0x0a]),
      rr(OWNER, 35, [0, 1, 0, 2, 1, 0x53, 0, 2, 0x5c, 0x22, ...wname('r')]),
      rr(OWNER, 13, [3, 0x78, 0x38, 0x36, 0]),
      rr(OWNER, 65, [0, 1, 0, 0, 1, 0, 3, 2, 0x68, 0x32, 0, 3, 0, 2, 1, 187]),
      rr(OWNER, 64, [0, 0, ...wname('svc')]),
      rr(OWNER, 43, [1, 2, 3, 4, 5]),
      rr(OWNER, 1234, [9, 9]),
    ];
    const m = ok(decodeMessage(response(answers, { ar: [opt([0, 10, 0, 2, 7, 7], 0x01008000)] })));
    expect(m).toMatchObject({ id: 0x1234, opcode: 0, rcode: 16, flags: { qr: true, aa: false, tc: false, rd: true, ra: true, ad: false, cd: false } });
    expect(m.questions).toEqual([{ name: 'example.com', type: 1, class: 1 }]);
    expect(m.answers.map((r) => [r.name, r.type, r.class, r.ttl])[0]).toEqual(['example.com', 'A', 1, 60]);
    expect(m.answers.map((r) => r.data)).toEqual([
      '192.0.2.1', '2001:db8::1', 'example.com', 'ns.example.com', '\\..\\\\.\\032.\\255', '.',
      { preference: 10, exchange: 'example.com' }, [new Uint8Array(0), Uint8Array.of(0x61, 0x62, 0x63)],
      { mname: 'ns', rname: 'example.com', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 0xffffffff },
      { priority: 1, weight: 2, port: 443, target: 't' },
      { flags: 128, tag: 'issue', value: 'a\\010' },
      { order: 1, preference: 2, flags: 'S', services: '', regexp: '\\\\"', replacement: 'r' },
      { cpu: 'x86', os: '' },
      { priority: 1, target: '.', params: [{ key: 1, value: Uint8Array.of(2, 0x68, 0x32) }, { key: 3, value: Uint8Array.of(1, 187) }] },
      { priority: 0, target: 'svc', params: [] },
      Uint8Array.of(1, 2, 3, 4, 5),
      Uint8Array.of(9, 9),
    ]);
    expect(m.answers.at(-1)?.type).toBe('TYPE1234');
    expect(m.answers[1]?.type).toBe('AAAA');
    expect(m.edns).toEqual({ payload: 1232, version: 0, do: true, options: [{ code: 10, data: Uint8Array.of(7, 7) }] });
    expect(m.additionals).toEqual([]);
  });

  it('formats IPv6 per RFC 5952', () => {
    const cases: [number[], string][] = [
      [[0, 0, 0, 0, 0, 0, 0, 0], '::'],
      [[0, 0, 0, 0, 0, 0, 0, 1], '::1'],
      [[1, 0, 0, 0, 0, 0, 0, 0], '1::'],
      [[1, 0, 1, 0, 0, 1, 0, 1], '1:0:1::1:0:1'],
      [[1, 0, 0, 1, 0, 0, 0, 1], '1:0:0:1::1'],
      [[1, 0, 0, 1, 0, 0, 1, 1], '1::1:0:0:1:1'],
      [[0xabcd, 1, 2, 3, 4, 5, 6, 0xffff], 'abcd:1:2:3:4:5:6:ffff'],
    ];
    for (const [groups, text] of cases) {
      const m = ok(decodeMessage(response([rr(OWNER, 28, groups.flatMap(u16))])));
      expect(m.answers[0]?.data).toBe(text);
    }
  });

  it('copies binary data out of the input, and returns plain Uint8Arrays for Buffer input', () => {
    const bytes = response([rr(OWNER, 16, [2, 0x61, 0x62])], { ar: [opt([0, 9, 0, 1, 5])] });
    const m = ok(decodeMessage(Buffer.from(bytes)));
    const txt = m.answers[0]?.data as Uint8Array[];
    expect(txt[0]?.constructor).toBe(Uint8Array);
    expect(m.edns?.options[0]?.data.constructor).toBe(Uint8Array);
    const m2 = ok(decodeMessage(bytes));
    bytes.fill(0);
    expect(Array.from((m2.answers[0]?.data as Uint8Array[])[0] ?? [])).toEqual([0x61, 0x62]);
  });

  it('reads opcode, every flag, and leaves edns undefined without OPT', () => {
    const m = ok(decodeMessage(cat(header([0, 0, 0, 0], 0xfff5 & ~0x40))));
    expect(m).toEqual({
      id: 0x1234, opcode: 15, rcode: 5, questions: [], answers: [], authorities: [], additionals: [], edns: undefined,
      flags: { qr: true, aa: true, tc: true, rd: true, ra: true, ad: true, cd: true },
    });
  });

  it('accepts an OPT with EDNS version 1 and the DO bit clear, and authority and additional records', () => {
    const m = ok(decodeMessage(response([], { ns: [A([1, 2, 3, 4])], ar: [opt([], 0x00010000, 4096), A([5, 6, 7, 8])] })));
    expect(m.edns).toEqual({ payload: 4096, version: 1, do: false, options: [] });
    expect(m.authorities.length).toBe(1);
    expect(m.additionals.map((r) => r.data)).toEqual(['5.6.7.8']);
  });

  it('reads a TTL with its top bit set as 0 (RFC 2181 §8), and 2^31 - 1 as is', () => {
    const m = ok(decodeMessage(response([rr(OWNER, 1, [192, 0, 2, 1], 1, 0x80000001), rr(OWNER, 1, [192, 0, 2, 2], 1, 0x7fffffff), rr(OWNER, 1, [192, 0, 2, 3], 1, 0xffffffff)])));
    expect(m.answers.map((r) => r.ttl)).toEqual([0, 0x7fffffff, 0]);
  });

  it('follows pointer chains up to 32 hops, and names of exactly 255 bytes', () => {
    const m = ok(decodeMessage(chain(31)));
    expect(m.additionals[1]?.name).toBe(`${'b.'.repeat(31)}a`);
    const l63 = Array.from({ length: 63 }, () => 0x61);
    const long = [63, ...l63, 63, ...l63, 63, ...l63, 61, ...l63.slice(2), 0];
    expect(ok(decodeMessage(cat(header([1, 0, 0, 0]), question(long, 1)))).questions[0]?.name.length).toBe(253);
  });
});

describe('decodeMessage: malformed', () => {
  const l63 = Array.from({ length: 63 }, () => 0x61);
  const cases: [string, Uint8Array, MalformedReason][] = [
    ['short header', new Uint8Array(11), 'short-header'],
    ['counts the bytes cannot hold', cat(header([2, 0, 0, 0]), question([0], 1)), 'bad-count'],
    ['huge answer count', cat(header([0, 0xffff, 0, 0])), 'bad-count'],
    ['question cut short', cat(header([1, 0, 0, 0]), wname('example.com'), [0, 1]), 'truncated'],
    ['name running off the end', cat(header([1, 0, 0, 0]), [5, 0x61, 0x62, 0x63, 0x64]), 'truncated'],
    ['record cut in its fixed part', cat(header([0, 1, 0, 0]), wname('abcdefghijk'), [0, 1, 0, 1, 0]), 'truncated'],
    ['pointer cut in half', cat(header([0, 1, 0, 0]), [0xc0], new Array(10).fill(0)), 'bad-pointer'],
    ['label type 0x40', cat(header([1, 0, 0, 0]), [0x41, 0, 0, 1, 0, 1]), 'bad-label'],
    ['label type 0x80', cat(header([1, 0, 0, 0]), [0x80, 0, 0, 1, 0, 1]), 'bad-label'],
    ['forward pointer', cat(header([1, 0, 0, 0]), ptr(14), [0, 0, 1, 0, 1]), 'bad-pointer'],
    ['pointer to itself', cat(header([1, 0, 0, 0]), ptr(12), [0, 1, 0, 1]), 'bad-pointer'],
    ['pointer into the header', cat(header([1, 0, 0, 0]), ptr(4), [0, 1, 0, 1]), 'bad-pointer'],
    ['pointer loop via labels', response([rr([1, 0x61, ...ptr(29)], 1, [1, 2, 3, 4])]), 'bad-pointer'],
    ['name over 255 bytes', cat(header([1, 0, 0, 0]), question([63, ...l63, 63, ...l63, 63, ...l63, 62, ...l63.slice(1), 0], 1)), 'name-too-long'],
    ['name over 255 bytes through pointers', cat(header([2, 0, 0, 0]), question([63, ...l63, 63, ...l63, 63, ...l63, 0], 1), question([62, ...l63.slice(1), ...ptr(12)], 1)), 'name-too-long'],
    ['rdlength past the end', cat(response([]), rr(OWNER, 1, [1, 2, 3, 4]).slice(0, -1)).map((v, i) => (i === 7 ? 1 : v)), 'bad-rdlength'],
    ['truncated A', response([A([1, 2, 3])]), 'bad-rdata'],
    ['long A', response([A([1, 2, 3, 4, 5])]), 'bad-rdata'],
    ['truncated AAAA', response([rr(OWNER, 28, new Array(15).fill(1))]), 'bad-rdata'],
    ['CNAME not filling rdata', response([rr(OWNER, 5, [...wname('a'), 0])]), 'bad-rdata'],
    ['CNAME running past rdata', response([rr(OWNER, 5, [3, 0x61, 0x61])]), 'bad-rdata'],
    ['CNAME with a bad pointer', response([rr(OWNER, 5, ptr(500))]), 'bad-pointer'],
    ['CNAME with half a pointer', response([rr(OWNER, 5, [0xc0])]), 'bad-rdata'],
    ['CNAME with a bad label', response([rr(OWNER, 5, [0x40])]), 'bad-label'],
    ['empty NS', response([rr(OWNER, 2, [])]), 'bad-rdata'],
    ['short MX', response([rr(OWNER, 15, [0, 1])]), 'bad-rdata'],
    ['MX with trailing byte', response([rr(OWNER, 15, [0, 1, 0, 9])]), 'bad-rdata'],
    ['SOA without numbers', response([rr(OWNER, 6, [0, 0, ...u32(1)])]), 'bad-rdata'],
    ['SOA with a bad first name', response([rr(OWNER, 6, [0x80, 0, ...new Array(20).fill(0)])]), 'bad-label'],
    ['SOA with a bad second name', response([rr(OWNER, 6, [0, 0x80, ...new Array(20).fill(0)])]), 'bad-label'],
    ['short SRV', response([rr(OWNER, 33, [0, 1, 0, 1, 0, 1])]), 'bad-rdata'],
    ['empty TXT', response([rr(OWNER, 16, [])]), 'bad-rdata'],
    ['TXT string past rdata (the 23-byte bomb)', cat(header([0, 1, 0, 0]), rr([0], 16, [0xff])), 'bad-rdata'],
    ['TXT overrun', response([rr(OWNER, 16, [1, 0x61, 2, 0x61])]), 'bad-rdata'],
    ['HINFO with one string', response([rr(OWNER, 13, [1, 0x61])]), 'bad-rdata'],
    ['HINFO with extra bytes', response([rr(OWNER, 13, [0, 0, 0])]), 'bad-rdata'],
    ['HINFO string past rdata', response([rr(OWNER, 13, [0, 5, 0x61])]), 'bad-rdata'],
    ['NAPTR missing strings', response([rr(OWNER, 35, [0, 1, 0, 1])]), 'bad-rdata'],
    ['NAPTR missing replacement', response([rr(OWNER, 35, [0, 1, 0, 1, 0, 0, 0])]), 'bad-rdata'],
    ['NAPTR with a bad replacement', response([rr(OWNER, 35, [0, 1, 0, 1, 0, 0, 0, 0x40])]), 'bad-label'],
    ['CAA too short', response([rr(OWNER, 257, [0])]), 'bad-rdata'],
    ['CAA with empty tag', response([rr(OWNER, 257, [0, 0, 0x61])]), 'bad-rdata'],
    ['CAA tag past rdata', response([rr(OWNER, 257, [0, 5, 0x61])]), 'bad-rdata'],
    ['SVCB with compressed target', response([rr(OWNER, 64, [0, 1, ...ptr(12)])]), 'bad-rdata'],
    ['SVCB without target', response([rr(OWNER, 64, [0, 1])]), 'bad-rdata'],
    ['SVCB with bad target label', response([rr(OWNER, 64, [0, 1, 0x40])]), 'bad-label'],
    ['SVCB param header cut', response([rr(OWNER, 64, [0, 1, 0, 0, 1, 0])]), 'bad-rdata'],
    ['SVCB param value past rdata', response([rr(OWNER, 65, [0, 1, 0, 0, 1, 0, 2, 0])]), 'bad-rdata'],
    ['SVCB keys out of order', response([rr(OWNER, 65, [0, 1, 0, 0, 3, 0, 0, 0, 1, 0, 0])]), 'bad-rdata'],
    ['SVCB duplicate keys', response([rr(OWNER, 65, [0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0])]), 'bad-rdata'],
    ['RRSIG too short for signer', response([rr(OWNER, 46, new Array(18).fill(0))]), 'bad-rdata'],
    ['RRSIG with compressed signer', response([rr(OWNER, 46, [...new Array(18).fill(0), ...ptr(12), 1])]), 'bad-rdata'],
    ['RRSIG with bad signer label', response([rr(OWNER, 46, [...new Array(18).fill(0), 0x80])]), 'bad-label'],
    ['NSEC with compressed next name', response([rr(OWNER, 47, [...ptr(12), 0, 1, 0x40])]), 'bad-rdata'],
    ['NSEC bitmap window cut', response([rr(OWNER, 47, [0, 0])]), 'bad-rdata'],
    ['NSEC bitmap past rdata', response([rr(OWNER, 47, [0, 0, 2, 0x40])]), 'bad-rdata'],
    ['NSEC bitmap windows out of order', response([rr(OWNER, 47, [0, 1, 1, 0x40, 0, 1, 0x40])]), 'bad-rdata'],
    ['NSEC bitmap empty window', response([rr(OWNER, 47, [0, 0, 0])]), 'bad-rdata'],
    ['NSEC bitmap window over 32', response([rr(OWNER, 47, [0, 0, 33, ...new Array(33).fill(0)])]), 'bad-rdata'],
    ['NSEC3 too short', response([rr(OWNER, 50, [1, 0, 0, 10])]), 'bad-rdata'],
    ['NSEC3 salt past rdata', response([rr(OWNER, 50, [1, 0, 0, 10, 4, 1, 2])]), 'bad-rdata'],
    ['NSEC3 empty hash', response([rr(OWNER, 50, nsec3([], [], []))]), 'bad-rdata'],
    ['NSEC3 hash past rdata', response([rr(OWNER, 50, nsec3([], [1], []).map((v, i) => (i === 5 ? 9 : v)))]), 'bad-rdata'],
    ['NSEC3 bad bitmap', response([rr(OWNER, 50, nsec3([1], [1, 2], [0, 0]))]), 'bad-rdata'],
    ['short DS', response([rr(OWNER, 43, [1, 2, 3])]), 'bad-rdata'],
    ['short DNSKEY', response([rr(OWNER, 48, [1, 2, 3])]), 'bad-rdata'],
    ['short TLSA', response([rr(OWNER, 52, [1, 2])]), 'bad-rdata'],
    ['short SSHFP', response([rr(OWNER, 44, [1])]), 'bad-rdata'],
    ['OPT in answers', response([opt()]), 'bad-rdata'],
    ['OPT in authority', response([], { ns: [opt()] }), 'bad-rdata'],
    ['OPT with a non-root owner', response([], { ar: [rr(OWNER, 41, [])] }), 'bad-rdata'],
    ['OPT option header cut', response([], { ar: [opt([0, 10, 0])] }), 'bad-rdata'],
    ['OPT option past rdata', response([], { ar: [opt([0, 10, 0, 3, 1])] }), 'bad-rdata'],
    ['two OPT records', response([], { ar: [opt(), opt()] }), 'multiple-opt'],
    ['trailing bytes', cat(response([A([1, 2, 3, 4])]), [0]), 'trailing-bytes'],
  ];

  it.each(cases)('%s', (_, bytes, reason) => {
    expect(decodeMessage(bytes)).toEqual({ ok: false, reason });
  });

  it('refuses messages over maxSize, and over 65535 by default', () => {
    const m = response([A([1, 2, 3, 4])]);
    expect(decodeMessage(m, m.length - 1)).toEqual({ ok: false, reason: 'oversize' });
    expect(decodeMessage(m, m.length).ok).toBe(true);
    expect(decodeMessage(new Uint8Array(65536))).toEqual({ ok: false, reason: 'oversize' });
  });

  it('refuses things that are not bytes without throwing', () => {
    expect(decodeMessage(undefined as unknown as Uint8Array)).toEqual({ ok: false, reason: 'short-header' });
    expect(decodeMessage('hello' as unknown as Uint8Array)).toEqual({ ok: false, reason: 'short-header' });
  });

  it('refuses a 33rd pointer hop', () => {
    expect(decodeMessage(chain(32))).toEqual({ ok: false, reason: 'bad-pointer' });
  });
});

describe('what dns-packet 5.6.1 does with the same bytes', () => {
  it('decodes a truncated A and an rdlength past the end into garbage; we refuse both', () => {
    const truncatedA = response([A([1, 2, 3])]);
    expect(() => dnsPacket.decode(Buffer.from(truncatedA))).not.toThrow();
    expect(decodeMessage(truncatedA).ok).toBe(false);
  });

  it('refuses a TXT whose string runs past its rdata', () => {
    const bomb = cat(header([0, 1, 0, 0]), rr([0], 16, [0xff]));
    expect(decodeMessage(bomb)).toEqual({ ok: false, reason: 'bad-rdata' });
  });
});
