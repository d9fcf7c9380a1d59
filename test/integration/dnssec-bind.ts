/**
 * A private signed DNS hierarchy on loopback for the DNSSEC interop tests:
 * our own root, two TLDs and zones under them, keys made by BIND's
 * dnssec-keygen and zones signed by dnssec-signzone (every algorithm the
 * validator supports, NSEC and NSEC3 with and without opt-out, wildcards,
 * empty non-terminals, DNAME, unsigned delegations, and broken variants),
 * served by one authoritative `named` on a port in 22000-22999, with
 * `delv` (BIND's validating lookup tool) as the reference validator using
 * our root key as its only trust anchor. This module imports nothing from `src/`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dgram from 'node:dgram';
import { spawnKept } from '../helpers/daemon.js';

/** The tools the suite needs, with their Debian packages. */
export const TOOLS: readonly [string, string][] = [['named', 'bind9'], ['dnssec-keygen', 'bind9-utils'], ['dnssec-signzone', 'bind9-utils'], ['dnssec-dsfromkey', 'bind9-utils'], ['delv', 'bind9-dnsutils']];

/** The first missing tool, as a skip message, or `undefined`. */
export function missingTool(): string | undefined {
  for (const [tool, pkg] of TOOLS) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool} || test -x /usr/sbin/${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} not found (Debian package ${pkg}); skipping the DNSSEC interop tests`;
    }
  }
  return undefined;
}

type Break = 'expired' | 'future' | 'wrong-ds' | 'no-rrsig' | 'bad-nsec' | 'unsigned';

interface ZoneSpec {
  readonly origin: string;
  /** DNSSEC algorithm mnemonic for dnssec-keygen; none for an unsigned zone. */
  readonly algorithm?: string;
  readonly nsec3?: 'nsec3' | 'opt-out';
  readonly breaks?: Break;
  readonly extra?: string;
}

/** Every zone, children before parents. */
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

function leafText(z: ZoneSpec): string {
  return `$TTL 300
