import { describe, expect, it } from 'vitest';
import type { DnsRecord, Message } from '../../src/codec.js';
import { questionLine, recordLine } from '../../src/cli/dig-lines.js';
import { digText } from '../../src/cli/dig-run.js';
import { ednsLines } from '../../src/cli/edns-text.js';
import { eventLines, greetingLines, replyLines, whenText, type DigView } from '../../src/cli/format-dig.js';
import { outcomeJson } from '../../src/cli/format-json.js';
import { formatLine } from '../../src/cli/format-line.js';
import { formatTimeline } from '../../src/cli/format-trace.js';
import { digStatus, exitStatus, outcomeStatus, type AnswerOutcome, type ErrorOutcome } from '../../src/cli/outcome.js';
import { rdataJson, rdataText, PLAIN_STYLE } from '../../src/cli/rdata.js';
import { defaultDisplay, type Display } from '../../src/cli/settings.js';

const flags = { qr: true, aa: true, tc: false, rd: true, ra: false, ad: false, cd: false };
const rec = (r: Omit<DnsRecord, 'class' | 'ttl'> & Partial<DnsRecord>): DnsRecord => ({ class: 1, ttl: 300, ...r }) as DnsRecord;
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const udp = { transport: 'udp', address: '127.0.0.1', port: 5300 } as const;

const message: Message = {
  id: 4242, opcode: 0, rcode: 0, flags,
  questions: [{ name: 'www.example.test', type: 1, class: 1 }],
  answers: [rec({ name: 'www.example.test', type: 'A', data: '192.0.2.1' })],
  authorities: [],
  additionals: [],
  edns: { payload: 1232, version: 0, do: false, options: [{ code: 10, data: Uint8Array.of(1, 2, 0xab) }] },
};

const answer: AnswerOutcome = {
  kind: 'answer', name: 'www.example.test', type: 'A', message, elapsed: 12.34, sent: 2, size: 61, server: udp,
  timeline: [
    { offset: 0, what: 'send', peer: udp, id: 1, size: 45, detail: 'size 45, timer 400 ms' },
    { offset: 400, what: 'timeout', peer: udp, id: undefined, size: undefined, detail: 'attempt timed out' },
  ],
};

const failure: ErrorOutcome = {
  kind: 'error', name: 'x.test', type: 'AAAA', code: 'ETIMEOUT', message: 'queryAAAA ETIMEOUT x.test: deadline', elapsed: 5000, sent: 7,
  timeline: [
    { offset: 0, what: 'send', peer: udp, id: 1, size: 45, detail: '' },
    { offset: 400, what: 'timeout', peer: udp, id: undefined, size: undefined, detail: 'attempt timed out' },
    { offset: 400, what: 'send', peer: { ...udp, port: 5301 }, id: 2, size: 45, detail: '' },
    { offset: 900, what: 'deadline', peer: undefined, id: undefined, size: undefined, detail: 'deadline' },
  ],
  reply: undefined,
};

const view = (over: Partial<DigView> = {}): DigView => ({
  display: defaultDisplay(false), short: false, typed: 'www.example.test', cookieSent: true, when: undefined, notes: undefined, ...over,
});

