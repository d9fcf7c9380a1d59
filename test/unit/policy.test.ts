/**
 * Resolution policy through the public API: names (IDN, special-use names,
 * search list), server selection (demotion, probes, rotate, race), DNS
 * cookies and 0x20. Virtual time, a manual clock, deterministic random bytes.
 */
import { describe, expect, it } from 'vitest';
import { Resolver, type Endpoint, type Transmit } from '../../src/index.js';
import { decodeMessage, encodeMessage, type DnsRecord, type Message } from '../../src/codec.js';
import { A, B, decode, finals, makeResolver, testRandom } from '../helpers/core-harness.js';

interface Answer {
  rcode?: number;
  answers?: DnsRecord[];
  name?: string;
  cookie?: Uint8Array | null;
  noQuestion?: boolean;
  tc?: boolean;
}

/** A reply to `t`: echoes the question (or `name`), the client cookie with a server cookie (or `cookie`). */
function answer(t: Transmit, o: Answer = {}): { data: Uint8Array; peer: Endpoint } {
  const q = decode(t.data);
  const question = q.questions[0]!;
  const sent = q.edns?.options.find((x) => x.code === 10);
  const cookie = o.cookie === null ? undefined : o.cookie ?? (sent === undefined ? undefined : Uint8Array.from([...sent.data.subarray(0, 8), ...new Array<number>(16).fill(7)]));
  const m = encodeMessage({
    id: q.id, rcode: o.rcode ?? 0, flags: { qr: true, rd: true, ra: true, tc: o.tc === true },
    questions: o.noQuestion === true ? [] : [{ ...question, name: o.name ?? question.name }],
    answers: o.answers ?? (o.rcode === undefined ? [{ name: question.name, type: 'A', class: 1, ttl: 60, data: '192.0.2.80' }] : []),
    edns: q.edns === undefined ? undefined : { payload: 1232, options: cookie === undefined ? [] : [{ code: 10, data: cookie }] },
  });
  return { data: m, peer: t.peer };
}

const isA = (p: Endpoint): boolean => p.transport === 'udp' && p.address === (A as { address: string }).address;

function sends(r: Resolver): Transmit[] {
  return r.poll().transmits;
}

function cookieOf(t: Transmit): Uint8Array | undefined {
  return decode(t.data).edns?.options.find((x) => x.code === 10)?.data;
}