@ SOA ns hostmaster 1 3600 600 86400 300
@ NS ns
ns A 127.0.0.1
www A 192.0.2.1
www AAAA 2001:db8::1
mail MX 10 www
txt TXT "hello"
*.wild TXT "wild"
alias CNAME www
a.b.deep A 192.0.2.9
${z.extra ?? ''}`;
}

function parentOf(origin: string): string {
  const i = origin.indexOf('.');
  return i < 0 ? '.' : origin.slice(i + 1);
}

const fqdn = (o: string): string => (o === '.' ? '.' : `${o}.`);

function utc(unix: number): string {
  return new Date(unix * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Sign one zone: keys, DS lines of its children, signing, breaks. Returns the KSK's DS lines. */
function signZone(dir: string, z: ZoneSpec, children: readonly ZoneSpec[], dsOf: Map<string, string>, now: number): void {
  const delegations = children.map((c) => `${fqdn(c.origin)} NS ns.${fqdn(c.origin)}\nns.${fqdn(c.origin)} A 127.0.0.1\n${dsOf.get(c.origin) ?? ''}`).join('\n');
  const file = join(dir, `${z.origin === '.' ? 'root' : z.origin}.zone`);
  const body = z.origin === '.' ? `$TTL 300\n. SOA ns.root. hostmaster.root. 1 3600 600 86400 300\n. NS ns.root.\nns.root. A 127.0.0.1\n` : leafText(z);
  writeFileSync(file, `$ORIGIN ${fqdn(z.origin)}\n${body}\n${delegations}\n`);
  if (z.algorithm === undefined) return;
  const keys = join(dir, 'keys', z.origin === '.' ? 'root' : z.origin);
  run('mkdir', ['-p', keys], dir);
  const bits = z.algorithm.startsWith('RSA') || z.algorithm.startsWith('NSEC3RSA') ? ['-b', '2048'] : [];
  const ksk = run('dnssec-keygen', ['-q', '-K', keys, '-a', z.algorithm, ...bits, '-f', 'KSK', '-n', 'ZONE', fqdn(z.origin)], dir).trim();
  run('dnssec-keygen', ['-q', '-K', keys, '-a', z.algorithm, ...bits, '-n', 'ZONE', fqdn(z.origin)], dir);
  let ds = run('dnssec-dsfromkey', ['-2', join(keys, `${ksk}.key`)], dir);
  if (z.breaks === 'wrong-ds') ds = ds.replace(/([0-9A-F])(\s*)$/i, (_m, c: string, s: string) => `${c === '0' ? '1' : '0'}${s}`);
  dsOf.set(z.origin, ds);
  const times = z.breaks === 'expired' ? ['-s', utc(now - 10 * 86400), '-e', utc(now - 86400)]
    : z.breaks === 'future' ? ['-s', utc(now + 86400), '-e', utc(now + 30 * 86400)] : ['-s', utc(now - 3600), '-e', utc(now + 30 * 86400)];
  const nsec3 = z.nsec3 === undefined ? [] : ['-3', 'aabbccdd', '-H', '0', ...(z.nsec3 === 'opt-out' ? ['-A'] : [])];
  const signed = `${file}.signed`;
  run('dnssec-signzone', ['-S', '-K', keys, '-P', '-O', 'full', ...times, ...nsec3, '-o', fqdn(z.origin), '-f', signed, file], dir);
  let text = readFileSync(signed, 'utf8');
  if (z.breaks === 'no-rrsig') text = text.split('\n').filter((l) => !new RegExp(`^www\\.${z.origin.replace(/\./g, '\\.')}\\.\\s+\\d+\\s+IN\\s+RRSIG\\s+A\\s`).test(l)).join('\n');
  if (z.breaks === 'bad-nsec') text = text.split('\n').map((l) => (/\sIN\s+NSEC3?\s/.test(l) ? `${l} TYPE65534` : l)).join('\n');
  writeFileSync(signed, text);
}

export interface Hierarchy {
  readonly dir: string;
  /** Zone files by origin (the signed one when signed). */
  readonly files: Map<string, string>;
  /** The root KSK as a DS record in zone-file text (our `trustAnchors`). */
  readonly anchorText: string;
  /** The same for delv: a `trust-anchors` block in a file. */
  readonly delvAnchorFile: string;
}

/** Build, sign and break the hierarchy in a fresh dir under /tmp. */
export function buildHierarchy(now = Math.floor(Date.now() / 1000)): Hierarchy {
  const dir = mkdtempSync(join(tmpdir(), 'dnssec-interop-'));
  const dsOf = new Map<string, string>();
  const files = new Map<string, string>();
  for (const z of ZONES) {
    const children = ZONES.filter((c) => c.origin !== '.' && parentOf(c.origin) === z.origin);
    signZone(dir, z, children, dsOf, now);
    const base = join(dir, `${z.origin === '.' ? 'root' : z.origin}.zone`);
    files.set(z.origin, z.algorithm === undefined ? base : `${base}.signed`);
  }
  const rootDs = (dsOf.get('.') as string).trim();
  const [, , , tag, alg, type, digest] = /^(\S+)\s+(IN\s+)?DS\s+(\d+)\s+(\d+)\s+(\d+)\s+([0-9A-Fa-f]+)/.exec(rootDs) as unknown as string[];
  const delvAnchorFile = join(dir, 'anchor.conf');
  writeFileSync(delvAnchorFile, `trust-anchors {\n  . static-ds ${tag} ${alg} ${type} "${digest}";\n};\n`);
  return { dir, files, anchorText: `. IN DS ${tag} ${alg} ${type} ${digest}`, delvAnchorFile };
}

export interface Named {
  readonly port: number;
  stop(): Promise<void>;
  log(): string;
}

function namedConf(h: Hierarchy, port: number): string {
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

function probe(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const q = Buffer.from([0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 1]);
    const t = setTimeout(() => { s.close(); resolve(false); }, 200);
    s.on('error', () => { clearTimeout(t); s.close(); resolve(false); });
    s.on('message', (m) => { clearTimeout(t); s.close(); resolve(m.readUInt16BE(0) === 0x1234 && (m[3]! & 0x0f) === 0); });
    s.send(q, port, '127.0.0.1');
  });
}

/** Start `named` on a free port of 22000-22999 serving the hierarchy. */
export async function startNamed(h: Hierarchy): Promise<Named> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const port = 22000 + Math.floor(Math.random() * 1000);
    writeFileSync(join(h.dir, 'named.conf'), namedConf(h, port));
    const { child, log, stop } = spawnKept('named', ['-g', '-n', '1', '-c', join(h.dir, 'named.conf')], h.dir);
    for (let i = 0; i < 100 && child.exitCode === null; i++) {
      if (await probe(port)) return { port, stop, log };
      await new Promise((r) => setTimeout(r, 50));
    }
    await stop();
    if (!/address in use/i.test(log())) throw new Error(`named did not start:\n${log()}`);
  }
  throw new Error('no free port for named in 22000-22999');
}

/** delv's verdict: secure, insecure, bogus, or the failure it printed. */
export type DelvVerdict = 'secure' | 'insecure' | 'bogus' | `other: ${string}`;

/** Ask delv (validating, our root key as its only anchor) and read its verdict. */
export function delv(h: Hierarchy, port: number, name: string, type: string): Promise<{ verdict: DelvVerdict; text: string }> {
  return new Promise((resolve) => {
    const child = spawn('delv', [`@127.0.0.1`, '-p', String(port), '-a', h.delvAnchorFile, '+root=.', name, type], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => { text += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { text += d.toString(); });
    child.once('exit', () => resolve({ verdict: delvVerdict(text), text }));
  });
}

/** delv's verdict; a failure anywhere on the way (a CNAME target, say) makes the whole lookup bogus. */
function delvVerdict(text: string): DelvVerdict {
  if (/insecurity proof failed|broken trust chain|no valid signature found|no valid RRSIG/.test(text)) return 'bogus';
  if (/; (negative response, )?fully validated/.test(text)) return 'secure';
  if (/; (negative response, )?unsigned answer/.test(text)) return 'insecure';
  if (/resolution failed/.test(text)) return /SERVFAIL|broken trust chain|no valid|failed to verify|insecurity proof failed|bad cache hit|expired|not yet valid|no valid RRSIG|validation/i.test(text) ? 'bogus' : `other: ${text.trim().split('\n').pop() ?? ''}`;
  return `other: ${text.trim().split('\n').pop() ?? ''}`;
}

/**
 * Configs for the unbound run (`dnssec-unbound-run.ts`, inside a network
 * namespace): named on 127.0.0.1:53, unbound on 127.0.0.2:53 with a root
 * hint at 127.0.0.1 only and our root DS as its only trust anchor.
 */
export function writeUnboundConfigs(h: Hierarchy): void {
  writeFileSync(join(h.dir, 'named53.conf'), namedConf(h, 53));
  writeFileSync(join(h.dir, 'root.hints'), '. 3600 IN NS ns.root.\nns.root. 3600 IN A 127.0.0.1\n');
  writeFileSync(join(h.dir, 'unbound.conf'), `server:
  interface: 127.0.0.2@53
  do-ip6: no
  chroot: ""
  username: ""
  directory: "${h.dir}"
  pidfile: ""
  use-syslog: no
  logfile: ""
  verbosity: 0
  do-not-query-localhost: no
  root-hints: "${join(h.dir, 'root.hints')}"
  trust-anchor: "${h.anchorText.replace(' IN ', ' ')}"
  module-config: "validator iterator"
  qname-minimisation: no
  aggressive-nsec: no
  access-control: 127.0.0.0/8 allow
  val-sig-skew-min: 0
  val-sig-skew-max: 0
remote-control:
  control-enable: no
`);
}

/** Remove the hierarchy's dir. */
export function removeHierarchy(h: Hierarchy): void {
  rmSync(h.dir, { recursive: true, force: true });
}

/** The zone files written (for debugging a failure). */
export function listFiles(h: Hierarchy): string[] {
  return readdirSync(h.dir);
}