describe('dig text', () => {
  it('a response, as dig lays it out', () => {
    expect(replyLines(answer, answer.elapsed, view({ when: new Date(0) })).slice(0, -3).join('\n')).toBe(`;; Got answer:
;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4242
;; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1
;; WARNING: recursion requested but not available

;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags:; udp: 1232
; COOKIE: 0102ab (good)
;; QUESTION SECTION:
;www.example.test.\t\tIN\tA

;; ANSWER SECTION:
www.example.test.\t300\tIN\tA\t192.0.2.1

;; Query time: 12 msec
;; SERVER: 127.0.0.1#5300(127.0.0.1) (UDP)`);
    expect(replyLines(answer, 1, view()).slice(-2)).toEqual([';; MSG SIZE  rcvd: 61', '']);
  });

  it('display options, +short, the name as typed, DNSSEC notes', () => {
    const d = (over: Partial<Display>): Display => ({ ...defaultDisplay(false), ...over });
    expect(replyLines(answer, 1, view({ short: true }))).toEqual(['192.0.2.1']);
    expect(replyLines(answer, 1, view({ display: d({ comments: false, stats: false }) }))).toEqual([
      ';www.example.test.\t\tIN\tA', 'www.example.test.\t300\tIN\tA\t192.0.2.1',
    ]);
    expect(replyLines(answer, 1, view({ typed: 'WwW.Example.TEST', display: d({ comments: false, stats: false, answer: false }) })))
      .toEqual([';WwW.Example.TEST.\t\tIN\tA']);
    expect(replyLines(answer, 1, view({ notes: () => [';; DNSSEC: insecure'] }))).toContain(';; DNSSEC: insecure');
    expect(replyLines({ ...answer, message: { ...message, rcode: 17 } }, 1, view())[1]).toBe(';; ->>HEADER<<- opcode: QUERY, status: ?17, id: 4242');
  });

  it('columns: tabs to 24/32/40/48, a space past a column, fewer with +nottlid/+noclass', () => {
    const d = defaultDisplay(false);
    const long = rec({ name: 'averylonglabelnamethatgoesonandon.wild.example.test', type: 'A', data: '192.0.2.99', ttl: 600 });
    expect(recordLine(long, d, PLAIN_STYLE)).toBe('averylonglabelnamethatgoesonandon.wild.example.test. 600 IN A 192.0.2.99');
    expect(recordLine(rec({ name: 'x.test', type: 'A', data: '1.2.3.4', ttl: 2 ** 31 - 1 }), d, PLAIN_STYLE)).toBe('x.test.\t\t\t2147483647 IN\tA\t1.2.3.4');
    expect(recordLine(rec({ name: 'x.test', type: 'TYPE65400', data: Uint8Array.of(0xde, 0xad) }), { ...d, ttlid: false }, PLAIN_STYLE))
      .toBe('x.test.\t\t\tIN\tTYPE65400 \\# 2 DEAD');
    expect(questionLine({ name: 'x.test', type: 51, class: 3 }, 'x.test.', d)).toBe(';x.test.\t\t\t\tCH\tNSEC3PARAM');
    expect(questionLine({ name: 'example.test', type: 15, class: 1 }, 'example.test.', { ...d, class: false, ttlid: false })).toBe(';example.test.\t\tIN MX');
  });

  it('what dig says without a response, and the greeting', () => {
    expect(eventLines(failure)).toEqual([';; communications error to 127.0.0.1#5300: timed out', ';; communications error to 127.0.0.1#5301: timed out']);
    expect(digText(failure, view(), { lines: ['', '; <<>> greeting'], cmd: false })).toBe(
      ';; communications error to 127.0.0.1#5300: timed out\n;; communications error to 127.0.0.1#5301: timed out\n\n; <<>> greeting\n;; no servers could be reached\n');
    expect(digText(answer, view({ short: true }), { lines: ['greeting'], cmd: true })).toBe(';; communications error to 127.0.0.1#5300: timed out\n192.0.2.1\n');
    expect(greetingLines('1.0.0', ['@127.0.0.1', 'x.test'], 1, false)).toEqual(['', '; <<>> sansdns 1.0.0 <<>> @127.0.0.1 x.test', '; (1 server found)', ';; global options: +cmd']);
    expect(greetingLines('1.0.0', ['x.test'], 0, true)).toEqual(['', '; <<>> sansdns 1.0.0 <<>> x.test', ';; global options: +short +cmd']);
    expect(whenText(new Date(2026, 0, 5, 6, 7, 8))).toMatch(/^Mon Jan 05 06:07:08 \S+ 2026$/);
  });

  it('EDNS options as dig words them', () => {
    expect(ednsLines({ payload: 4096, version: 0, do: true, options: [
      { code: 3, data: bytes('ns1') }, { code: 15, data: Uint8Array.of(0, 18, 0x68, 0x69) }, { code: 15, data: Uint8Array.of(0, 99) },
      { code: 12, data: new Uint8Array(5) }, { code: 11, data: Uint8Array.of(1, 44) }, { code: 65001, data: Uint8Array.of(0, 0x41) },
      { code: 10, data: Uint8Array.of(0xff) },
    ] }, false)).toEqual([
      ';; OPT PSEUDOSECTION:', '; EDNS: version: 0, flags: do; udp: 4096', '; NSID: 6e 73 31 ("ns1")', '; EDE: 18 (Prohibited): (hi)', '; EDE: 99',
      '; PAD: (5 bytes)', '; TCP KEEPALIVE: 30.0 secs', '; OPT=65001: 00 41 (".A")', '; COOKIE: ff',
    ]);
  });

  it('record data in presentation format', () => {
    expect(rdataText(rec({ name: 'a', type: 'MX', data: { preference: 10, exchange: 'mail.example' } }))).toBe('10 mail.example.');
    expect(rdataText(rec({ name: 'a', type: 'TXT', data: [bytes('one "q"'), Uint8Array.of(0x41, 0x0a, 0xff)] }))).toBe('"one \\"q\\"" "A\\010\\255"');
    expect(rdataText(rec({ name: 'a', type: 'SOA', data: { mname: 'ns', rname: 'h.x', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 } })))
      .toBe('ns. h.x. 1 2 3 4 5');
    expect(rdataText(rec({ name: 'a', type: 'CAA', data: { flags: 0, tag: 'issue', value: 'ca.example' } }))).toBe('0 issue "ca.example"');
    expect(rdataText(rec({ name: 'a', type: 'DS', data: Uint8Array.of(1, 2, 0xab) }))).toBe('\\# 3 0102AB');
    expect(rdataText(rec({ name: 'a', type: 'TYPE65400', data: new Uint8Array(0) }))).toBe('\\# 0');
    expect(rdataText(rec({ name: 'a', type: 'TYPE65400', data: Uint8Array.from({ length: 30 }, (_, i) => i) })))
      .toBe(`\\# 30 ${'000102030405060708090A0B0C0D0E0F101112131415161718191A1B'} 1C1D`);
    expect(rdataText(rec({ name: 'a', type: 'TYPE99', data: Uint8Array.of(2, 0x68, 0x69) }))).toBe('"hi"');
    expect(rdataText(rec({ name: 'a', type: 'TYPE99', data: Uint8Array.of(5, 0x68) }))).toBe('\\# 2 0568');
    expect(rdataText(rec({
      name: 'a', type: 'HTTPS', data: { priority: 1, target: '.', params: [{ key: 1, value: Uint8Array.of(2, 0x68, 0x32) }, { key: 3, value: Uint8Array.of(0x20, 0xfb) }] },
    }))).toBe('1 . alpn="h2" port=8443');
  });

  it('record data for JSON', () => {
    expect(rdataJson(rec({ name: 'a', type: 'TXT', data: [bytes('héllo'), Uint8Array.of(0xff)] }))).toEqual(['héllo', '\\255']);
    expect(rdataJson(rec({ name: 'a', type: 'TYPE65534', data: Uint8Array.of(0xde, 0xad) }))).toBe('dead');
  });
});

