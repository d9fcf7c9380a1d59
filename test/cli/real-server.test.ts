/**
 * `sansdns --json` and bulk mode against a real authoritative server (BIND,
 * else Knot) on loopback, started by test/integration/servers.ts. Without
 * either binary this suite skips loudly, and fails under CI=true.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingServerMessage, serverAvailable, startServer, type RunningServer, type ServerKind } from '../integration/servers.js';
import { runCli } from './helpers.js';

const CI = process.env['CI'] === 'true';
const kind: ServerKind | undefined = serverAvailable('bind') ? 'bind' : serverAvailable('knot') ? 'knot' : undefined;

if (kind === undefined) {
  if (CI) throw new Error(missingServerMessage('bind'));
  console.warn(`SKIPPED test/cli/real-server.test.ts: ${missingServerMessage('bind')}`);
}

describe.skipIf(kind === undefined)(`sansdns against ${kind ?? 'no server'} on loopback`, () => {
  let server: RunningServer;
  let at: string;

  beforeAll(async () => {
    server = await startServer(kind as ServerKind, { ipv6: false });
    at = `@127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('--json: one object with the answer', async () => {
    const r = await runCli([at, 'example.test', 'MX', '--json']);
    expect(r.status).toBe(0);
    const o = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(o).toMatchObject({
      name: 'example.test', type: 'MX', rcode: 'NOERROR', server: `127.0.0.1:${server.port}`, transport: 'udp', datagramsSent: 1,
    });
    expect(o['flags']).toContain('aa');
    const answers = (o['answers'] as { data: { preference: number; exchange: string } }[]).map((a) => a.data).sort((a, b) => a.preference - b.preference);
    expect(answers).toEqual([
      { preference: 10, exchange: 'mail1.example.test' },
      { preference: 20, exchange: 'mail2.example.test' },
      { preference: 30, exchange: 'mail.example.net' },
    ]);
    expect(typeof o['elapsedMs']).toBe('number');
  });

  it('--json: TXT as arrays of strings, NXDOMAIN with the SOA, a truncated answer over TCP', async () => {
    const txt = JSON.parse((await runCli([at, 'txt.example.test', 'TXT', '--json'])).stdout) as { answers: { data: string[] }[] };
    expect(txt.answers.map((a) => a.data)).toContainEqual(['one', 'two', 'three']);
    const nx = JSON.parse((await runCli([at, 'nothere.example.test', '--json'])).stdout) as { rcode: string; authorities: { type: string; ttl: number }[] };
    expect(nx.rcode).toBe('NXDOMAIN');
    expect(nx.authorities[0]?.type).toBe('SOA');
    const big = await runCli([at, 'big.example.test', '--json', '--trace']);
    const o = JSON.parse(big.stdout) as { transport: string; trace: { what: string }[]; answers: unknown[] };
    expect(o.transport).toBe('tcp');
    expect(o.trace.map((e) => e.what)).toEqual(['send', 'receive', 'tcp-fallback', 'send', 'receive']);
    expect(o.answers.length).toBeGreaterThan(100);
  });

  it('dig-like output, +tcp, -x', async () => {
    const r = await runCli([at, 'www.example.test', '+tcp']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('status: NOERROR');
    expect(r.stdout).toMatch(/^www\.example\.test\.\t300\tIN\tA\t192\.0\.2\.1$/m);
    expect(r.stdout).toContain(`;; SERVER: 127.0.0.1#${server.port}(127.0.0.1) (TCP)`);
    const ptr = await runCli([at, '-x', '192.0.2.1', '--json']);
    expect(ptr.status).toBe(0);
    expect(JSON.parse(ptr.stdout)).toMatchObject({ name: '1.2.0.192.in-addr.arpa', type: 'PTR', rcode: 'NOERROR' });
  });

  it('bulk: one JSON line per name and a summary, concurrently through one resolver', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sansdns-bulk-'));
    const file = join(dir, 'names.txt');
    const names = ['example.test', 'www.example.test', 'onlytxt.example.test', 'nothere.example.test', 'mail1.example.test', 'ns1.example.test'];
    writeFileSync(file, `${[...names, ...names, ...names].join('\n')}\n`);
    const r = await runCli(['-f', file, at, '--concurrency', '5', '--json']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(19);
    const summary = lines.at(-1) as Record<string, number>;
    expect(summary).toMatchObject({ summary: true, queries: 18, answered: 12, nodata: 3, nxdomain: 3, failed: 0 });
    expect(summary['datagramsSent']).toBeGreaterThanOrEqual(6); // fewer than 18 when the core caches
    expect(summary['qps']).toBeGreaterThan(0);
    expect(lines.slice(0, -1).map((l) => l['name'])).toEqual([...names, ...names, ...names]); // in input order
    const uncached = JSON.parse((await runCli(['-f', file, at, '--no-cache', '--json'])).stdout.trim().split('\n').at(-1) as string) as Record<string, number>;
    expect(uncached['datagramsSent']).toBe(18);
  });

  it('bulk from stdin, text output', async () => {
    const r = await runCli(['-f', '-', at, 'AAAA'], 'example.test\nwww.example.test\n');
    expect(r.status).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith('example.test\t')) ?? '';
    expect(line).toMatch(/^example\.test\tAAAA\tNOERROR\t\S+, \S+, \S+ \(\d+(\.\d)? ms, 1 sent\)$/);
    expect(line).toContain('2001:db8:0:1::3');
    expect(r.stdout).toMatch(/^;; 2 questions in \d+\.\d\d s \([\d.]+ q\/s\): NOERROR 1, NODATA 1; 2 datagrams sent$/m);
  });
});