describe('names', () => {
  it('sends U-labels as A-labels, and says why a name is not allowed', () => {
    const r = makeResolver();
    r.query(0, 'Bücher.example.');
    expect(decode(sends(r)[0]!.data).questions[0]!.name).toBe('xn--bcher-kva.example');
    r.query(0, '例え.テスト');
    expect(decode(sends(r)[0]!.data).questions[0]!.name).toBe('xn--r8jz45g.xn--zckzah');
    for (const bad of ['a€b.com', '\u0301a.com', '-ü.com', 'ab--ü.com', `${'ü'.repeat(60)}.com`, 'a\\.ü.com']) {
      expect(() => r.query(0, bad)).toThrowError(expect.objectContaining({ code: 'EBADNAME' }) as Error);
    }
    expect(() => r.query(0, 42 as unknown as string)).toThrowError(expect.objectContaining({ code: 'EBADNAME' }) as Error);
    const off = makeResolver({ idn: false });
    expect(() => off.query(0, 'bücher.example')).toThrowError(expect.objectContaining({ code: 'EBADNAME' }) as Error);
  });

  it('answers localhost itself and refuses .onion, without a datagram', () => {
    const r = makeResolver({ search: ['corp.test'] });
    const a = r.query(0, 'localhost');
    const aaaa = r.query(0, 'x.LOCALHOST.', 'AAAA');
    const mx = r.query(0, 'localhost', 'MX');
    const ch = r.query(0, 'localhost', 'A', { class: 'CH' });
    const onion = r.query(0, 'abc.onion');
    const bare = r.query(0, 'onion', 'AAAA');
    const out = r.poll();
    expect(out.transmits).toEqual([]);
    const ev = finals(out);
    expect(ev.map((e) => e.handle)).toEqual([a, aaaa, mx, ch, onion, bare]);
    expect(ev.map((e) => (e.kind === 'answer' ? [e.source, e.message.rcode, e.records.map((x) => x.data)] : e.code))).toEqual([
      ['local', 0, ['127.0.0.1']], ['local', 0, ['::1']], ['local', 0, []], ['local', 0, []], ['local', 3, []], ['local', 3, []],
    ]);
    expect(r.stats.local).toBe(6);
    expect(() => r.query(0, 'localhost', 'BOGUS')).toThrowError(expect.objectContaining({ code: 'EBADTYPE' }) as Error);
    expect(() => r.query(0, 'localhost', 'A', null as never)).toThrowError(expect.objectContaining({ code: 'EBADOPTION' }) as Error);
    const plain = makeResolver({ specialNames: false });
    plain.query(0, 'localhost');
    expect(sends(plain)).toHaveLength(1);
  });

  it('tries the search list before a short name, after a long one, never for an absolute one', () => {
    const r = makeResolver({ search: ['corp.test', 'lab.test.', `${'x'.repeat(62)}.${'y'.repeat(62)}.${'z'.repeat(62)}.${'w'.repeat(62)}`], ndots: 2 });
    const asked = (name: string): string[] => {
      r.query(0, name);
      const names: string[] = [];
      for (let out = r.poll(); out.transmits.length > 0; out = r.poll()) {
        const t = out.transmits[0]!;
        names.push(decode(t.data).questions[0]!.name);
        r.handleDatagrams(0, [answer(t, { rcode: 3 })]);
      }
      return names;
    };
    expect(asked('web')).toEqual(['web.corp.test', 'web.lab.test', 'web']);
    expect(asked('a.b.c')).toEqual(['a.b.c', 'a.b.c.corp.test', 'a.b.c.lab.test']);
    expect(asked('a\\.b')).toEqual(['a\\.b.corp.test', 'a\\.b.lab.test', 'a\\.b']);
    expect(asked('web.')).toEqual(['web']);
    expect(r.stats.searched).toBe(6);
  });

  it('moves on after NXDOMAIN and NODATA, ends on data or an error, under one handle', () => {
    const r = makeResolver({ search: ['a.test', 'b.test', 'c.test'], trace: true, cache: false });
    const h = r.query(0, 'host');
    let out = r.poll();
    expect(out.transmits.map((t) => t.handle)).toEqual([h]);
    r.handleDatagrams(10, [
      { data: new Uint8Array(12), peer: { transport: 'udp', address: '198.51.100.1', port: 53 } }, // dropped: a trace without a handle
      answer(out.transmits[0]!, { rcode: 0, answers: [] }), // NODATA
    ]);
    out = r.poll();
    expect(out.transmits.map((t) => [t.handle, decode(t.data).questions[0]!.name])).toEqual([[h, 'host.b.test']]);
    expect(out.events.filter((e) => e.kind === 'trace').every((e) => e.handle === h || e.handle === undefined)).toBe(true);
    r.handleDatagrams(20, [answer(out.transmits[0]!, { rcode: 0, answers: [] })]); // NODATA again
    const t3 = r.poll().transmits[0]!;
    r.handleDatagrams(30, [answer(t3, { rcode: 3 })]);
    const t4 = r.poll().transmits[0]!;
    expect(decode(t4.data).questions[0]!.name).toBe('host');
    r.handleDatagrams(40, [answer(t4, { rcode: 3 })]);
    const [e] = finals(r.poll());
    expect(e).toMatchObject({ kind: 'answer', handle: h, question: { name: 'host.a.test' }, elapsed: 40, sent: 4 });

    const h2 = r.query(100, 'other');
    r.handleDatagrams(110, [answer(r.poll().transmits[0]!, { rcode: 3 })]);
    r.handleDatagrams(120, [answer(r.poll().transmits[0]!)]);
    expect(finals(r.poll())[0]).toMatchObject({ handle: h2, question: { name: 'other.b.test' }, message: { rcode: 0 }, sent: 2 });

    const h3 = r.query(200, 'third');
    r.handleDatagrams(210, [answer(r.poll().transmits[0]!, { rcode: 2 })]);
    r.handleDatagrams(220, [answer(r.poll().transmits[0]!, { rcode: 2 })]);
    expect(finals(r.poll())[0]).toMatchObject({ kind: 'error', handle: h3, code: 'ESERVFAIL', question: { name: 'third.a.test' } });

    const h4 = r.query(300, 'fourth');
    r.handleDatagrams(310, [answer(r.poll().transmits[0]!, { rcode: 0, answers: [] })]);
    r.handleDatagrams(320, [answer(r.poll().transmits[0]!, { rcode: 2 })]);
    r.handleDatagrams(330, [answer(r.poll().transmits[0]!, { rcode: 2 })]);
    expect(finals(r.poll())[0]).toMatchObject({ kind: 'answer', handle: h4, question: { name: 'fourth.a.test' }, sent: 3 });
  });

  it('keeps the deadline of the whole search, cancels the candidate in flight, and rewrites only its own events', () => {
    const r = makeResolver({ search: ['a.test', 'b.test'], deadline: 1000 });
    const h = r.query(0, 'host');
    const other = r.query(0, 'plain.example', 'A', { timeout: 5000 });
    const [t1, tOther] = r.poll().transmits;
    r.handleDatagrams(1000, [answer(t1!, { rcode: 3 }), answer(tOther!)]);
    const ev = finals(r.poll());
    expect(ev.map((e) => [e.handle, e.kind])).toEqual([[h, 'error'], [other, 'answer']]);
    expect(ev[0]).toMatchObject({ code: 'ETIMEOUT' });

    const h2 = r.query(2000, 'host');
    r.handleDatagrams(2999, [answer(r.poll().transmits[0]!, { rcode: 3 })]);
    r.handleTimeout(3000); // the second candidate's query times out with the search's deadline
    expect(finals(r.poll())[0]).toMatchObject({ handle: h2, code: 'ETIMEOUT', question: { name: 'host.b.test' } });

    const h3 = r.query(4000, 'host');
    r.handleDatagrams(4001, [answer(r.poll().transmits[0]!, { rcode: 0, answers: [] })]);
    expect(r.cancel(4002, h3)).toBe(true);
    expect(finals(r.poll())[0]).toMatchObject({ handle: h3, code: 'ECANCELLED' });
    expect(r.cancel(4003, h3)).toBe(false);
    const h4 = r.query(5000, 'host');
    r.cancelAll(5001);
    expect(finals(r.poll())[0]).toMatchObject({ handle: h4, code: 'ECANCELLED' });
  });

  it('takes candidates from the cache and rewrites events queued across two inputs', () => {
    const r = makeResolver({ search: ['a.test', 'b.test'] });
    r.query(0, 'host.a.test');
    r.handleDatagrams(1, [answer(r.poll().transmits[0]!, { rcode: 3, answers: [] })]);
    r.poll();
    const h = r.query(2, 'host'); // host.a.test is a cached NXDOMAIN (no SOA: not cached) or asked again
    const t = r.poll().transmits;
    r.handleDatagrams(3, [answer(t[0]!, { rcode: 3 })]);
    const t2 = r.pollDeadline() === 3 ? r.poll() : r.poll();
    r.handleDatagrams(4, [answer(t2.transmits[0]!)]);
    r.handleTimeout(5);
    expect(finals(r.poll())).toMatchObject([{ handle: h, question: { name: 'host.b.test' } }]);
  });

  it('checks the search option', () => {
    for (const search of ['a.test', [''], ['.'], [7], new Array(33).fill('a.test')]) {
      expect(() => makeResolver({ search: search as never })).toThrowError(expect.objectContaining({ code: 'EBADOPTION' }) as Error);
    }
    expect(() => makeResolver({ ndots: 16 })).toThrowError(expect.objectContaining({ code: 'EBADOPTION' }) as Error);
  });
});