describe('bulk lines and JSON', () => {
  it('a line per outcome', () => {
    expect(formatLine(answer)).toBe('www.example.test\tA\tNOERROR\t192.0.2.1 (12.3 ms, 2 sent)');
    expect(formatLine(failure)).toBe('x.test\tAAAA\tTIMEOUT\t(5000 ms, 7 sent)');
    expect(formatLine({ ...failure, sent: undefined, code: 'EREFUSED' })).toBe('x.test\tAAAA\tREFUSED\t(5000 ms)');
    expect(formatLine({ ...failure, name: 'line 3', type: '-', code: 'EUSAGE', message: 'no name on this line' })).toBe('line 3\t-\tEUSAGE\tno name on this line');
    expect(formatLine({ ...answer, message: { ...message, answers: [] } })).toBe('www.example.test\tA\tNODATA\t(12.3 ms, 2 sent)');
  });

  it('an answer', () => {
    expect(outcomeJson({ ...answer, timeline: undefined })).toEqual({
      name: 'www.example.test', type: 'A', rcode: 'NOERROR', flags: ['qr', 'aa', 'rd'],
      answers: [{ name: 'www.example.test', type: 'A', class: 'IN', ttl: 300, data: '192.0.2.1' }],
      authorities: [], additionals: [], server: '127.0.0.1:5300', transport: 'udp', elapsedMs: 12.34, datagramsSent: 2,
    });
  });

  it('no answer: error instead of rcode; with the response that caused it, its rcode too', () => {
    expect(outcomeJson({ ...failure, timeline: undefined })).toEqual({
      name: 'x.test', type: 'AAAA', error: { code: 'ETIMEOUT', message: 'queryAAAA ETIMEOUT x.test: deadline' },
      server: null, transport: null, elapsedMs: 5000, datagramsSent: 7,
    });
    const refused = outcomeJson({ ...failure, timeline: undefined, code: 'EREFUSED', reply: { message: { ...message, rcode: 5, answers: [] }, server: udp, size: 40 } });
    expect(refused).toMatchObject({ error: { code: 'EREFUSED' }, rcode: 'REFUSED', server: '127.0.0.1:5300', answers: [] });
  });

  it('with a trace', () => {
    expect((outcomeJson(answer) as { trace: unknown }).trace).toEqual([
      { offsetMs: 0, what: 'send', server: '127.0.0.1:5300', transport: 'udp', id: 1, size: 45, detail: 'size 45, timer 400 ms' },
      { offsetMs: 400, what: 'timeout', server: '127.0.0.1:5300', transport: 'udp', detail: 'attempt timed out' },
    ]);
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

describe('status', () => {
  it('exit status: 0 for any response, 9 for none', () => {
    expect(exitStatus(answer)).toBe(0);
    expect(exitStatus({ ...answer, message: { ...message, rcode: 3 } })).toBe(0);
    expect(exitStatus({ ...failure, code: 'EREFUSED' })).toBe(0);
    expect(exitStatus({ ...failure, code: 'EBADRESP', reply: { message, server: udp, size: 1 } })).toBe(0);
    expect(exitStatus(failure)).toBe(9);
    expect(exitStatus({ ...failure, code: 'ECONNREFUSED' })).toBe(9);
  });

  it('one word per outcome; dig names every rcode', () => {
    expect(outcomeStatus({ ...failure, code: 'ESERVFAIL' })).toBe('SERVFAIL');
    expect(outcomeStatus({ ...failure, code: 'EBADRESP', reply: { message: { ...message, rcode: 9 }, server: udp, size: 1 } })).toBe('NOTAUTH');
    expect(outcomeStatus({ ...failure, code: 'ECONNREFUSED' })).toBe('ECONNREFUSED');
    expect([0, 5, 11, 15, 16, 17, 23, 4095].map(digStatus)).toEqual(['NOERROR', 'REFUSED', 'RESERVED11', 'RESERVED15', 'BADVERS', '?17', 'BADCOOKIE', '?4095']);
  });
});
