import { describe, expect, it } from 'vitest';
import type { DnsRecord, Message } from '../../src/codec.js';
import { formatDig, formatShort } from '../../src/cli/format-dig.js';
import { countOutcome, outcomeJson, summaryJson, type BulkSummary } from '../../src/cli/format-json.js';
import { formatTimeline } from '../../src/cli/format-trace.js';
import type { AnswerOutcome, ErrorOutcome } from '../../src/cli/outcome.js';
import { exitStatus } from '../../src/cli/outcome.js';
import { rdataText, rdataJson } from '../../src/cli/rdata.js';

const flags = { qr: true, aa: true, tc: false, rd: true, ra: false, ad: false, cd: false };
const rec = (r: Omit<DnsRecord, 'class' | 'ttl'> & Partial<DnsRecord>): DnsRecord => ({ class: 1, ttl: 300, ...r }) as DnsRecord;
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

const message: Message = {
  id: 4242, opcode: 0, rcode: 0, flags,
  questions: [{ name: 'www.example.test', type: 1, class: 1 }],
  answers: [rec({ name: 'www.example.test', type: 'A', data: '192.0.2.1' })],
  authorities: [],
  additionals: [],
  edns: { payload: 1232, version: 0, do: false, options: [] },
};

const answer: AnswerOutcome = {
  kind: 'answer', name: 'www.example.test', type: 'A', message, elapsed: 12.34, sent: 2, size: 61,
  server: { transport: 'udp', address: '127.0.0.1', port: 5300 },
  timeline: [
    { offset: 0, what: 'send', peer: { transport: 'udp', address: '127.0.0.1', port: 5300 }, id: 1, size: 45, detail: 'size 45, timer 400 ms' },
    { offset: 400, what: 'timeout', peer: { transport: 'udp', address: '127.0.0.1', port: 5300 }, id: undefined, size: undefined, detail: 'attempt timed out' },
  ],
};

const failure: ErrorOutcome = {
  kind: 'error', name: 'x.test', type: 'AAAA', code: 'ETIMEOUT', message: 'queryAAAA ETIMEOUT x.test: deadline', elapsed: 5000, sent: 7, timeline: undefined,
};

describe('dig-like text', () => {
  it('an answer', () => {
    expect(formatDig(answer, '@127.0.0.1:5300 www.example.test', '0.1.0')).toBe(`; <<>> sansdns 0.1.0 <<>> @127.0.0.1:5300 www.example.test
;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4242
;; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1

;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags:; udp: 1232

;; QUESTION SECTION:
;www.example.test.\t\tIN\tA

;; ANSWER SECTION:
www.example.test.\t300\tIN\tA\t192.0.2.1

;; Query time: 12.3 msec
;; SERVER: 127.0.0.1#5300(127.0.0.1) (UDP)
;; DATAGRAMS SENT: 2
;; MSG SIZE  rcvd: 61
`);
  });

  it('no answer', () => {
    expect(formatDig(failure, 'x.test AAAA', '0.1.0')).toBe(`; <<>> sansdns 0.1.0 <<>> x.test AAAA
;; connection timed out; no servers could be reached
;; queryAAAA ETIMEOUT x.test: deadline

;; Query time: 5000 msec
;; DATAGRAMS SENT: 7
`);
    expect(formatShort(failure)).toBe('x.test\tAAAA\tETIMEOUT\t(5000 ms, 7 sent)');
    expect(formatShort(answer)).toBe('www.example.test\tA\tNOERROR\t192.0.2.1 (12.3 ms, 2 sent)');
  });

  it('record data in presentation format', () => {
    expect(rdataText(rec({ name: 'a', type: 'MX', data: { preference: 10, exchange: 'mail.example' } }))).toBe('10 mail.example.');
    expect(rdataText(rec({ name: 'a', type: 'TXT', data: [bytes('one "q"'), Uint8Array.of(0x41, 0x0a, 0xff)] }))).toBe('"one \\"q\\"" "A\\010\\255"');
    expect(rdataText(rec({ name: 'a', type: 'SOA', data: { mname: 'ns', rname: 'h.x', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 } })))
      .toBe('ns. h.x. 1 2 3 4 5');
    expect(rdataText(rec({ name: 'a', type: 'CAA', data: { flags: 0, tag: 'issue', value: 'ca.example' } }))).toBe('0 issue "ca.example"');
    expect(rdataText(rec({ name: 'a', type: 'DS', data: Uint8Array.of(1, 2, 0xab) }))).toBe('\\# 3 0102ab');
    expect(rdataText(rec({
      name: 'a', type: 'HTTPS', data: { priority: 1, target: '.', params: [{ key: 1, value: Uint8Array.of(2, 0x68, 0x32) }, { key: 3, value: Uint8Array.of(0x20, 0xfb) }] },
    }))).toBe('1 . alpn="h2" port=8443');
  });

  it('record data for JSON', () => {
    expect(rdataJson(rec({ name: 'a', type: 'TXT', data: [bytes('héllo'), Uint8Array.of(0xff)] }))).toEqual(['héllo', '\\255']);
    expect(rdataJson(rec({ name: 'a', type: 'TYPE65534', data: Uint8Array.of(0xde, 0xad) }))).toBe('dead');
  });
});

