import { afterEach, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import net from 'node:net';
import http from 'node:http';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type packet from 'dns-packet';
import { NodeResolver as Resolver } from '../../../../src/node.js';
import { fromJsonLines, replayOutputs as replayTrace, replayTrace as replaySim, toJsonLines, type TraceRecord } from '../../../../src/trace.js';
import { reply, startResponder, type Handler, type Responder } from './responder.js';
import { rejection } from '../../../helpers/rejection.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(handler: Handler, options: ConstructorParameters<typeof Resolver>[0] = {}, address = '127.0.0.1') {
  const srv = await startResponder(handler, address);
  const r = new Resolver({ resolvConf: false, hostsFile: false, ...options, servers: [srv.server] });
  cleanups.push(() => srv.close(), () => r.close());
  return { srv, r };
}

const A = (name: string, data: string, ttl = 60): packet.Answer => ({ name, type: 'A', ttl, class: 'IN', data });
const qn = (q: packet.Packet): string => q.questions?.[0]?.name as string;
const answerA: Handler = (q) => reply(q, { answers: [A(qn(q), '192.0.2.1')] });


describe('node driver over UDP', () => {
  it('answers over IPv4 and IPv6 loopback', async () => {
    const v4 = await setup(answerA);
    expect(await v4.r.resolve4('a.test')).toEqual(['192.0.2.1']);
    const v6 = await setup(answerA, {}, '::1');
    expect(v6.r.getServers()).toEqual([`[::1]:${v6.srv.port}`]);
    expect(await v6.r.resolve4('a.test', { ttl: true })).toEqual([{ address: '192.0.2.1', ttl: 60 }]);
  });

  it('uses many source ports, not one', async () => {
    const { r, srv } = await setup(answerA, { udpPoolSize: 2, udpRotateAfter: 8 });
    await Promise.all(Array.from({ length: 64 }, (_, i) => r.resolve4(`n${i}.test`)));
    expect(new Set(srv.sourcePorts).size).toBeGreaterThanOrEqual(8);
    for (let i = 0; i < 3; i++) await r.resolve4(`seq${i}.test`);
    expect(new Set(srv.sourcePorts).size).toBeGreaterThanOrEqual(11);
  });

  it('handles 1000 concurrent queries', async () => {
    const { r } = await setup(answerA);
    const all = await Promise.all(Array.from({ length: 1000 }, (_, i) => r.resolve4(`c${i}.test`)));
    expect(all.every((x) => x[0] === '192.0.2.1')).toBe(true);
    expect(r.stats.answered).toBe(1000);
  });

  it('retransmits after a drop, and times out with ETIMEOUT', async () => {
    let n = 0;
    const { r } = await setup((q) => (n++ === 0 ? 'drop' : answerA(q, 'udp')), { timeout: 50, tries: 3 });
    expect(await r.resolve4('lossy.test')).toEqual(['192.0.2.1']);
    const silent = await setup(() => 'drop', { timeout: 20, tries: 2 });
    const t0 = performance.now();
    expect(await rejection(silent.r.resolve4('silent.test'))).toMatchObject({ code: 'ETIMEOUT', syscall: 'queryA', hostname: 'silent.test' });
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('a per-call timeout and signal end one query, not the others', async () => {
    const { r } = await setup((q) => (qn(q).startsWith('slow') ? 'drop' : answerA(q, 'udp')));
    const ac = new AbortController();
    const slow = r.resolve4('slow1.test', { signal: ac.signal });
    const slow2 = r.resolve4('slow2.test', { timeout: 30 });
    const fast = r.resolve4('fast.test');
    ac.abort();
    expect(await rejection(slow)).toMatchObject({ code: 'ECANCELLED' });
    expect(await rejection(slow2)).toMatchObject({ code: 'ETIMEOUT' });
    expect(await fast).toEqual(['192.0.2.1']);
  });

  it('ECONNREFUSED from a closed port moves on to the next server', async () => {
    const dead = dgram.createSocket('udp4');
    await new Promise<void>((res) => dead.bind(0, '127.0.0.1', res));
    const deadPort = dead.address().port;
    await new Promise<void>((res) => dead.close(() => res()));
    const srv = await startResponder(answerA);
    const r = new Resolver({ resolvConf: false, servers: [`127.0.0.1:${deadPort}`, srv.server], timeout: 2000 });
    cleanups.push(() => srv.close(), () => r.close());
    const t0 = performance.now();
    expect(await r.resolve4('refused.test')).toEqual(['192.0.2.1']);
    expect(performance.now() - t0).toBeLessThan(1000);
    const only = new Resolver({ resolvConf: false, servers: [`127.0.0.1:${deadPort}`], timeout: 2000 });
    cleanups.push(() => only.close());
    expect(await rejection(only.resolve4('refused.test'))).toMatchObject({ code: 'ECONNREFUSED', syscall: 'queryA' });
  });
});

describe('node driver over TCP', () => {
  it('moves to TCP on TC=1 and gets the whole answer', async () => {
    const big = Array.from({ length: 120 }, (_, i) => A('big.test', `10.0.${i >> 8}.${i & 255}`));
    const { r, srv } = await setup((q, transport) =>
      transport === 'udp' ? { ...reply(q), flags: 0x8000 | 0x0200 | 0x0400 } as packet.Packet : reply(q, { answers: big }));
    expect((await r.resolve4('big.test')).length).toBe(120);
    expect(srv.tcpQueries).toBe(1);
  });

  it('pipelines on one connection and accepts answers out of order', async () => {
    const { r, srv } = await setup(async (q) => {
      const n = Number(qn(q).match(/\d+/)?.[0]);
      await new Promise((res) => setTimeout(res, 40 - n * 4));
      return reply(q, { answers: [A(qn(q), `192.0.2.${n}`)] });
    }, { servers: [] });
    r.setServers([`tcp://127.0.0.1:${srv.port}`]);
    const got = await Promise.all(Array.from({ length: 10 }, (_, i) => r.resolve4(`p${i}.test`)));
    expect(got.map((x) => x[0])).toEqual(Array.from({ length: 10 }, (_, i) => `192.0.2.${i}`));
    expect(srv.tcpConnections).toBe(1);
    expect(srv.udpQueries).toBe(0);
  });

  it('closes idle connections and reconnects', async () => {
    const { r, srv } = await setup(answerA, { tcpIdleTimeout: 30 });
    r.setServers([`tcp://127.0.0.1:${srv.port}`]);
    await r.resolve4('one.test');
    await new Promise((res) => setTimeout(res, 120));
    await r.resolve4('two.test');
    expect(srv.tcpConnections).toBe(2);
  });

  it('a refused TCP connection fails the query with ECONNREFUSED', async () => {
    const s = net.createServer();
    await new Promise<void>((res) => s.listen(0, '127.0.0.1', res));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise<void>((res) => s.close(() => res()));
    const r = new Resolver({ resolvConf: false, servers: [`tcp://127.0.0.1:${port}`] });
    cleanups.push(() => r.close());
    expect(await rejection(r.resolve4('x.test'))).toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('lookup', () => {
  it('reads hosts, answers localhost itself, applies the search list, and serves http.Agent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sansdns-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'hosts'), '192.0.2.50 fromhosts.test\n2001:db8::50 fromhosts.test\n');
    writeFileSync(join(dir, 'resolv.conf'), 'search corp.test\noptions ndots:2\n');
    const { r, srv } = await setup((q) => {
      const n = qn(q).toLowerCase();
      if (n === 'web.corp.test' && q.questions?.[0]?.type === 'A') return reply(q, { answers: [A(qn(q), '127.0.0.1')] });
      if (n === 'web.corp.test') return reply(q);
      return reply(q, {}, 3);
    }, { hostsFile: join(dir, 'hosts'), resolvConf: join(dir, 'resolv.conf') });
    const cb = (host: string, opts: object) => new Promise<unknown[]>((res) =>
      r.lookup(host, opts, (...args: unknown[]) => res(args)));
    expect(await cb('fromhosts.test', {})).toEqual([null, '192.0.2.50', 4]);
    expect(await cb('fromhosts.test', { family: 6 })).toEqual([null, '2001:db8::50', 6]);
    expect(await cb('FromHosts.test', { all: true, order: 'ipv6first' })).toEqual([null, [
      { address: '2001:db8::50', family: 6 }, { address: '192.0.2.50', family: 4 }]]);
    expect(await cb('localhost', { all: true })).toEqual([null, [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]]);
    expect(await cb('a.b.localhost', { family: 6 })).toEqual([null, '::1', 6]);
    expect(await cb('192.0.2.9', {})).toEqual([null, '192.0.2.9', 4]);
    expect(await cb('', { family: 6 })).toEqual([null, null, 6]);
    expect(await cb('web', {})).toEqual([null, '127.0.0.1', 4]);
    const [err] = await cb('missing.example', {});
    expect(err).toMatchObject({ code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'missing.example', errno: -3008 });
    expect(await r.lookupAll('web', { family: 4 })).toEqual([{ address: '127.0.0.1', family: 4 }]);
    const server = http.createServer((_, res) => res.end('ok'));
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    cleanups.push(() => new Promise<void>((res) => server.close(() => res())));
    const agent = new http.Agent({ lookup: r.lookup as never });
    cleanups.push(() => agent.destroy());
    const port = (server.address() as net.AddressInfo).port;
    const body = await new Promise<string>((res, rej) => {
      http.get({ host: 'web', port, agent }, (resp) => {
        let b = '';
        resp.on('data', (c: Buffer) => (b += c.toString()));
        resp.on('end', () => res(b));
      }).on('error', rej);
    });
    expect(body).toBe('ok');
    expect(srv.udpQueries).toBeGreaterThan(0);
  });
});

describe('trace', () => {
  it('records JSON lines that replay to the same datagrams', async () => {
    const lines: string[] = [];
    const { r } = await setup(answerA, { trace: (rec) => lines.push(JSON.stringify(rec)) });
    await r.resolve4('t1.test');
    await r.resolveMx('t2.test').catch(() => undefined);
    const records = lines.map((l) => JSON.parse(l) as TraceRecord);
    const events = replayTrace(records).flatMap((o) => o.events.filter((e) => e.kind !== 'trace'));
    expect(events.map((e) => e.kind)).toEqual(['answer', 'answer']);
  });

  it('records the simulator\'s format: replayTrace of sansdns/sim reproduces every output byte for byte', async () => {
    const lines: string[] = [];
    let n = 0;
    // The first datagram is dropped, so the trace holds a timeout and a retransmission too.
    const { r } = await setup((q) => (n++ === 0 ? 'drop' : answerA(q, 'udp')), {
      timeout: 50, tries: 3, trace: (rec) => lines.push(JSON.stringify(rec)),
    });
    expect(await r.resolve4('t1.test', { ttl: true })).toEqual([{ address: '192.0.2.1', ttl: 60 }]);
    await Promise.all([r.resolve4('t2.test'), r.resolve6('t3.test').catch((e: { code: string }) => e.code)]);
    const ac = new AbortController();
    const cancelled = r.resolve4('t4.test', { signal: ac.signal }).catch((e: { code: string }) => e.code);
    ac.abort();
    expect(await cancelled).toBe('ECANCELLED');
    const records = fromJsonLines(lines.join('\n'));
    expect(new Set(records.map((x) => x.op))).toEqual(new Set(['init', 'random', 'query', 'output', 'timeout', 'datagrams', 'cancel']));
    const result = replaySim(records);
    expect(result.mismatches).toEqual([]);
    expect(result.identical).toBe(true);
    expect(result.compared).toBe(records.filter((x) => x.op === 'output').length);
    // Byte-identical JSON lines, not just equal datagrams.
    expect(toJsonLines(result.outputs)).toBe(toJsonLines(records.filter((x) => x.op === 'output')));
    // A tampered answer no longer replays.
    const tampered = records.map((x) => (x.op === 'output' && x.transmits !== null && JSON.stringify(x.transmits).includes('hex')
      ? { ...x, deadline: (x.deadline ?? 0) + 1 } : x));
    expect(replaySim(tampered).identical).toBe(false);
  });
});

describe('process lifetime', () => {
  it('an idle resolver keeps no handle alive', async () => {
    const { r } = await setup(answerA);
    await r.resolve4('x.test');
    const { execFileSync } = await import('node:child_process');
    const script = `import { NodeResolver as Resolver } from ${JSON.stringify(join(process.cwd(), 'src/node.ts'))};
      const r = new Resolver({ resolvConf: false, servers: ['127.0.0.1:9'], timeout: 100000 });
      setTimeout(() => process.stdout.write('done'), 10);`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 20000 });
    expect(out.toString()).toBe('done');
  });
});
