/**
 * A private signed DNS hierarchy on loopback for the DNSSEC interop tests,
 * signed by BIND: our own root, two TLDs and zones under them, keys made by
 * dnssec-keygen and zones signed by dnssec-signzone (every algorithm the
 * validator supports, NSEC and NSEC3 with and without opt-out, wildcards,
 * empty non-terminals, DNAME, unsigned delegations, and broken variants),
 * served by one authoritative `named` on a port in 22000-22999, with
 * `delv` (BIND's validating lookup tool) as a reference validator using
 * our root key as its only trust anchor. This module imports nothing from `src/`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { breakSigned, delegations, fileBase, fqdn, leafText, missingOf, ROOT_TEXT, startDaemon, writeAnchors, wrongDs, type Daemon, type Hierarchy, type ZoneSpec } from './dnssec-hierarchy.js';

/** The tools the suite needs, with their Debian packages. */
export const TOOLS: readonly [string, string][] = [['named', 'bind9'], ['dnssec-keygen', 'bind9-utils'], ['dnssec-signzone', 'bind9-utils'], ['dnssec-dsfromkey', 'bind9-utils'], ['delv', 'bind9-dnsutils']];

/** The first missing tool, as a skip message, or `undefined`. */
export function missingTool(): string | undefined {
  return missingOf(TOOLS, 'the DNSSEC interop tests');
}

/** Every zone, children before parents; algorithms as dnssec-keygen names them. */
export const ZONES: readonly ZoneSpec[] = [
  { origin: 'alg5.tld', algorithm: 'RSASHA1' },
  { origin: 'alg7.tld', algorithm: 'NSEC3RSASHA1', nsec3: 'nsec3' },
  { origin: 'alg8.tld', algorithm: 'RSASHA256', extra: 'dn DNAME alg13.tld.\n' },
  { origin: 'alg10.tld', algorithm: 'RSASHA512' },
  { origin: 'alg13.tld', algorithm: 'ECDSAP256SHA256', nsec3: 'nsec3' },
  { origin: 'alg14.tld', algorithm: 'ECDSAP384SHA384' },
  { origin: 'alg15.tld', algorithm: 'ED25519', extra: 'out CNAME www.alg16.tld.\nins CNAME www.unsigned.nsec.\n' },
  { origin: 'alg16.tld', algorithm: 'ED448', nsec3: 'nsec3' },
  { origin: 'expired.tld', algorithm: 'ECDSAP256SHA256', breaks: 'expired' },
  { origin: 'future.tld', algorithm: 'ECDSAP256SHA256', breaks: 'future' },
  { origin: 'wrongds.tld', algorithm: 'ECDSAP256SHA256', breaks: 'wrong-ds' },
  { origin: 'norrsig.tld', algorithm: 'ED25519', breaks: 'no-rrsig' },
  { origin: 'badnsec.tld', algorithm: 'ED25519', breaks: 'bad-nsec' },
  { origin: 'badnsec3.tld', algorithm: 'ECDSAP256SHA256', nsec3: 'nsec3', breaks: 'bad-nsec' },
  { origin: 'unsigned.tld' },
  { origin: 'unsigned.optout.tld' },
  { origin: 'optout.tld', algorithm: 'ECDSAP256SHA256', nsec3: 'opt-out' },
  { origin: 'unsigned.nsec' },
  { origin: 'signed.nsec', algorithm: 'ECDSAP384SHA384' },
  { origin: 'tld', algorithm: 'ECDSAP256SHA256', nsec3: 'opt-out' },
  { origin: 'nsec', algorithm: 'ED25519' },
  { origin: '.', algorithm: 'RSASHA256' },
];