describe('JSON', () => {
  it('an answer', () => {
    expect(outcomeJson({ ...answer, timeline: undefined })).toEqual({
      name: 'www.example.test', type: 'A', rcode: 'NOERROR', flags: ['qr', 'aa', 'rd'],
      answers: [{ name: 'www.example.test', type: 'A', class: 'IN', ttl: 300, data: '192.0.2.1' }],
      authorities: [], additionals: [], server: '127.0.0.1:5300', transport: 'udp', elapsedMs: 12.34, datagramsSent: 2,
    });
  });

  it('no answer: error instead of rcode', () => {
    expect(outcomeJson(failure)).toEqual({
      name: 'x.test', type: 'AAAA', error: { code: 'ETIMEOUT', message: 'queryAAAA ETIMEOUT x.test: deadline' },
      server: null, transport: null, elapsedMs: 5000, datagramsSent: 7,
    });
  });

  it('with a trace', () => {
    expect((outcomeJson(answer) as { trace: unknown }).trace).toEqual([
      { offsetMs: 0, what: 'send', server: '127.0.0.1:5300', transport: 'udp', id: 1, size: 45, detail: 'size 45, timer 400 ms' },
      { offsetMs: 400, what: 'timeout', server: '127.0.0.1:5300', transport: 'udp', detail: 'attempt timed out' },
    ]);
  });

  it('summary', () => {
    const s: BulkSummary = { queries: 0, answered: 0, nxdomain: 0, nodata: 0, failed: 0, datagramsSent: 9, elapsedMs: 500 };
    countOutcome(s, answer);
    countOutcome(s, failure);
    countOutcome(s, { ...answer, message: { ...message, rcode: 3, answers: [] } });
    countOutcome(s, { ...answer, message: { ...message, answers: [] } });
    expect(summaryJson(s)).toEqual({ summary: true, queries: 4, answered: 1, nxdomain: 1, nodata: 1, failed: 1, datagramsSent: 9, elapsedMs: 500, qps: 8 });
  });
});

describe('trace timeline', () => {
  it('one line per event, timed from the start', () => {
    expect(formatTimeline(answer)).toBe(
      ';; TRACE www.example.test A: 2 events as the core saw them (ms from the start of the query)\n'
      + ';;      +0.0 send           udp 127.0.0.1:5300       id 1       45 B  timer 400 ms\n'
      + ';;    +400.0 timeout        udp 127.0.0.1:5300                        attempt timed out\n');
  });
});

describe('exit status', () => {
  it('0 for any response, 9 for none', () => {
    expect(exitStatus(answer)).toBe(0);
    expect(exitStatus({ ...answer, message: { ...message, rcode: 3 } })).toBe(0);
    expect(exitStatus({ ...failure, code: 'EREFUSED' })).toBe(0);
    expect(exitStatus(failure)).toBe(9);
    expect(exitStatus({ ...failure, code: 'ECONNREFUSED' })).toBe(9);
  });
});
