import * as dnsPacket from 'dns-packet';
import { Buffer } from 'buffer';
import { describe, expect, it } from 'vitest';
import { isDnsError } from '../../../src/core/errors.js';
import {
  encodeMessage, type DnsRecord, type Message, type MessageInput,
} from '../../../src/core/codec/index.js';
import { decode } from '../../helpers/decode.js';

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isDnsError(e) ? e.code : `not a DnsError: ${String(e)}`;
  }
  return undefined;
}

function roundTrip(m: MessageInput): Message {
  const bytes = encodeMessage(m);
  expect(bytes.constructor).toBe(Uint8Array);
  return decode(bytes);
}

const rec = (type: string, data: unknown, name = 'example.com'): DnsRecord => ({ name, type, class: 1, ttl: 300, data }) as DnsRecord;

const ALL: DnsRecord[] = [
  rec('A', '192.0.2.1'),
  rec('AAAA', '2001:db8::1'),
  rec('AAAA', '::ffff:192.0.2.1'),
  rec('AAAA', '2001:DB8:0:0:1:0:0:1'),
  rec('NS', 'ns1.Example.com'),
  rec('CNAME', 'a\\.b.example.com'),
  rec('PTR', '.'),
  rec('DNAME', 'target.example.net'),
  rec('MX', { preference: 10, exchange: 'mail.example.com' }),
  rec('TXT', [Uint8Array.of(), new Uint8Array(255).fill(0x41)]),
  rec('SOA', { mname: 'ns1.example.com', rname: 'host\\.master.example.com', serial: 0xffffffff, refresh: 1, retry: 2, expire: 3, minimum: 4 }),
  rec('SRV', { priority: 1, weight: 2, port: 443, target: 'srv.example.com' }),
  rec('CAA', { flags: 128, tag: 'issue', value: 'letsencrypt.org; validationmethods=dns-01 \\255' }),
  rec('CAA', { flags: 0, tag: 'iodef', value: `mailto:${'\\000'.repeat(400)}` }),
  rec('NAPTR', { order: 100, preference: 10, flags: 'S', services: 'SIP+D2U', regexp: '!^.*$!sip:info@example.com!\\\\\\"', replacement: '_sip._udp.example.com' }),
  rec('HINFO', { cpu: 'x86 64', os: 'Linux' }),
  rec('SVCB', { priority: 0, target: 'alias.example.com', params: [] }),
  rec('HTTPS', { priority: 1, target: '.', params: [{ key: 1, value: Uint8Array.of(2, 104, 50) }, { key: 3, value: Uint8Array.of(1, 187) }, { key: 65000, value: Uint8Array.of() }] }),
  rec('DS', Uint8Array.of(0x12, 0x34, 8, 2, 1, 2, 3)),
  rec('DNSKEY', Uint8Array.of(1, 1, 3, 8, 9, 9, 9)),
  rec('RRSIG', Uint8Array.from([...new Array(18).fill(1), 3, 0x63, 0x6f, 0x6d, 0, 7, 7, 7])),
  rec('NSEC', Uint8Array.of(1, 0x62, 0, 0, 1, 0x40)),
  rec('NSEC3', Uint8Array.of(1, 0, 0, 10, 1, 0xaa, 2, 1, 2, 0, 1, 0x40)),
  rec('TLSA', Uint8Array.of(3, 1, 1, 5)),
  rec('SSHFP', Uint8Array.of(4, 2, 9)),
  rec('TYPE65280', Uint8Array.of(1, 2, 3)),
  rec('TYPE10', Uint8Array.of()),
  rec('TYPE0', Uint8Array.of(0)),
];