function utc(unix: number): string {
  return new Date(unix * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Sign one zone: keys, DS lines of its children, signing, breaks; its KSK's DS goes to `dsOf`. */
function signZone(dir: string, z: ZoneSpec, dsOf: Map<string, string>, now: number): void {
  const file = join(dir, `${fileBase(z.origin)}.zone`);
  writeFileSync(file, `$ORIGIN ${fqdn(z.origin)}\n${z.origin === '.' ? ROOT_TEXT : leafText(z)}\n${delegations(ZONES, z, dsOf)}\n`);
  if (z.algorithm === undefined) return;
  const keys = join(dir, 'keys', fileBase(z.origin));
  run('mkdir', ['-p', keys], dir);
  const bits = z.algorithm.startsWith('RSA') || z.algorithm.startsWith('NSEC3RSA') ? ['-b', '2048'] : [];
  const ksk = run('dnssec-keygen', ['-q', '-K', keys, '-a', z.algorithm, ...bits, '-f', 'KSK', '-n', 'ZONE', fqdn(z.origin)], dir).trim();
  run('dnssec-keygen', ['-q', '-K', keys, '-a', z.algorithm, ...bits, '-n', 'ZONE', fqdn(z.origin)], dir);
  const ds = run('dnssec-dsfromkey', ['-2', join(keys, `${ksk}.key`)], dir);
  dsOf.set(z.origin, z.breaks === 'wrong-ds' ? wrongDs(ds) : ds);
  const times = z.breaks === 'expired' ? ['-s', utc(now - 10 * 86400), '-e', utc(now - 86400)]
    : z.breaks === 'future' ? ['-s', utc(now + 86400), '-e', utc(now + 30 * 86400)] : ['-s', utc(now - 3600), '-e', utc(now + 30 * 86400)];
  const nsec3 = z.nsec3 === undefined ? [] : ['-3', 'aabbccdd', '-H', '0', ...(z.nsec3 === 'opt-out' ? ['-A'] : [])];
  const signed = `${file}.signed`;
  run('dnssec-signzone', ['-S', '-K', keys, '-P', '-O', 'full', ...times, ...nsec3, '-o', fqdn(z.origin), '-f', signed, file], dir);
  writeFileSync(signed, breakSigned(readFileSync(signed, 'utf8'), z));
}

/** Build, sign and break the hierarchy in a fresh dir under /tmp. */
export function buildHierarchy(now = Math.floor(Date.now() / 1000)): Hierarchy {
  const dir = mkdtempSync(join(tmpdir(), 'dnssec-interop-'));
  const dsOf = new Map<string, string>();
  const files = new Map<string, string>();
  for (const z of ZONES) {
    signZone(dir, z, dsOf, now);
    const base = join(dir, `${fileBase(z.origin)}.zone`);
    files.set(z.origin, z.algorithm === undefined ? base : `${base}.signed`);
  }
  const [anchorText, delvAnchorFile] = writeAnchors(dir, dsOf.get('.') as string);
  return { dir, zones: ZONES, files, anchorText, delvAnchorFile };
}

/** named.conf serving every zone of `h` on 127.0.0.1:`port`. */
export function namedConf(h: Hierarchy, port: number): string {
  const zones = [...h.files].map(([origin, file]) => `zone "${fqdn(origin)}" { type primary; file "${file}"; };`).join('\n');
  return `options {
  directory "${h.dir}";
  pid-file none;
  session-keyfile none;
  managed-keys-directory "${h.dir}";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  automatic-interface-scan no;
  recursion no;
  allow-query { any; };
  notify no;
  dnssec-validation no;
  minimal-responses no;
};
controls { };
${zones}
`;
}

/** Start `named` on a free port of 22000-22999 serving the hierarchy. */
export function startNamed(h: Hierarchy): Promise<Daemon> {
  return startDaemon((port) => {
    writeFileSync(join(h.dir, 'named.conf'), namedConf(h, port));
    return ['named', '-g', '-n', '1', '-c', join(h.dir, 'named.conf')];
  }, h.dir);
}

/** The argv of `named` serving the hierarchy on 127.0.0.1:53, for the unbound run inside its namespace. */
export function named53(h: Hierarchy): string[] {
  writeFileSync(join(h.dir, 'named53.conf'), namedConf(h, 53));
  return ['named', '-g', '-n', '1', '-c', join(h.dir, 'named53.conf')];
}
