/**
 * The same kind of private signed hierarchy as `dnssec-bind.ts`, signed by
 * Knot DNS: keys made by `keymgr`, zones signed by `knotd`'s automatic
 * signing (`dnssec-signing: on` with a policy per algorithm and denial
 * kind), then transferred out (AXFR) and served, pre-signed, by one `knotd`
 * with signing off. Every algorithm of the issue (8, 10, 13, 14, 15, 16),
 * NSEC, NSEC3 and NSEC3 opt-out, and the broken variants:
 *
 * - expired / not yet valid: signed by a `knotd` (and keys made by a
 *   `keymgr`) whose clock libfaketime moves 30 days back or 2 days ahead,
 *   so Knot itself writes the validity periods;
 * - wrong DS: the parent (also Knot-signed) publishes a DS whose digest is off;
 * - missing RRSIG, bogus NSEC/NSEC3: Knot's signed output edited after signing
 *   (an RRSIG removed; a type added to NSEC/NSEC3 bitmaps under their
 *   signatures), the only way to get them, as with BIND.
 *
 * This module imports nothing from `src/`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { breakSigned, delegations, fileBase, fqdn, leafText, missingOf, probe, ROOT_TEXT, startDaemon, writeAnchors, wrongDs, type Daemon, type Hierarchy, type ZoneSpec } from './dnssec-hierarchy.js';

const exec = promisify(execFile);

/** The tools the Knot suite needs, with their Debian packages. */
const TOOLS: readonly [string, string][] = [['knotd', 'knot'], ['keymgr', 'knot'], ['dig', 'bind9-dnsutils'], ['delv', 'bind9-dnsutils']];

/** libfaketime's multi-threaded preload library (Debian package libfaketime), or `undefined`. */
export function faketimeLibrary(): string | undefined {
  for (const lib of ['/usr/lib', '/usr/lib64', '/lib']) {
    if (!existsSync(lib)) continue;
    for (const d of ['', ...readdirSync(lib)]) {
      const f = join(lib, d, 'faketime', 'libfaketimeMT.so.1');
      if (existsSync(f)) return f;
    }
  }
  return undefined;
}

/** The first missing tool, as a skip message, or `undefined`. */
export function missingKnotTool(): string | undefined {
  const tool = missingOf(TOOLS, 'the Knot-signed DNSSEC interop tests');
  if (tool !== undefined) return tool;
  return faketimeLibrary() === undefined ? 'libfaketime not found (Debian package faketime); skipping the Knot-signed DNSSEC interop tests' : undefined;
}

/** Every zone, children before parents; algorithms as Knot's policies name them. */
export const KNOT_ZONES: readonly ZoneSpec[] = [
  { origin: 'alg8.tld', algorithm: 'rsasha256', extra: 'dn DNAME alg13.tld.\n' },
  { origin: 'alg10.tld', algorithm: 'rsasha512', nsec3: 'nsec3' },
  { origin: 'alg13.tld', algorithm: 'ecdsap256sha256', nsec3: 'nsec3' },
  { origin: 'alg14.tld', algorithm: 'ecdsap384sha384' },
  { origin: 'alg15.tld', algorithm: 'ed25519', extra: 'out CNAME www.alg16.tld.\nins CNAME www.unsigned.nsec.\n' },
  { origin: 'alg16.tld', algorithm: 'ed448', nsec3: 'nsec3' },
  { origin: 'expired.tld', algorithm: 'ecdsap256sha256', nsec3: 'nsec3', breaks: 'expired' },
  { origin: 'future.tld', algorithm: 'ed25519', breaks: 'future' },
  { origin: 'wrongds.tld', algorithm: 'ed25519', breaks: 'wrong-ds' },
  { origin: 'norrsig.tld', algorithm: 'ecdsap384sha384', nsec3: 'nsec3', breaks: 'no-rrsig' },
  { origin: 'badnsec.tld', algorithm: 'ed25519', breaks: 'bad-nsec' },
  { origin: 'badnsec3.tld', algorithm: 'ecdsap256sha256', nsec3: 'nsec3', breaks: 'bad-nsec' },
  { origin: 'unsigned.tld' },
  { origin: 'unsigned.optout.tld' },
  { origin: 'optout.tld', algorithm: 'ecdsap256sha256', nsec3: 'opt-out' },
  { origin: 'unsigned.nsec' },
  { origin: 'signed.nsec', algorithm: 'ed448' },
  { origin: 'tld', algorithm: 'ecdsap256sha256', nsec3: 'opt-out' },
  { origin: 'nsec', algorithm: 'ed25519' },
  { origin: '.', algorithm: 'rsasha256' },
];