describe('servers', () => {
  it('demotes a server after failures in a row, probes it with a share of queries, and restores it on an answer', () => {
    const r = makeResolver({ demoteAfter: 2, probeShare: 0.5, cookies: false, cache: false, trace: true });
    for (let i = 0; i < 2; i++) {
      r.query(i * 1000, `q${i}.test`);
      expect(sends(r)[0]!.peer).toEqual(A);
      const giveUp = r.pollDeadline()!;
      r.handleTimeout(giveUp); // A timed out: B is asked
      const t = sends(r)[0]!;
      expect(t.peer).toEqual(B);
      r.handleDatagrams(giveUp + 10, [answer(t)]);
      r.poll();
    }
    expect(r.stats.demotions).toBe(1);
    const firsts: Endpoint[] = [];
    for (let i = 0; i < 40; i++) {
      r.query(10_000 + i, `p${i}.test`);
      const t = sends(r)[0]!;
      firsts.push(t.peer);
      if (isA(t.peer)) {
        r.handleError(10_000 + i, t, 'ECONNREFUSED'); // a probe that fails: still demoted
      }
      r.cancelAll(10_000 + i);
      r.poll();
    }
    const probes = firsts.filter(isA).length;
    expect(probes).toBe(r.stats.probes);
    expect(probes).toBeGreaterThan(5);
    expect(probes).toBeLessThan(35);
    // A probe that answers restores the server.
    for (let i = 0; ; i++) {
      r.query(20_000 + i, `r${i}.test`);
      const t = sends(r)[0]!;
      r.handleDatagrams(20_000 + i, [answer(t)]);
      r.poll();
      if (isA(t.peer)) break;
    }
    r.query(30_000, 'after.test');
    expect(sends(r)[0]!.peer).toEqual(A);
  });

  it('asks every server demoted in order, and a SERVFAIL does not count', () => {
    const r = makeResolver({ demoteAfter: 1, cache: false });
    r.query(0, 'a.test');
    const [t1] = sends(r);
    r.handleDatagrams(1, [answer(t1!, { rcode: 5 })]); // REFUSED: A demoted
    const [t2] = sends(r);
    r.handleDatagrams(2, [answer(t2!, { rcode: 5 })]); // B demoted
    r.poll();
    r.query(3, 'b.test');
    const [t3] = sends(r);
    expect(t3!.peer).toEqual(A);
    r.handleDatagrams(4, [answer(t3!, { rcode: 2 })]);
    expect(sends(r)[0]!.peer).toEqual(B);
    expect(r.stats.demotions).toBe(2);
  });

  it('rotates the first server with rotate', () => {
    const r = new Resolver({ servers: ['192.0.2.1', '192.0.2.2', '192.0.2.3'], random: testRandom(), rotate: true });
    const firsts: string[] = [];
    for (let i = 0; i < 4; i++) {
      r.query(0, `n${i}.test`);
      firsts.push((sends(r)[0]!.peer as { address: string }).address);
    }
    expect(firsts).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.1']);
  });

  it('races every server at once with race; the first good answer wins, the others are absorbed', () => {
    const r = makeResolver({ race: true, cache: false, attempts: 2 });
    const h = r.query(0, 'race.test');
    const ts = sends(r);
    expect(ts.map((t) => t.peer)).toEqual([A, B]);
    r.handleDatagrams(5, [answer(ts[1]!)]);
    expect(finals(r.poll())[0]).toMatchObject({ handle: h, server: B });
    r.handleDatagrams(6, [answer(ts[0]!)]);
    expect(r.stats.dropped.late).toBe(1);
    r.query(10, 'race2.test');
    const again = sends(r);
    r.handleDatagrams(11, [answer(again[0]!, { rcode: 5 })]);
    expect(sends(r)).toEqual([]);
    r.handleTimeout(1000); // the round timed out: the next round asks B (A failed it)
    expect(sends(r).map((t) => t.peer)).toEqual([B]);
    r.handleTimeout(5010);
    expect(finals(r.poll())[0]).toMatchObject({ code: 'ETIMEOUT' });
  });
});

