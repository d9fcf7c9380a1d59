/**
 * `sansdns` against dig 9.18, line by line: for each case of the table,
 * dig and sansdns ask the same server on loopback with the same arguments
 * (a real BIND started here by test/integration/servers.ts, or a fake of
 * fake-servers.ts for what BIND will not send: any rcode, EDNS options,
 * unknown types, silence, a closed port), and their stdout must be equal,
 * and so must their exit status.
 *
 * What is left out, because it differs by design or by chance: the
 * greeting (`; <<>> DiG 9.18 <<>>` vs `; <<>> sansdns ... <<>>`), the query
 * time, `;; SERVER` and `;; WHEN` lines, the ID in the header, the cookie's
 * bytes, and the order of records within a run of records (BIND rotates
 * RRsets from one answer to the next). Everything else must be equal.
 * Without dig or named the suite skips loudly, and fails under CI=true.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasIpv6Loopback, missingServerMessage, serverAvailable, startServer, type RunningServer } from '../integration/servers.js';
import { closedPort, optionsAnswer, rcodeAnswer, startFake, unknownTypesAnswer, type FakeServer } from './fake-servers.js';
import { runCli } from './helpers.js';

const exec = promisify(execFile);
const CI = process.env['CI'] === 'true';

function digIs918(): boolean {
  try {
    const out = execFileSync('sh', ['-c', 'dig -v 2>&1'], { encoding: 'utf8' });
    return /DiG 9\.18\./.test(out);
  } catch {
    return false;
  }
}

const ready = serverAvailable('bind') && digIs918();
const missing = !serverAvailable('bind') ? missingServerMessage('bind') : !digIs918() ? 'dig 9.18 not found (install the Debian package "bind9-dnsutils")' : undefined;
if (missing !== undefined) {
  if (CI) throw new Error(missing);
  console.warn(`SKIPPED test/cli/dig-compare.test.ts: ${missing}`);
}

/** Where a case asks. */
type Target = 'bind' | 'bind6' | 'rcode' | 'options' | 'unknown' | 'silent' | 'closed';

interface Case {
  readonly target: Target;
  /** Arguments after `@server -p PORT`, the same for both. */
  readonly args: readonly string[];
  /** Arguments only sansdns gets (options dig does not have). */
  readonly ours?: readonly string[];
}

const RDATA_ZOO = [
  'example.test', 'CAA', '_sip._tcp.example.test', 'SRV', 'naptr.example.test', 'NAPTR', 'hinfo.example.test', 'HINFO',
  'svc.example.test', 'HTTPS', 'alias.example.test', 'HTTPS', '_dns.svc.example.test', 'SVCB', 'longtxt.example.test', 'TXT',
  'txt.example.test', 'TXT', 'ttl0.example.test', 'aVeryLongLabelNameThatGoesOnAndOn.wild.example.test', 'example.test', 'SOA',
];

const RCODES = [...Array.from({ length: 25 }, (_, i) => i), 100, 4095].flatMap((r) => [`r${r}.test`]);

const CASES: readonly Case[] = [
  { target: 'bind', args: ['www.example.test'] },
  { target: 'bind', args: ['example.test', 'MX', '+norec'] },
  { target: 'bind', args: ['+short', 'chain1.example.test'] },
  { target: 'bind', args: ['chain1.example.test', '+short', 'example.test', 'MX'] },
  { target: 'bind', args: ['+noall', '+answer', 'txt.example.test', 'TXT'] },
  { target: 'bind', args: ['+noall', '+answer', ...RDATA_ZOO] },
  { target: 'bind', args: ['id.server', 'CH', 'TXT'] },
  { target: 'bind', args: ['-c', 'CH', '-t', 'TXT', '-q', 'id.server'] },
  { target: 'bind', args: ['version.bind', 'TXT', 'CLASS3'] },
  { target: 'bind', args: ['+dnssec', '+cd', 'www.example.test'] },
  { target: 'bind', args: ['+noedns', 'www.example.test'] },
  { target: 'bind', args: ['+nocookie', 'nothere.example.test'] },
  { target: 'bind', args: ['onlytxt.example.test'] },
  { target: 'bind', args: ['example.com'] },
  { target: 'bind', args: ['example.com', '+short'] },
  { target: 'bind', args: ['www.example.test', 'A', 'onlytxt.example.test', 'MX', 'example.test', 'NS', '+norec'] },
  { target: 'bind', args: ['-x', '192.0.2.1'] },
  { target: 'bind', args: ['+tcp', 'example.test', 'AAAA'] },
  { target: 'bind', args: ['+vc', '+notcp', 'example.test', 'AAAA'] },
  { target: 'bind', args: ['big.example.test'] },
  { target: 'bind', args: ['+nocomments', 'www.example.test'] },
  { target: 'bind', args: ['+nocmd', '+nostats', 'example.test', 'SOA'] },
  { target: 'bind', args: ['example.test', '+nocmd'] },
  { target: 'bind', args: ['+noquestion', '+noadditional', 'example.test', 'NS'] },
  { target: 'bind', args: ['+noall', '+comments', 'www.example.test'] },
  { target: 'bind', args: ['+noall', '+answer', '+stats', 'www.example.test'] },
  { target: 'bind', args: ['+noauthority', '+noanswer', 'nothere.example.test'] },
  { target: 'bind', args: ['+noclass', '+nottlid', 'example.test', 'MX'] },
  { target: 'bind', args: ['+nottlid', 'example.test', 'MX'] },
  { target: 'bind', args: ['+noclass', 'id.server', 'CH', 'TXT'] },
  { target: 'bind', args: ['+bufsize=4096', 'www.example.test'] },
  { target: 'bind', args: ['+time=2', '+tries=2', '+retry=1', 'www.example.test'] },
  { target: 'bind', args: ['+search', '+domain=example.test', '+ndots=1', 'www'] },
  { target: 'bind', args: ['+nosearch', '+ndots=1', 'www.example.test.'] },
  { target: 'bind', args: ['+idnout', 'xn--mnchen-3ya.example.test'] },
  { target: 'bind', args: ['+noidnout', 'xn--mnchen-3ya.example.test'] },
  { target: 'bind', args: ['+nocookie', '+norec', 'WwW.ExAmPlE.tEsT'], ours: ['--0x20'] },
  { target: 'bind', args: ['-4', 'www.example.test'] },
  { target: 'bind6', args: ['-6', 'www.example.test', 'AAAA'] },
  { target: 'bind', args: ['+nocmd', '+ans', '+noadd', '+nocl', 'example.test', 'MX'] },
  { target: 'rcode', args: ['+nocookie', ...RCODES] },
  { target: 'options', args: ['+nocookie', 'x.test'] },
  { target: 'unknown', args: ['+nocookie', 'x.test', 'TYPE65400'] },
  { target: 'unknown', args: ['+nocookie', '+short', 'x.test', 'TYPE65400'] },
  { target: 'silent', args: ['+time=1', '+tries=1', 'x.test'] },
  { target: 'silent', args: ['+short', '+time=1', '+tries=1', 'x.test'] },
  { target: 'silent', args: ['+nocmd', '+time=1', '+tries=1', 'x.test'] },
  { target: 'closed', args: ['+tries=1', 'x.test'] },
  { target: 'bind', args: ['+bogus', 'www.example.test'] },
  { target: 'bind', args: ['a..b'] },
  { target: 'bind', args: ['-t'] },
];