/** The signer a zone goes to: its clock (libfaketime's FAKETIME) is the point of the expiry breaks. */
type Clock = 'now' | 'past' | 'future';
const FAKETIME: Record<Clock, string | undefined> = { now: undefined, past: '-30d', future: '+2d' };
const clockOf = (z: ZoneSpec): Clock => (z.breaks === 'expired' ? 'past' : z.breaks === 'future' ? 'future' : 'now');

function clockEnv(clock: Clock): NodeJS.ProcessEnv {
  const shift = FAKETIME[clock];
  if (shift === undefined) return process.env;
  return { ...process.env, LD_PRELOAD: faketimeLibrary(), FAKETIME: shift, FAKETIME_DONT_FAKE_MONOTONIC: '1' };
}

const policyId = (z: ZoneSpec): string => `${z.algorithm as string}-${z.nsec3 ?? 'nsec'}`;

function policies(zones: readonly ZoneSpec[]): string {
  const seen = new Map<string, ZoneSpec>();
  for (const z of zones) if (z.algorithm !== undefined) seen.set(policyId(z), z);
  return [...seen].map(([id, z]) => `  - id: ${id}
    manual: on
    algorithm: ${z.algorithm as string}${z.algorithm?.startsWith('rsa') === true ? '\n    ksk-size: 2048\n    zsk-size: 2048' : ''}
    rrsig-lifetime: 14d
    nsec3: ${z.nsec3 === undefined ? 'off' : 'on'}
    nsec3-iterations: 0
    nsec3-salt-length: 4
    nsec3-opt-out: ${z.nsec3 === 'opt-out' ? 'on' : 'off'}`).join('\n');
}

/** A knotd config: `signing` zones signed by their policy from `zonesDir`, or served as they are. */
function knotConf(dir: string, port: number, zones: readonly ZoneSpec[], signing: boolean, zonesDir: string): string {
  const zoneLines = zones.map((z) => `  - domain: ${fqdn(z.origin)}
    file: ${fileBase(z.origin)}.zone${signing && z.algorithm !== undefined ? `\n    dnssec-signing: on\n    dnssec-policy: ${policyId(z)}` : ''}`).join('\n');
  return `server:
    rundir: "${dir}"
    listen: 127.0.0.1@${port}
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "${dir}"
log:
  - target: stderr
    any: warning
acl:
  - id: transfer
    address: 127.0.0.0/8
    action: transfer
${signing ? `policy:\n${policies(zones)}\n` : ''}template:
  - id: default
    storage: "${zonesDir}"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: off
    acl: transfer
zone:
${zoneLines}
`;
}

/** keymgr over the signer's KASP database, on the signer's clock. */
async function keymgr(conf: string, z: ZoneSpec, ...args: string[]): Promise<string> {
  const size = z.algorithm?.startsWith('rsa') === true ? ['size=2048'] : [];
  const r = await exec('keymgr', ['-c', conf, fqdn(z.origin), ...args, ...(args[0] === 'generate' ? [`algorithm=${z.algorithm as string}`, ...size] : [])], { env: clockEnv(clockOf(z)) });
  return r.stdout;
}

/** One signer per clock: its dir and config (the port is filled in at start). */
interface Signer { readonly clock: Clock; readonly dir: string; readonly zones: ZoneSpec[] }

/** Keys for every signed zone, and its DS (SHA-256) as Knot computes it. */
async function makeKeys(signers: readonly Signer[], dsOf: Map<string, string>): Promise<void> {
  await Promise.all(signers.map(async (s) => {
    const conf = join(s.dir, 'keys.conf');
    writeFileSync(conf, knotConf(s.dir, 53, s.zones, true, join(s.dir, 'zones')));
    for (const z of s.zones) {
      if (z.algorithm === undefined) continue;
      await keymgr(conf, z, 'generate', 'ksk=yes', 'zsk=no');
      await keymgr(conf, z, 'generate', 'ksk=no', 'zsk=yes');
      const ds = (await keymgr(conf, z, 'ds')).split('\n').find((l) => /\sDS\s+\d+\s+\d+\s+2\s/.test(l)) as string;
      dsOf.set(z.origin, z.breaks === 'wrong-ds' ? wrongDs(`${ds}\n`) : `${ds}\n`);
    }
  }));
}

