/**
 * The command end to end, in process (exit codes, --simulate) and spawned
 * (--simulate determinism across processes, the usage message on stderr).
 */
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

const exec = promisify(execFile);

async function spawnCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('--simulate', () => {
  const args = ['--simulate', 'loss=0.3,latency=20,seed=7', '--trace', 'big.sansdns.test'];

  it('prints the same bytes on every run with the same seed (two processes)', async () => {
    const [a, b] = await Promise.all([spawnCli(args), spawnCli(args)]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('tcp-fallback');
    expect(a.stdout).toContain(';; SERVER: 192.0.2.1#53(192.0.2.1) (TCP)');
  });

  it('is deterministic in process too, for many seeds, and differs across seeds', async () => {
    const outputs = new Set<string>();
    for (let seed = 1; seed <= 6; seed++) {
      const argv = ['--simulate', `loss=0.4,seed=${seed}`, '--trace', '--json', 'www.sansdns.test'];
      const [a, b] = [await runCli(argv), await runCli(argv)];
      expect(a.stdout).toBe(b.stdout);
      outputs.add(a.stdout);
    }
    expect(outputs.size).toBeGreaterThan(1);
  });

  it('answers NXDOMAIN and NODATA from the embedded zone', async () => {
    const nx = JSON.parse((await runCli(['--simulate', '', '--json', 'nothere.sansdns.test'])).stdout) as { rcode: string };
    expect(nx.rcode).toBe('NXDOMAIN');
    const nodata = JSON.parse((await runCli(['--simulate', '', '--json', 'onlytxt.sansdns.test'])).stdout) as { rcode: string; answers: unknown[] };
    expect(nodata).toMatchObject({ rcode: 'NOERROR', answers: [] });
  });

  it('bulk, with a summary line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sansdns-cli-'));
    const file = join(dir, 'names.txt');
    writeFileSync(file, '# names\nwww.sansdns.test\nbig.sansdns.test\nnothere.sansdns.test\n\nonlytxt.sansdns.test\ntxt.sansdns.test TXT\n');
    const argv = ['-f', file, '--simulate', 'loss=0.2,seed=3', '--concurrency', '2', '--json'];
    const a = await runCli(argv);
    expect(a.status).toBe(0);
    expect((await runCli(argv)).stdout).toBe(a.stdout);
    const lines = a.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(6);
    expect(lines.slice(0, -1).map((l) => l['name'])).toEqual(['www.sansdns.test', 'big.sansdns.test', 'nothere.sansdns.test', 'onlytxt.sansdns.test', 'txt.sansdns.test']);
    expect(lines.at(-1)).toMatchObject({
      summary: true, queries: 5, answered: 3, nxdomain: 1, nodata: 1, failed: 0, outcomes: { NOERROR: 3, NODATA: 1, NXDOMAIN: 1 },
    });
  });
});

describe('exit status', () => {
  it('0 when a response arrived, whatever its rcode', async () => {
    expect((await runCli(['--simulate', '', 'www.sansdns.test'])).status).toBe(0);
    expect((await runCli(['--simulate', '', 'nothere.sansdns.test'])).status).toBe(0);
  });

  it('9 when none did (a silent server), with the error in JSON', async () => {
    const silent = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    const r = await runCli([`@127.0.0.1:${silent.address().port}`, '--timeout', '1000', '--json', 'x.test']);
    silent.close();
    expect(r.status).toBe(9);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'x.test', error: { code: 'ETIMEOUT' }, server: null });
    expect((JSON.parse(r.stdout) as { datagramsSent: number }).datagramsSent).toBeGreaterThan(1);
  });

  it('1 for a usage error, 10 for a name that is not legal (as dig), each said once on stderr (spawned)', async () => {
    const r = await spawnCli(['-t', 'BOGUS', 'example.com']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('sansdns: unknown type "BOGUS" (A, AAAA, MX, TXT, ..., or TYPEn)\n');
    const bad = await spawnCli(['@127.0.0.1', 'a..b']);
    expect(bad.code).toBe(10);
    expect(bad.stderr).toBe("sansdns: 'a..b' is not a legal name (empty label)\n");
  });

  it('10 for a server that cannot be found, as dig', async () => {
    const r = await runCli(['-4', '@::1', 'x.test']);
    expect(r.status).toBe(10);
    expect(r.stderr).toBe("sansdns: couldn't get address for '::1': address family not supported\n");
    const unknown = await runCli(['@nowhere.test', 'x.test'], '', { lookupHost: () => Promise.reject(new Error('no')) });
    expect(unknown.status).toBe(10);
  });

  it('bulk: 0 when every question got a response, 1 for a line that is not one, 8 when the input cannot be opened', async () => {
    const ok = await runCli(['-f', '-', '--simulate', ''], 'www.sansdns.test\nnothere.sansdns.test\n');
    expect(ok.status).toBe(0);
    const r = await runCli(['-f', '-', '--simulate', '', '--json'], 'www.sansdns.test\nbad..name\n');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('"code":"EBADNAME"');
    expect(r.stdout).toContain(`"message":"'bad..name' is not a legal name (empty label)"`);
    const missing = await runCli(['-f', '/nonexistent/names.txt']);
    expect(missing.status).toBe(8);
    expect(missing.stderr).toMatch(/couldn't open batch file \/nonexistent\/names.txt/);
  });

  it('help for every subcommand, and the version', async () => {
    const topics: [string[][], string][] = [
      [[['--help'], ['-h'], ['help'], ['example.com', '--help']], 'sansdns [@server ...] [-p PORT] name [type] [class] [+opts]'],
      [[['demo', '--help'], ['demo', '-h'], ['help', 'demo']], 'sansdns demo [--seed N]'],
      [[['help', 'bulk'], ['-f', 'names.txt', '--help'], ['-f', '-', '-h']], 'sansdns -f FILE [@server ...] [type] [+opts] [options]'],
      [[['help', 'help'], ['help', '--help'], ['help', '-h']], 'sansdns help [TOPIC]'],
    ];
    for (const [argvs, usage] of topics) {
      for (const argv of argvs) {
        const r = await runCli(argv);
        expect(r.status).toBe(0);
        expect(r.stdout).toContain(usage);
        expect(r.stderr).toBe('');
      }
    }
    expect((await runCli(['--version'])).stdout).toMatch(/^sansdns \d+\.\d+\.\d+\n$/);
  });
});