describe('encodeMessage', () => {
  it('round-trips every shaped and raw type, the header and EDNS', () => {
    const m: Message = {
      id: 0xfedc, opcode: 2, rcode: 0xabc,
      flags: { qr: true, aa: true, tc: true, rd: true, ra: true, ad: true, cd: true },
      questions: [{ name: 'Example.com', type: 65, class: 1 }, { name: '.', type: 0, class: 0xffff }],
      answers: ALL,
      authorities: [{ name: 'example.com', type: 'NS', class: 3, ttl: 0, data: 'ns.example.com' }],
      additionals: [rec('A', '10.0.0.1', 'ns.example.com')],
      edns: { payload: 1232, version: 0, do: true, options: [{ code: 10, data: new Uint8Array(8).fill(7) }, { code: 15, data: Uint8Array.of() }] },
    };
    const canonical: Record<string, string> = { '::ffff:192.0.2.1': '::ffff:c000:201', '2001:DB8:0:0:1:0:0:1': '2001:db8::1:0:0:1' };
    const naptr = (r: DnsRecord): DnsRecord => (r.type === 'NAPTR' ? { ...r, data: { ...r.data, regexp: r.data.regexp.replace('\\"', '"') } } : r);
    expect(roundTrip(m)).toEqual({ ...m, answers: ALL.map((r) => naptr(typeof r.data === 'string' && r.data in canonical ? { ...r, data: canonical[r.data] } as DnsRecord : r)) });
  });

  it('defaults header fields and sections', () => {
    expect(roundTrip({ id: 1 })).toEqual({
      id: 1, opcode: 0, rcode: 0, flags: { qr: false, aa: false, tc: false, rd: false, ra: false, ad: false, cd: false },
      questions: [], answers: [], authorities: [], additionals: [], edns: undefined,
    });
    expect(roundTrip({ id: 2, edns: { payload: 512 } }).edns).toEqual({ payload: 512, version: 0, do: false, options: [] });
    expect(roundTrip({ id: 3, flags: {}, opcode: undefined, rcode: 3, questions: undefined }).rcode).toBe(3);
  });

  it('compresses repeated names exactly, preserving case', () => {
    const m: MessageInput = {
      id: 1, questions: [{ name: 'www.example.com', type: 1, class: 1 }],
      answers: [rec('CNAME', 'Edge.example.com', 'www.example.com'), rec('A', '1.2.3.4', 'Edge.example.com'), rec('A', '1.2.3.5', 'edge.example.com')],
    };
    const bytes = encodeMessage(m);
    const plain = dnsPacket.encode({
      type: 'query', id: 1, questions: [{ name: 'www.example.com', type: 'A' }],
      answers: [{ type: 'CNAME', name: 'www.example.com', data: 'Edge.example.com' }, { type: 'A', name: 'Edge.example.com', data: '1.2.3.4' }, { type: 'A', name: 'edge.example.com', data: '1.2.3.5' }],
    });
    expect(bytes.length).toBeLessThan(plain.length);
    const d = roundTrip(m);
    expect(d.answers.map((r) => r.name)).toEqual(['www.example.com', 'Edge.example.com', 'edge.example.com']);
    expect(dnsPacket.decode(Buffer.from(bytes)).answers?.map((r) => r.name)).toEqual(['www.example.com', 'Edge.example.com', 'edge.example.com']);
  });

  it('writes HTTPS and SVCB with their own type codes (dns-packet writes 0)', () => {
    const bytes = encodeMessage({ id: 1, answers: [rec('HTTPS', { priority: 1, target: '.', params: [] })] });
    expect(Array.from(bytes.subarray(12 + 13, 12 + 15))).toEqual([0, 65]);
    const theirs = dnsPacket.encode({ type: 'response', answers: [{ type: 'HTTPS' as 'A', name: 'example.com', data: Buffer.of(0, 1, 0) as unknown as string }] });
    expect(Array.from(theirs.subarray(12 + 13, 12 + 15))).toEqual([0, 0]);
  });

  const l64 = 'a'.repeat(64);
  const bad: [string, () => MessageInput, string][] = [
    ['label over 63 bytes', () => ({ id: 1, questions: [{ name: `${l64}.com`, type: 1, class: 1 }] }), 'EBADNAME'],
    ['owner over 255 bytes', () => ({ id: 1, answers: [rec('A', '1.2.3.4', 'abcdefg.'.repeat(40))] }), 'EBADNAME'],
    ['rdata name with a long label', () => ({ id: 1, answers: [rec('CNAME', `${l64}.com`)] }), 'EBADNAME'],
    ['rdata name not a string', () => ({ id: 1, answers: [rec('NS', 7)] }), 'EBADNAME'],
    ['TXT string over 255 bytes', () => ({ id: 1, answers: [rec('TXT', [new Uint8Array(256)])] }), 'EBADOPTION'],
    ['empty TXT', () => ({ id: 1, answers: [rec('TXT', [])] }), 'EBADOPTION'],
    ['TXT of strings', () => ({ id: 1, answers: [rec('TXT', ['hello'])] }), 'EBADOPTION'],
    ['TXT not an array', () => ({ id: 1, answers: [rec('TXT', new Uint8Array(3))] }), 'EBADOPTION'],
    ['unknown type name', () => ({ id: 1, answers: [rec('BOGUS', new Uint8Array(1))] }), 'EBADTYPE'],
    ['lower-case type name', () => ({ id: 1, answers: [rec('a', '1.2.3.4')] }), 'EBADTYPE'],
    ['generic form of a named type', () => ({ id: 1, answers: [rec('TYPE1', Uint8Array.of(1, 2, 3))] }), 'EBADTYPE'],
    ['lower-case generic form', () => ({ id: 1, answers: [rec('type300', Uint8Array.of(1))] }), 'EBADTYPE'],
    ['OPT as a record', () => ({ id: 1, additionals: [rec('TYPE41', Uint8Array.of())] }), 'EBADTYPE'],
    ['TYPE00', () => ({ id: 1, answers: [rec('TYPE00', Uint8Array.of())] }), 'EBADTYPE'],
    ['numeric type', () => ({ id: 1, answers: [rec(1 as unknown as string, '1.2.3.4')] }), 'EBADTYPE'],
    ['bad class', () => ({ id: 1, answers: [{ ...rec('A', '1.2.3.4'), class: 65536 }] }), 'EBADCLASS'],
    ['class not a number', () => ({ id: 1, answers: [{ ...rec('A', '1.2.3.4'), class: '1' as unknown as number }] }), 'EBADCLASS'],
    ['fractional class', () => ({ id: 1, answers: [{ ...rec('A', '1.2.3.4'), class: 1.5 }] }), 'EBADCLASS'],
    ['negative class', () => ({ id: 1, answers: [{ ...rec('A', '1.2.3.4'), class: -1 }] }), 'EBADCLASS'],
    ['negative TTL', () => ({ id: 1, answers: [{ ...rec('A', '1.2.3.4'), ttl: -1 }] }), 'EBADOPTION'],
    ['TTL over 32 bits', () => ({ id: 1, answers: [{ ...rec('A', '1.2.3.4'), ttl: 2 ** 32 }] }), 'EBADOPTION'],
    ['bad IPv4', () => ({ id: 1, answers: [rec('A', '1.2.3.256')] }), 'EBADOPTION'],
    ['IPv4 with leading zero', () => ({ id: 1, answers: [rec('A', '01.2.3.4')] }), 'EBADOPTION'],
    ['IPv6 as A', () => ({ id: 1, answers: [rec('A', '::1')] }), 'EBADOPTION'],
    ['A not a string', () => ({ id: 1, answers: [rec('A', Uint8Array.of(1, 2, 3, 4))] }), 'EBADOPTION'],
    ['bad IPv6', () => ({ id: 1, answers: [rec('AAAA', '1:2:3:4:5:6:7')] }), 'EBADOPTION'],
    ['IPv6 with two ::', () => ({ id: 1, answers: [rec('AAAA', '1::2::3')] }), 'EBADOPTION'],
    ['IPv6 too long', () => ({ id: 1, answers: [rec('AAAA', '1:2:3:4:5:6:7:8:9')] }), 'EBADOPTION'],
    ['IPv6 :: with 8 groups', () => ({ id: 1, answers: [rec('AAAA', '1:2:3:4::5:6:7:8')] }), 'EBADOPTION'],
    ['IPv6 bad head group', () => ({ id: 1, answers: [rec('AAAA', 'g::1')] }), 'EBADOPTION'],
    ['IPv6 bad tail group', () => ({ id: 1, answers: [rec('AAAA', '1::12345')] }), 'EBADOPTION'],
    ['IPv6 dotted tail too long', () => ({ id: 1, answers: [rec('AAAA', '1:2:3:4:5:6:7:1.2.3.4')] }), 'EBADOPTION'],
    ['IPv4 as AAAA', () => ({ id: 1, answers: [rec('AAAA', '1.2.3.4')] }), 'EBADOPTION'],
    ['MX not an object', () => ({ id: 1, answers: [rec('MX', 'mail.example.com')] }), 'EBADOPTION'],
    ['MX null', () => ({ id: 1, answers: [rec('MX', null)] }), 'EBADOPTION'],
    ['MX preference out of range', () => ({ id: 1, answers: [rec('MX', { preference: 70000, exchange: 'a' })] }), 'EBADOPTION'],
    ['SOA serial not integer', () => ({ id: 1, answers: [rec('SOA', { mname: 'a', rname: 'b', serial: 1.5, refresh: 1, retry: 1, expire: 1, minimum: 1 })] }), 'EBADOPTION'],
    ['SRV port missing', () => ({ id: 1, answers: [rec('SRV', { priority: 1, weight: 1, target: 'a' })] }), 'EBADOPTION'],
    ['HINFO cpu over 255', () => ({ id: 1, answers: [rec('HINFO', { cpu: 'x'.repeat(256), os: '' })] }), 'EBADOPTION'],
    ['HINFO os not a string', () => ({ id: 1, answers: [rec('HINFO', { cpu: 'x', os: 1 })] }), 'EBADOPTION'],
    ['NAPTR non-ASCII', () => ({ id: 1, answers: [rec('NAPTR', { order: 1, preference: 1, flags: '\u00e9', services: '', regexp: '', replacement: '.' })] }), 'EBADOPTION'],
    ['NAPTR bad escape', () => ({ id: 1, answers: [rec('NAPTR', { order: 1, preference: 1, flags: '\\9', services: '', regexp: '', replacement: '.' })] }), 'EBADOPTION'],
    ['CAA empty tag', () => ({ id: 1, answers: [rec('CAA', { flags: 0, tag: '', value: 'x' })] }), 'EBADOPTION'],
    ['CAA tag over 255', () => ({ id: 1, answers: [rec('CAA', { flags: 0, tag: 'a'.repeat(256), value: 'x' })] }), 'EBADOPTION'],
    ['CAA flags over 255', () => ({ id: 1, answers: [rec('CAA', { flags: 256, tag: 'issue', value: 'x' })] }), 'EBADOPTION'],
    ['CAA value with a control character', () => ({ id: 1, answers: [rec('CAA', { flags: 0, tag: 'issue', value: 'a\nb' })] }), 'EBADOPTION'],
    ['SVCB params not an array', () => ({ id: 1, answers: [rec('SVCB', { priority: 1, target: '.', params: {} })] }), 'EBADOPTION'],
    ['SVCB keys out of order', () => ({ id: 1, answers: [rec('SVCB', { priority: 1, target: '.', params: [{ key: 3, value: Uint8Array.of() }, { key: 1, value: Uint8Array.of() }] })] }), 'EBADOPTION'],
    ['SVCB duplicate keys', () => ({ id: 1, answers: [rec('HTTPS', { priority: 1, target: '.', params: [{ key: 1, value: Uint8Array.of() }, { key: 1, value: Uint8Array.of() }] })] }), 'EBADOPTION'],
    ['SVCB param not an object', () => ({ id: 1, answers: [rec('HTTPS', { priority: 1, target: '.', params: [1] })] }), 'EBADOPTION'],
    ['SVCB value not bytes', () => ({ id: 1, answers: [rec('HTTPS', { priority: 1, target: '.', params: [{ key: 1, value: 'h2' }] })] }), 'EBADOPTION'],
    ['SVCB target too long', () => ({ id: 1, answers: [rec('HTTPS', { priority: 1, target: `${l64}.x`, params: [] })] }), 'EBADNAME'],
    ['raw RRSIG with a bad layout', () => ({ id: 1, answers: [rec('RRSIG', new Uint8Array(10))] }), 'EBADOPTION'],
    ['raw DS too short', () => ({ id: 1, answers: [rec('DS', new Uint8Array(3))] }), 'EBADOPTION'],
    ['raw data not bytes', () => ({ id: 1, answers: [rec('DS', [1, 2, 3, 4])] }), 'EBADOPTION'],
    ['raw data over 65535 bytes', () => ({ id: 1, answers: [rec('TYPE65280', new Uint8Array(65536))] }), 'EBADOPTION'],
    ['message over 65535 bytes', () => ({ id: 1, answers: [rec('TYPE65280', new Uint8Array(40000)), rec('TYPE65280', new Uint8Array(40000))] }), 'EBADOPTION'],
    ['id out of range', () => ({ id: 65536 }), 'EBADOPTION'],
    ['opcode out of range', () => ({ id: 1, opcode: 16 }), 'EBADOPTION'],
    ['rcode out of range', () => ({ id: 1, rcode: 4096, edns: { payload: 512 } }), 'EBADOPTION'],
    ['extended rcode without EDNS', () => ({ id: 1, rcode: 16 }), 'EBADOPTION'],
    ['EDNS payload out of range', () => ({ id: 1, edns: { payload: 70000 } }), 'EBADOPTION'],
    ['EDNS version out of range', () => ({ id: 1, edns: { payload: 512, version: 256 } }), 'EBADOPTION'],
    ['EDNS option code out of range', () => ({ id: 1, edns: { payload: 512, options: [{ code: -1, data: Uint8Array.of() }] } }), 'EBADOPTION'],
    ['EDNS option data not bytes', () => ({ id: 1, edns: { payload: 512, options: [{ code: 1, data: 'x' as unknown as Uint8Array }] } }), 'EBADOPTION'],
    ['question type out of range', () => ({ id: 1, questions: [{ name: 'a', type: 65536, class: 1 }] }), 'EBADOPTION'],
    ['question class out of range', () => ({ id: 1, questions: [{ name: 'a', type: 1, class: -1 }] }), 'EBADOPTION'],
    ['section not an array', () => ({ id: 1, answers: 'x' as unknown as DnsRecord[] }), 'EBADOPTION'],
    ['too many questions', () => ({ id: 1, questions: new Array(65536).fill({ name: '.', type: 1, class: 1 }) }), 'EBADOPTION'],
  ];

  it.each(bad)('refuses %s', (_, make, want) => {
    expect(code(() => encodeMessage(make()))).toBe(want);
  });
});
