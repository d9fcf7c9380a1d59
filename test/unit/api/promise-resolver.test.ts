import { rejection } from '../../helpers/rejection.js';
import { describe, expect, it } from 'vitest';
import type packet from 'dns-packet';
import { PromiseResolver } from '../../../src/api/promise-resolver.js';
import { coreOptions } from '../../../src/api/options.js';
import { reverseName } from '../../../src/api/servers.js';
import { recordingCore } from '../../../src/trace/recorder.js';
import type { TraceRecord } from '../../../src/trace/format.js';
import { replayOutputs as replayTrace, replayTrace as replaySim } from '../../../src/trace/replay.js';
import { serversFromNode } from '../../../src/api/servers.js';
import { FakeTransport, qname } from './fake-transport.js';

let seed = 1;
const random = (b: Uint8Array): void => {
  for (let i = 0; i < b.length; i++) b[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
};

function make(options: ConstructorParameters<typeof PromiseResolver>[0] = {}) {
  const transports: FakeTransport[] = [];
  const r = new PromiseResolver(options, () => {
    const t = new FakeTransport();
    transports.push(t);
    return t;
  }, random, ['192.0.2.1'], serversFromNode, recordingCore);
  return { r, t: () => transports[transports.length - 1] as FakeTransport, transports };
}

const a = (name: string, data: string, ttl = 60): packet.Answer => ({ name, type: 'A', ttl, class: 'IN', data });


describe('PromiseResolver shapes', () => {
  it('resolve4 follows the CNAME chain, ttl capped by the CNAMEs', async () => {
    const { r, t } = make();
    const p = r.resolve4('www.example', { ttl: true });
    t().answer(t().last(), (q) => {
      const n = q.questions?.[0]?.name as string;
      return { answers: [
        { name: n, type: 'CNAME', ttl: 30, class: 'IN', data: 'b.example' },
        { name: 'b.example', type: 'CNAME', ttl: 100, class: 'IN', data: 'c.example' },
        a('c.example', '192.0.2.7', 300), a('other.example', '192.0.2.8'),
      ] };
    });
    expect(await p).toEqual([{ address: '192.0.2.7', ttl: 30 }]);
  });

  it('maps NXDOMAIN to ENOTFOUND and no records to ENODATA or [], as c-ares does, with syscall and hostname', async () => {
    const { r, t } = make();
    const p1 = r.resolveMx('nx.example');
    t().answer(t().last(), () => ({}), 3);
    const e1 = await rejection(p1);
    expect(e1).toMatchObject({ code: 'ENOTFOUND', syscall: 'queryMx', hostname: 'nx.example', message: 'queryMx ENOTFOUND nx.example' });
    const p2 = r.resolveNs('empty.example');
    t().answer(t().last(), () => ({ answers: [a('empty.example', '192.0.2.1')] }));
    expect(await rejection(p2)).toMatchObject({ code: 'ENODATA', syscall: 'queryNs', hostname: 'empty.example' });
    // c-ares's TXT (and MX, SRV, NAPTR, CAA) parsers give [] for a non-empty answer without their type; SOA's fails EBADRESP.
    const p3 = r.resolveTxt('empty.example');
    t().answer(t().last(), () => ({ answers: [a('empty.example', '192.0.2.1')] }));
    expect(await p3).toEqual([]);
    const p4 = r.resolveSoa('empty.example');
    t().answer(t().last(), () => ({ answers: [a('empty.example', '192.0.2.1')] }));
    expect(await rejection(p4)).toMatchObject({ code: 'EBADRESP', syscall: 'querySoa' });
    const p5 = r.resolveTxt('none.example');
    t().answer(t().last(), () => ({}));
    expect(await rejection(p5)).toMatchObject({ code: 'ENODATA', syscall: 'queryTxt' });
  });

  it('shapes every type as Node does', async () => {
    const { r, t } = make();
    const cases: [() => Promise<unknown>, packet.Answer, unknown][] = [
      [() => r.resolveMx('x.example'), { name: 'x.example', type: 'MX', data: { preference: 5, exchange: 'mx.example' } }, [{ exchange: 'mx.example', priority: 5 }]],
      [() => r.resolveTxt('x.example'), { name: 'x.example', type: 'TXT', data: ['a', 'b\u00e9'] }, [['a', 'b\u00c3\u00a9']]],
      [() => r.resolveSrv('x.example'), { name: 'x.example', type: 'SRV', data: { priority: 1, weight: 2, port: 3, target: 't.example' } }, [{ name: 't.example', port: 3, priority: 1, weight: 2 }]],
      [() => r.resolveSoa('x.example'), { name: 'x.example', type: 'SOA', data: { mname: 'ns.example', rname: 'h.example', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 } },
        { nsname: 'ns.example', hostmaster: 'h.example', serial: 1, refresh: 2, retry: 3, expire: 4, minttl: 5 }],
      [() => r.resolveCaa('x.example'), { name: 'x.example', type: 'CAA', data: { flags: 128, tag: 'issue', value: 'ca.example' } }, [{ critical: 128, issue: 'ca.example' }]],
      [() => r.resolveNaptr('x.example'), { name: 'x.example', type: 'NAPTR', data: { order: 1, preference: 2, flags: 'S', services: 'SIP+D2U', regexp: '', replacement: '_sip._udp.example' } },
        [{ flags: 'S', service: 'SIP+D2U', regexp: '', replacement: '_sip._udp.example', order: 1, preference: 2 }]],
      [() => r.resolveNs('x.example'), { name: 'x.example', type: 'NS', data: 'ns1.example' }, ['ns1.example']],
      [() => r.resolvePtr('x.example'), { name: 'x.example', type: 'PTR', data: 'p.example' }, ['p.example']],
      [() => r.resolveCname('x.example'), { name: 'x.example', type: 'CNAME', data: 'c.example' }, ['c.example']],
      [() => r.resolve6('x.example'), { name: 'x.example', type: 'AAAA', data: '2001:db8::1' }, ['2001:db8::1']],
      [() => r.resolve('x.example', 'AAAA'), { name: 'x.example', type: 'AAAA', data: '2001:db8::1' }, ['2001:db8::1']],
      [() => r.resolve('x.example'), a('x.example', '192.0.2.1'), ['192.0.2.1']],
      [() => r.reverse('192.0.2.1'), { name: '1.2.0.192.in-addr.arpa', type: 'PTR', data: 'host.example' }, ['host.example']],
    ];
    for (const [call, answer, want] of cases) {
      const p = call();
      t().answer(t().last(), () => ({ answers: [{ ttl: 60, class: 'IN', ...answer } as packet.Answer] }));
      expect(await p).toEqual(want);
    }
  });

  it('resolveAny groups types in Node order', async () => {
    const { r, t } = make();
    const p = r.resolveAny('x.example');
    t().answer(t().last(), () => ({ answers: [
      { name: 'x.example', type: 'TXT', ttl: 1, class: 'IN', data: ['t'] },
      { name: 'x.example', type: 'MX', ttl: 1, class: 'IN', data: { preference: 1, exchange: '.' } },
      a('x.example', '192.0.2.1', 7),
      { name: 'x.example', type: 'HINFO', ttl: 1, class: 'IN', data: { cpu: 'c', os: 'o' } },
    ] }));
    expect(await p).toEqual([
      { address: '192.0.2.1', ttl: 7, type: 'A' }, { exchange: '', priority: 1, type: 'MX' }, { entries: ['t'], type: 'TXT' },
    ]);
    // Only types Node drops: [] (the answer is not empty), as Node's; no answer at all: ENODATA.
    const p2 = r.resolveAny('y.example');
    t().answer(t().last(), () => ({ answers: [{ name: 'y.example', type: 'HINFO', ttl: 1, class: 'IN', data: { cpu: 'c', os: 'o' } }] }));
    expect(await p2).toEqual([]);
    const p3 = r.resolveAny('z.example');
    t().answer(t().last(), () => ({}));
    expect(await rejection(p3)).toMatchObject({ code: 'ENODATA', syscall: 'queryAny' });
  });

  it('query() resolves with the whole answer, NXDOMAIN included', async () => {
    const { r, t } = make();
    const p = r.query('nx.example', 'TXT');
    t().answer(t().last(), () => ({}), 3);
    const res = await p;
    expect(res.rcode).toBe(3);
    expect(res.question.typeName).toBe('TXT');
  });
});

describe('PromiseResolver errors, cancellation and options', () => {
  it('throws synchronously like Node for bad arguments', () => {
    const { r } = make();
    expect(() => r.resolve4(1 as unknown as string)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    expect(() => r.resolve('x', 'BOGUS')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
    expect(() => r.resolve('x', 1 as unknown as string)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    expect(() => make({ timeout: -2 })).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(() => make({ tries: 0 })).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(() => make({ tries: 'x' as unknown as number })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
  });

  it('rejects a bad name with EBADNAME and a non-address with EINVAL', async () => {
    const { r } = make();
    expect(await rejection(r.resolve4('a..b'))).toMatchObject({ code: 'EBADNAME', syscall: 'queryA', hostname: 'a..b' });
    expect(await rejection(r.reverse('nope'))).toMatchObject({ code: 'EINVAL', syscall: 'getHostByAddr', errno: -22 });
    expect(await rejection(r.resolve4('x.example', { timeout: -5 }))).toMatchObject({ code: 'EINVAL' });
  });

  it('times out with ETIMEOUT at the deadline, timeout × tries', async () => {
    const { r, t } = make({ timeout: 100, tries: 2 });
    const p = r.resolve4('slow.example');
    let settled = false;
    p.catch(() => undefined).finally(() => { settled = true; });
    for (let i = 0; i < 199; i++) t().advance(1);
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(false);
    t().advance(1);
    expect(await rejection(p)).toMatchObject({ code: 'ETIMEOUT', syscall: 'queryA', hostname: 'slow.example' });
    expect(t().sent.length).toBe(2);
  });

  it('cancel() rejects every query with ECANCELLED; a signal cancels one', async () => {
    const { r, t } = make();
    const ac = new AbortController();
    const p1 = r.resolve4('one.example', { signal: ac.signal });
    const p2 = r.resolve4('two.example');
    ac.abort();
    expect(await rejection(p1)).toMatchObject({ code: 'ECANCELLED', hostname: 'one.example' });
    const second = t().sent[1];
    if (second === undefined) throw new Error('no second transmit');
    t().answer(second, (q) => ({ answers: [a(q.questions?.[0]?.name as string, '192.0.2.2')] }));
    expect(await p2).toEqual(['192.0.2.2']);
    const p3 = r.resolve4('three.example');
    r.cancel();
    expect(await rejection(p3)).toMatchObject({ code: 'ECANCELLED', syscall: 'queryA' });
    expect(await rejection(r.resolve4('four.example', { signal: AbortSignal.abort() }))).toMatchObject({ code: 'ECANCELLED' });
    expect(t().finishedHandles.length).toBeGreaterThanOrEqual(3);
  });

  it('close() cancels, releases the transport, and refuses later calls', async () => {
    const { r, t } = make();
    const p = r.resolve4('x.example');
    r.close();
    r.close();
    expect(await rejection(p)).toMatchObject({ code: 'ECANCELLED' });
    expect(t().closed).toBe(true);
    expect(await rejection(r.resolveMx('x.example'))).toMatchObject({ code: 'ECANCELLED', syscall: 'queryMx' });
  });

  it('getServers/setServers speak Node syntax; setServers refuses while queries are pending', async () => {
    const { r, transports } = make({ servers: ['192.0.2.1', '192.0.2.2:5353', '2001:db8::1', '[2001:db8::2]:53', '[2001:DB8::3]:5300'] });
    expect(r.getServers()).toEqual(['192.0.2.1', '192.0.2.2:5353', '2001:db8::1', '2001:db8::2', '[2001:db8::3]:5300']);
    r.setServers(['tcp://192.0.2.9:53', { address: '192.0.2.10', port: 54 }]);
    expect(r.getServers()).toEqual(['tcp://192.0.2.9:53', '192.0.2.10:54']);
    // Beyond Node: DoT and DoH servers beside Node's forms, each once, written back with their scheme.
    r.setServers(['tls://[2001:DB8::1]#dns.example', 'https://dns.example/dns-query', '192.0.2.1', 'tls://[2001:DB8::1]#dns.example']);
    expect(r.getServers()).toEqual(['tls://[2001:db8::1]:853#dns.example', 'https://dns.example/dns-query', '192.0.2.1']);
    expect(transports[0]?.closed).toBe(true);
    for (const bad of ['1.2.3', 'x:53', '[1.2.3.4', '1.2.3.4:', '1.2.3.4:53:53', ' 1.2.3.4']) {
      expect(() => r.setServers([bad]), bad).toThrow(expect.objectContaining({ code: 'ERR_INVALID_IP_ADDRESS' }));
    }
    // As Node (c-ares keeps 16 bits of the port; a port that is not digits is 53; each server once):
    r.setServers(['1.2.3.4:99999', '[::1]:x', '::1', '1.2.3.4:34463']);
    expect(r.getServers()).toEqual(['1.2.3.4:34463', '::1']);
    expect(() => r.setServers('1.2.3.4' as unknown as string[])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    expect(() => r.setServers([5 as unknown as string])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    const p = r.resolve4('x.example');
    expect(() => r.setServers(['192.0.2.1'])).toThrow(expect.objectContaining({ code: 'ERR_DNS_SET_SERVERS_FAILED' }));
    r.cancel();
    await rejection(p);
  });

  it('maps Node options onto the core as documented', () => {
    const rnd = (): void => undefined;
    // No tries: as many as the deadline allows (Node's default of 4 is not applied).
    expect(coreOptions({}, ['192.0.2.1'], rnd)).toEqual({ servers: ['192.0.2.1'], random: rnd });
    expect(coreOptions({ timeout: -1, tries: 2 }, [], rnd)).toEqual({ servers: [], random: rnd, attempts: 2 });
    // timeout and tries: each try waits exactly timeout, the deadline holds them all (per server).
    expect(coreOptions({ timeout: 300, tries: 3, edns: false }, ['192.0.2.1', '192.0.2.2'], rnd)).toMatchObject({
      timeout: 300, minTimeout: 300, maxTimeout: 300, deadline: 1800, attempts: 3, edns: false,
    });
    // timeout alone: each try waits at least timeout; a dead server is still backed off.
    const alone = coreOptions({ timeout: 300, deadline: 2000 }, [], rnd);
    expect(alone).toMatchObject({ timeout: 300, minTimeout: 300, deadline: 2000 });
    expect(alone.maxTimeout).toBeUndefined();
    expect(coreOptions({ timeout: 300, tries: 2, minTimeout: 50, maxTimeout: 900 }, ['192.0.2.1'], rnd)).toMatchObject({ minTimeout: 50, maxTimeout: 900, deadline: 600 });
  });

  it('builds reverse names', () => {
    expect(reverseName('192.0.2.1')).toBe('1.2.0.192.in-addr.arpa');
    expect(reverseName('2001:db8::1')).toBe(`1.${'0.'.repeat(23)}8.b.d.0.1.0.0.2.ip6.arpa`);
    expect(reverseName('x')).toBeUndefined();
  });
});

describe('trace', () => {
  it('records the core inputs and replays them to the same transcript', async () => {
    const records: TraceRecord[] = [];
    const { r, t } = make({ trace: (rec) => records.push(JSON.parse(JSON.stringify(rec)) as TraceRecord), timeout: 100, tries: 2 });
    const p = r.resolve4('trace.example');
    t().advance(150);
    t().answer(t().last(), (q) => ({ answers: [a(q.questions?.[0]?.name as string, '192.0.2.3')] }));
    expect(await p).toEqual(['192.0.2.3']);
    const p2 = r.resolve4('gone.example');
    r.cancel();
    await rejection(p2);
    // Every input, each followed by the output the loop drained after it (the simulator's format).
    expect(records.map((x) => x.op)).toEqual([
      'init', 'query', 'random', 'output', 'timeout', 'output', 'datagrams', 'output', 'query', 'output', 'cancelAll', 'output',
    ]);
    expect(replaySim(records)).toMatchObject({ identical: true, compared: 5 });
    const outputs = replayTrace(records);
    const sentAgain = outputs.flatMap((o) => o.transmits.map((x) => Buffer.from(x.data).toString('hex')));
    expect(sentAgain).toEqual(t().sent.map((x) => Buffer.from(x.data).toString('hex')));
    const answer = outputs.flatMap((o) => o.events).find((e) => e.kind === 'answer');
    expect(answer?.kind === 'answer' && qname(t().sent[0]!).toLowerCase()).toBe('trace.example');
    expect(() => replayTrace([])).toThrow();
  });
});

describe('the search list, as Node applies it', () => {
  it('resolve* ask the name as given; query() applies the search list', async () => {
    const { r, t } = make({ search: ['corp.test'], ndots: 1 });
    const p = r.resolve4('host');
    expect(qname(t().last())).toBe('host');
    t().answer(t().last(), (q) => ({ answers: [a(q.questions?.[0]?.name as string, '192.0.2.7')] }));
    await expect(p).resolves.toEqual(['192.0.2.7']);
    const q = r.query('host', 'A');
    expect(qname(t().last())).toBe('host.corp.test');
    t().answer(t().last(), (m) => ({ answers: [a(m.questions?.[0]?.name as string, '192.0.2.8')] }));
    await expect(q).resolves.toMatchObject({ question: { name: 'host.corp.test' } });
    const raw = r.query('other', 'A', { search: false, timeout: 50 });
    expect(qname(t().last())).toBe('other');
    t().advance(60);
    await expect(raw).rejects.toMatchObject({ code: 'ETIMEOUT' });
  });
});
