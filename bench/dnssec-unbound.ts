/**
 * DNSSEC validation cost beside unbound's (issue 16), on real sockets, in one run.
 *
 *   npm run bench -- dnssec-unbound      (needs root: a network namespace)
 *
 * A signed hierarchy (a root, `tld`, `example.tld` with 2,000 hosts; ECDSA
 * P-256, NSEC; signed by dnssec-signzone) is served by knotd, whose mod-stats
 * counts the queries it receives. Inside a network namespace of its own
 * (`unshare --net`: loopback only; unbound's only root hint is 127.0.0.1),
 * `dnssec-unbound-ns.ts` then resolves the same names four ways, each with a
 * warm chain (the chain proved once, then 2,000 other names under it) and a
 * cold one (100 names, nothing cached before each):
 *
 * - sansdns: `NodeResolver` with `dnssec` (node:crypto), and without (DO set,
 *   the same bytes on the wire, nothing checked): a stub asking the
 *   authoritative server directly; cold is `cache: false` and
 *   `keyCacheEntries: 0`, so each answer fetches and checks its whole chain;
 * - unbound: validating, and with `module-config: "iterator"` only:
 *   recursive from the root; cold is `unbound-control flush_zone .` before
 *   each name (not measured).
 *
 * CPU per answer is this process's (`process.cpuUsage`) for sansdns and the
 * unbound process's own (`/proc/PID/task/*\/schedstat`, ns) for unbound; queries are
 * those the authoritative server received per answer. Only ratios travel.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const WARM = 2000;
export const COLD = 100;

const ZONES = ['example.tld', 'tld', '.'] as const;
const fqdn = (o: string): string => (o === '.' ? '.' : `${o}.`);
const file = (o: string): string => (o === '.' ? 'root' : o);

function zoneText(origin: string, ds: ReadonlyMap<string, string>): string {
  const soa = `$TTL 3600\n@ SOA ns.${fqdn(origin === '.' ? 'root' : origin)} hostmaster. 1 3600 600 86400 300\n`;
  if (origin === '.') return `$ORIGIN .\n${soa}. NS ns.root.\nns.root. A 127.0.0.1\ntld. NS ns.tld.\nns.tld. A 127.0.0.1\n${ds.get('tld') as string}`;
  if (origin === 'tld') return `$ORIGIN tld.\n${soa}@ NS ns\nns A 127.0.0.1\nexample NS ns.example\nns.example A 127.0.0.1\n${ds.get('example.tld') as string}`;
  const hosts = Array.from({ length: WARM }, (_, i) => `host-${i} A 192.0.2.${i % 250 + 1}`).join('\n');
  return `$ORIGIN example.tld.\n${soa}@ NS ns\nns A 127.0.0.1\nwww A 192.0.2.1\n${hosts}\n`;
}

/** Keys, signing (children first), and the root's DS for the trust anchor. */
function sign(dir: string): string {
  const ds = new Map<string, string>();
  for (const z of ZONES) {
    const keys = join(dir, 'keys', file(z));
    mkdirSync(keys, { recursive: true });
    const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const ksk = run('dnssec-keygen', ['-q', '-K', keys, '-a', 'ECDSAP256SHA256', '-f', 'KSK', '-n', 'ZONE', fqdn(z)]).trim();
    run('dnssec-keygen', ['-q', '-K', keys, '-a', 'ECDSAP256SHA256', '-n', 'ZONE', fqdn(z)]);
    ds.set(z, run('dnssec-dsfromkey', ['-2', join(keys, `${ksk}.key`)]));
    const f = join(dir, `${file(z)}.zone`);
    writeFileSync(f, zoneText(z, ds));
    run('dnssec-signzone', ['-S', '-K', keys, '-P', '-O', 'full', '-o', fqdn(z), '-f', `${f}.signed`, f]);
  }
  return (ds.get('.') as string).trim().replace(/^\.\s+IN\s+/, '. ');
}