describe('cookies', () => {
  it('sends a client cookie per server, learns and echoes the server cookie, drops a wrong one', () => {
    const r = makeResolver({ cache: false });
    r.query(0, 'a.test');
    const [t1] = sends(r);
    const c1 = cookieOf(t1!)!;
    expect(c1).toHaveLength(8);
    const forged = Uint8Array.from([...c1.subarray(0, 8), ...new Array<number>(16).fill(1)]);
    forged[0] = forged[0]! ^ 1;
    r.handleDatagrams(1, [answer(t1!, { cookie: forged }), answer(t1!, { cookie: c1 }), answer(t1!, { cookie: new Uint8Array(41) })]);
    expect(r.stats.dropped['bad-cookie']).toBe(3);
    r.handleDatagrams(2, [answer(t1!)]);
    expect(finals(r.poll())).toHaveLength(1);
    r.query(3, 'b.test');
    const [t2] = sends(r);
    expect([...cookieOf(t2!)!]).toEqual([...c1, ...new Array<number>(16).fill(7)]);
    r.handleDatagrams(4, [answer(t2!, { cookie: null })]); // this server sends cookies: one without is dropped
    expect(r.stats.dropped['bad-cookie']).toBe(4);
    r.handleTimeout(1000);
    const [t3] = sends(r); // B: its own client cookie, no server cookie yet
    expect(t3!.peer).toEqual(B);
    expect(cookieOf(t3!)).toHaveLength(8);
    expect([...cookieOf(t3!)!]).not.toEqual([...c1]);
    r.handleDatagrams(1001, [answer(t3!, { cookie: null })]); // B never sent one: accepted
    expect(finals(r.poll())).toHaveLength(1);
  });

  it('answers BADCOOKIE with one resend, then TCP, then gives up on the server', () => {
    const r = makeResolver({ cache: false, trace: true });
    r.query(0, 'a.test');
    const [t1] = sends(r);
    r.handleDatagrams(1, [answer(t1!, { rcode: 23 })]);
    const [t2] = sends(r);
    expect(t2!.peer).toEqual(A);
    expect(cookieOf(t2!)).toHaveLength(24);
    r.handleDatagrams(2, [answer(t2!, { rcode: 23 })]);
    const [t3] = sends(r);
    expect(t3!.peer).toEqual({ ...A, transport: 'tcp' });
    r.handleDatagrams(3, [answer(t3!, { rcode: 23 })]);
    const [t4] = sends(r);
    expect(t4!.peer).toEqual(B);
    expect(r.stats.badCookies).toBe(3);
    const plain = makeResolver({ edns: true, cookies: false });
    plain.query(0, 'a.test');
    const [p1] = sends(plain);
    expect(cookieOf(p1!)).toBeUndefined();
    plain.handleDatagrams(1, [answer(p1!, { rcode: 23 })]);
    expect(sends(plain)[0]!.peer).toEqual(B);
    const noEdns = makeResolver({ edns: false, cookies: true });
    noEdns.query(0, 'a.test');
    expect(decode(sends(noEdns)[0]!.data).edns).toBeUndefined();
    const doh = new Resolver({ servers: ['https://dns.test/q'], random: testRandom() });
    doh.query(0, 'a.test');
    expect(cookieOf(sends(doh)[0]!)).toBeUndefined();
  });
});