/** The signed zone as Knot serves it, by AXFR (dig's text is master-file text). */
async function transfer(port: number, origin: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const r = await exec('dig', ['+norec', '+nocmd', '+nostats', '+nocomments', '+onesoa', '-p', String(port), '@127.0.0.1', fqdn(origin), 'AXFR']).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
    const text = r.stdout.split('\n').filter((l) => l !== '' && !l.startsWith(';')).join('\n');
    if (/\sIN\s+RRSIG\s+SOA\s/.test(text)) return `${text}\n`;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`knotd did not sign ${origin}`);
}

/** Run each signer, take its zones out signed, stop it. */
async function sign(signers: readonly Signer[], zonesOut: string): Promise<void> {
  await Promise.all(signers.map(async (s) => {
    const first = s.zones[0] as ZoneSpec;
    const knot: Daemon = await startDaemon((port) => {
      writeFileSync(join(s.dir, 'knot.conf'), knotConf(s.dir, port, s.zones, true, join(s.dir, 'zones')));
      return ['knotd', '-c', join(s.dir, 'knot.conf')];
    }, s.dir, clockEnv(s.clock), (port) => probe(port, first.origin === '.' ? [] : first.origin.split('.')));
    try {
      for (const z of s.zones) {
        if (z.algorithm === undefined) continue;
        writeFileSync(join(zonesOut, `${fileBase(z.origin)}.zone`), breakSigned(await transfer(knot.port, z.origin), z));
      }
    } finally {
      await knot.stop();
    }
  }));
}

/** Build, sign (by Knot) and break the hierarchy in a fresh dir under /tmp. */
export async function buildKnotHierarchy(): Promise<Hierarchy> {
  const dir = mkdtempSync(join(tmpdir(), 'dnssec-knot-'));
  const served = join(dir, 'served');
  mkdirSync(served);
  const signers: Signer[] = (['now', 'past', 'future'] as const).map((clock) => ({ clock, dir: join(dir, clock), zones: KNOT_ZONES.filter((z) => z.algorithm !== undefined && clockOf(z) === clock) }));
  for (const s of signers) mkdirSync(join(s.dir, 'zones'), { recursive: true });
  const dsOf = new Map<string, string>();
  await makeKeys(signers, dsOf);
  const files = new Map<string, string>();
  for (const z of KNOT_ZONES) {
    const text = `$ORIGIN ${fqdn(z.origin)}\n${z.origin === '.' ? ROOT_TEXT : leafText(z)}\n${delegations(KNOT_ZONES, z, dsOf)}\n`;
    const signer = signers.find((s) => s.zones.includes(z));
    writeFileSync(join(signer === undefined ? served : join(signer.dir, 'zones'), `${fileBase(z.origin)}.zone`), text);
    files.set(z.origin, join(served, `${fileBase(z.origin)}.zone`));
  }
  await sign(signers, served);
  const [anchorText, delvAnchorFile] = writeAnchors(dir, dsOf.get('.') as string);
  return { dir, zones: KNOT_ZONES, files, anchorText, delvAnchorFile };
}

/** The config of the serving knotd (pre-signed zones, no signing) on 127.0.0.1:`port`. */
function serverConf(h: Hierarchy, port: number): string {
  const dir = join(h.dir, `server${port}`);
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, 'knot.conf');
  writeFileSync(conf, knotConf(dir, port, h.zones, false, join(h.dir, 'served')));
  return conf;
}

/** Start the serving knotd on a free port of 22000-22999. */
export function startKnot(h: Hierarchy): Promise<Daemon> {
  return startDaemon((port) => ['knotd', '-c', serverConf(h, port)], h.dir);
}

/** The argv of the serving knotd on 127.0.0.1:53, for the unbound run inside its namespace. */
export function knot53(h: Hierarchy): string[] {
  return ['knotd', '-c', serverConf(h, 53)];
}