function configs(dir: string, anchor: string): void {
  writeFileSync(join(dir, 'knot.conf'), `server:
    rundir: "${dir}"
    listen: 127.0.0.1@53
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "${dir}/knotdb"
control:
    listen: "${dir}/knot.sock"
log:
  - target: stderr
    any: warning
mod-stats:
  - id: default
    request-protocol: on
template:
  - id: default
    storage: "${dir}"
    global-module: mod-stats/default
    zonefile-sync: -1
    journal-content: none
zone:
${ZONES.map((z) => `  - domain: ${fqdn(z)}\n    file: ${file(z)}.zone.signed`).join('\n')}
`);
  writeFileSync(join(dir, 'root.hints'), '. 3600 IN NS ns.root.\nns.root. 3600 IN A 127.0.0.1\n');
  for (const [name, address, validating] of [['validating', '127.0.0.2', true], ['plain', '127.0.0.3', false]] as const) {
    writeFileSync(join(dir, `unbound-${name}.conf`), `server:
  interface: ${address}@53
  num-threads: 1
  do-ip6: no
  chroot: ""
  username: ""
  directory: "${dir}"
  pidfile: ""
  use-syslog: no
  logfile: ""
  verbosity: 0
  do-not-query-localhost: no
  root-hints: "${join(dir, 'root.hints')}"
  ${validating ? `trust-anchor: "${anchor}"\n  module-config: "validator iterator"` : 'module-config: "iterator"'}
  qname-minimisation: no
  prefetch: no
  access-control: 127.0.0.0/8 allow
remote-control:
  control-enable: yes
  control-interface: "${join(dir, `unbound-${name}.ctl`)}"
  control-use-cert: no
`);
  }
}

/** One measured way of resolving, as the namespace run prints it. */
export interface Figure {
  readonly label: string;
  readonly resolver: 'sansdns' | 'unbound';
  readonly validating: boolean;
  readonly chain: 'warm' | 'cold';
  readonly answers: number;
  /** CPU per answer, µs. */
  readonly cpuUs: number;
  /** Queries the authoritative server received per answer. */
  readonly queries: number;
}

function table(figures: readonly Figure[]): void {
  const find = (r: Figure['resolver'], v: boolean, c: Figure['chain']): Figure => figures.find((f) => f.resolver === r && f.validating === v && f.chain === c) as Figure;
  console.log('\nper answer: CPU µs | queries at the authoritative | CPU vs the same resolver without validation | CPU vs unbound doing the same');
  for (const chain of ['warm', 'cold'] as const) {
    for (const resolver of ['sansdns', 'unbound'] as const) {
      for (const validating of [false, true]) {
        const f = find(resolver, validating, chain);
        const base = find(resolver, false, chain);
        const other = find(resolver === 'sansdns' ? 'unbound' : 'sansdns', validating, chain);
        const vsOther = resolver === 'sansdns' ? `${(f.cpuUs / other.cpuUs).toFixed(2)}× unbound` : '';
        console.log(`  ${f.label.padEnd(62)} ${f.cpuUs.toFixed(1).padStart(8)} | ${f.queries.toFixed(2).padStart(5)} | ${validating ? `${(f.cpuUs / base.cpuUs).toFixed(2)}×` : 'baseline'} | ${vsOther}`);
      }
    }
  }
}

export async function run(): Promise<void> {
  try {
    execFileSync('unshare', ['--net', 'true'], { stdio: 'ignore' });
  } catch {
    console.log('skipped: cannot create a network namespace (unshare --net needs root)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-dnssec-unbound-'));
  try {
    const t0 = performance.now();
    const anchor = sign(dir);
    configs(dir, anchor);
    console.log(`hierarchy of ${WARM} hosts signed in ${Math.round(performance.now() - t0)} ms (not measured); load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
    const out = execFileSync('unshare', ['--net', process.execPath, '--import', 'tsx', join(import.meta.dirname, 'dnssec-unbound-ns.ts'), dir, anchor], { encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 24 });
    const figures = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Figure);
    table(figures);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