describe('0x20', () => {
  const letters = (s: string): string => s.replace(/[^A-Za-z]/g, '');

  it('sends random case per attempt and drops an answer in another case', () => {
    const r = makeResolver({ case0x20: true, cache: false });
    const name = 'abcdefghijklmnopqrstuvwxyz-0123.example.test';
    r.query(0, name);
    const [t1] = sends(r);
    const sent = decode(t1!.data).questions[0]!.name;
    expect(sent.toLowerCase()).toBe(name);
    expect(letters(sent)).not.toBe(letters(sent).toLowerCase());
    r.handleDatagrams(1, [answer(t1!, { name })]);
    expect(r.stats.dropped['wrong-case']).toBe(1);
    r.handleDatagrams(2, [answer(t1!)]);
    expect(finals(r.poll())[0]).toMatchObject({ kind: 'answer', question: { name } });
    r.query(3, name);
    r.handleTimeout(403);
    const [t2] = r.poll().transmits.concat(sends(r));
    expect(decode(t2!.data).questions[0]!.name).not.toBe(sent);
  });

  it('detects a server that does not preserve case and asks it without 0x20 from then on', () => {
    const r = makeResolver({ case0x20: [0], cache: false, cookies: false, trace: true });
    r.query(0, 'www.example.test');
    const [t1] = sends(r);
    r.handleDatagrams(1, [answer(t1!, { name: 'www.example.test' })]);
    expect(sends(r)).toEqual([]);
    r.handleDatagrams(2, [answer(t1!, { name: 'www.example.test' })]);
    const [t2] = sends(r);
    expect(decode(t2!.data).questions[0]!.name).toBe('www.example.test');
    expect(r.stats.caseFallbacks).toBe(1);
    r.handleDatagrams(3, [answer(t2!, { name: 'www.example.test' })]);
    expect(finals(r.poll())).toHaveLength(1);
    r.handleDatagrams(4, [answer(t1!, { name: 'www.example.test' })]); // late
    r.query(5, 'other.example.test');
    const [again] = sends(r);
    expect(again!.peer).toEqual(A);
    expect(decode(again!.data).questions[0]!.name).toBe('other.example.test');
    r.handleTimeout(1000);
    const [b] = sends(r);
    expect(b!.peer).toEqual(B);
    expect(decode(b!.data).questions[0]!.name).toBe('other.example.test'); // B is not in the list
  });

  it('counts a wrong case only with a valid cookie, and takes a FORMERR without a question', () => {
    const r = makeResolver({ case0x20: true, cache: false });
    r.query(0, 'www.example.test');
    const [t1] = sends(r);
    const bad = new Uint8Array(24);
    r.handleDatagrams(1, [answer(t1!, { name: 'www.example.test', cookie: bad }), answer(t1!, { name: 'www.example.test', cookie: bad })]);
    expect(r.stats.dropped['wrong-case']).toBe(2);
    expect(r.stats.caseFallbacks).toBe(0);
    r.handleDatagrams(2, [answer(t1!, { rcode: 1, noQuestion: true, cookie: null })]);
    expect(r.stats.ednsFallbacks).toBe(1);
  });

  it('checks the case0x20 option', () => {
    for (const v of ['yes', [-1], [0.5], 1]) {
      expect(() => makeResolver({ case0x20: v as never })).toThrowError(expect.objectContaining({ code: 'EBADOPTION' }) as Error);
    }
    const r = makeResolver({ case0x20: false });
    r.query(0, 'www.example.test');
    expect(decode(sends(r)[0]!.data).questions[0]!.name).toBe('www.example.test');
  });
});

export type { Message };

it('asks the name as given with search: false, and rejects a non-boolean', () => {
  const r = makeResolver({ search: ['corp.test'] });
  r.query(0, 'host', 'A', { search: false });
  const m = decodeMessage(r.poll().transmits[0]!.data);
  expect(m.ok && m.message.questions[0]!.name).toBe('host');
  expect(() => r.query(0, 'host', 'A', { search: 'no' as never })).toThrowError(expect.objectContaining({ code: 'EBADOPTION' }) as Error);
});