/** The lines both must agree on (see the header). */
function comparable(stdout: string): string[] {
  const lines = stdout.split('\n')
    .filter((l) => !/^; <<>> /.test(l) && !/^;; (Query time|SERVER|WHEN): /.test(l))
    .map((l) => l.replace(/(->>HEADER<<-.*, id: )\d+$/, '$1ID').replace(/^; COOKIE: [0-9a-f]+/, '; COOKIE: HEX'));
  // Sort each run of record lines (BIND rotates RRsets); comments and blanks keep their places.
  const out: string[] = [];
  let run: string[] = [];
  for (const l of [...lines, ';']) {
    if (l !== '' && !l.startsWith(';')) {
      run.push(l);
      continue;
    }
    out.push(...run.sort(), l);
    run = [];
  }
  return out.slice(0, -1);
}

async function dig(args: readonly string[]): Promise<{ status: number; stdout: string }> {
  try {
    const { stdout } = await exec('dig', [...args], { timeout: 30_000 });
    return { status: 0, stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { status: err.code, stdout: err.stdout };
  }
}

describe.skipIf(!ready)('sansdns speaks dig: the same output as dig 9.18 for a table of cases', () => {
  let bind: RunningServer;
  let fakes: Record<'rcode' | 'options' | 'unknown' | 'silent', FakeServer>;
  let closed: number;
  let ipv6 = false;

  beforeAll(async () => {
    ipv6 = await hasIpv6Loopback();
    bind = await startServer('bind', { ipv6 });
    fakes = {
      rcode: await startFake(rcodeAnswer), options: await startFake(optionsAnswer),
      unknown: await startFake(unknownTypesAnswer), silent: await startFake(() => undefined),
    };
    closed = await closedPort();
  });
  afterAll(async () => {
    await bind?.stop();
    for (const f of Object.values(fakes ?? {})) await f.close();
  });

  function server(t: Target): string[] {
    if (t === 'bind') return ['@127.0.0.1', '-p', String(bind.port)];
    if (t === 'bind6') return ['@::1', '-p', String(bind.port)];
    return ['@127.0.0.1', '-p', String(t === 'closed' ? closed : fakes[t].port)];
  }

  /** Run `once` again (four times at most) when a server that always answers seemed not to: a datagram lost on a busy machine. */
  const alwaysAnswers = (t: Target): boolean => t !== 'silent' && t !== 'closed';
  async function steady<T extends { stdout: string }>(t: Target, once: () => Promise<T>): Promise<T> {
    let r = await once();
    for (let i = 0; i < 4 && alwaysAnswers(t) && r.stdout.includes(': timed out'); i++) r = await once();
    return r;
  }

  it.each(CASES.map((c) => [[...c.args, ...(c.ours ?? [])].join(' ') + ` (${c.target})`, c] as const))('%s', async (_title, c) => {
    if (c.target === 'bind6' && !ipv6) return;
    const args = [...server(c.target), ...c.args];
    const [theirs, ours] = await Promise.all([steady(c.target, () => dig(args)), steady(c.target, () => runCli([...args, ...(c.ours ?? [])]))]);
    // From a server that always answers, a try that timed out is a datagram lost or late on a busy machine, not
    // output format: dig waits 5 s per try, our CLI its adaptive RTO, so only ours shows it. Compare without them.
    const shown = (stdout: string): string[] => comparable(stdout).filter((l) => alwaysAnswers(c.target) ? !/^;; communications error to .*: timed out$/.test(l) : true);
    expect(shown(ours.stdout)).toEqual(shown(theirs.stdout));
    expect(ours.status).toBe(theirs.status);
  });
});
