/**
 * What the DNSSEC interop hierarchies share, whoever signs them (BIND in
 * `dnssec-bind.ts`, Knot in `dnssec-knot.ts`): the zone specs and their
 * contents, the reference validators' configuration (delv's anchor file,
 * unbound's root hint and trust anchor), delv's verdict, and the daemons'
 * lifetimes. Everything runs on loopback; unbound only inside a network
 * namespace (`dnssec-unbound-run.ts`). This module imports nothing from `src/`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dgram from 'node:dgram';
import { spawnKept } from '../helpers/daemon.js';

/** How a zone is broken on purpose. */
export type Break = 'expired' | 'future' | 'wrong-ds' | 'no-rrsig' | 'bad-nsec';

/** One zone of a hierarchy; `algorithm` is the signer's own mnemonic, none for an unsigned zone. */
export interface ZoneSpec {
  readonly origin: string;
  readonly algorithm?: string;
  readonly nsec3?: 'nsec3' | 'opt-out';
  readonly breaks?: Break;
  readonly extra?: string;
}

/** The built hierarchy: its dir, the signed zone files, and the trust anchor of its root. */
export interface Hierarchy {
  readonly dir: string;
  /** The zones, children before parents. */
  readonly zones: readonly ZoneSpec[];
  /** Zone files by origin (the signed one when signed). */
  readonly files: Map<string, string>;
  /** The root KSK as a DS record in zone-file text (our `trustAnchors`). */
  readonly anchorText: string;
  /** The same for delv: a `trust-anchors` block in a file. */
  readonly delvAnchorFile: string;
}

/** The first of `tools` missing ([command, Debian package]), as a skip message, or `undefined`. */
export function missingOf(tools: readonly (readonly [string, string])[], what: string): string | undefined {
  for (const [tool, pkg] of tools) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool} || test -x /usr/sbin/${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} not found (Debian package ${pkg}); skipping ${what}`;
    }
  }
  return undefined;
}

/** The records every leaf zone holds (a wildcard, a CNAME, an empty non-terminal), and its extras. */
export function leafText(z: ZoneSpec): string {
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

/** The root zone's own records. */
export const ROOT_TEXT = '$TTL 300\n. SOA ns.root. hostmaster.root. 1 3600 600 86400 300\n. NS ns.root.\nns.root. A 127.0.0.1\n';

export function parentOf(origin: string): string {
  const i = origin.indexOf('.');
  return i < 0 ? '.' : origin.slice(i + 1);
}

export const fqdn = (o: string): string => (o === '.' ? '.' : `${o}.`);

/** The file name a zone is written under. */
export const fileBase = (o: string): string => (o === '.' ? 'root' : o);

/** The delegations of `z`'s children: NS, glue, and their DS lines when signed. */
export function delegations(zones: readonly ZoneSpec[], z: ZoneSpec, dsOf: ReadonlyMap<string, string>): string {
  const children = zones.filter((c) => c.origin !== '.' && parentOf(c.origin) === z.origin);
  return children.map((c) => `${fqdn(c.origin)} NS ns.${fqdn(c.origin)}\nns.${fqdn(c.origin)} A 127.0.0.1\n${dsOf.get(c.origin) ?? ''}`).join('\n');
}

/** A DS line with its last digest digit changed: the wrong DS. */
export function wrongDs(ds: string): string {
  return ds.replace(/([0-9A-F])(\s*)$/i, (_m, c: string, s: string) => `${c === '0' ? '1' : '0'}${s}`);
}

/** Breaks applied to a signed zone's text: an RRSIG removed, or NSEC/NSEC3 type maps changed under their signatures. */
export function breakSigned(text: string, z: ZoneSpec): string {
  if (z.breaks === 'no-rrsig') {
    const www = new RegExp(`^www\\.${z.origin.replace(/\./g, '\\.')}\\.\\s+\\d+\\s+IN\\s+RRSIG\\s+A\\s`);
    return text.split('\n').filter((l) => !www.test(l)).join('\n');
  }
  if (z.breaks === 'bad-nsec') return text.split('\n').map((l) => (/\sIN\s+NSEC3?\s/.test(l) ? `${l} TYPE65534` : l)).join('\n');
  return text;
}

/** Write the anchor files of a root whose KSK has the DS line `rootDs`; returns [anchorText, delvAnchorFile]. */
export function writeAnchors(dir: string, rootDs: string): [string, string] {
  const [, , , tag, alg, type, digest] = /^(\S+)\s+(\d+\s+)?(?:IN\s+)?DS\s+(\d+)\s+(\d+)\s+(\d+)\s+([0-9A-Fa-f]+)/.exec(rootDs.trim()) as unknown as string[];
  const delvAnchorFile = join(dir, 'anchor.conf');
  writeFileSync(delvAnchorFile, `trust-anchors {\n  . static-ds ${tag} ${alg} ${type} "${digest}";\n};\n`);
  return [`. IN DS ${tag} ${alg} ${type} ${digest}`, delvAnchorFile];
}

/** A daemon we started: its port, its output, and a stop that waits for its exit. */
export interface Daemon {
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
  log(): string;
}

/** Whether a DNS server answers on 127.0.0.1:`port` (a root NS query; any rcode but SERVFAIL). */
export function probe(port: number, qname: readonly string[] = []): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const name = Buffer.concat([...qname.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
    const q = Buffer.concat([Buffer.from([0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]), name, Buffer.from([0, 6, 0, 1])]);
    const t = setTimeout(() => { s.close(); resolve(false); }, 200);
    s.on('error', () => { clearTimeout(t); s.close(); resolve(false); });
    s.on('message', (m) => { clearTimeout(t); s.close(); resolve(m.readUInt16BE(0) === 0x1234 && (m[3]! & 0x0f) === 0); });
    s.send(q, port, '127.0.0.1');
  });
}

/**
 * Start a daemon on a free port of 22000-22999 (`argsFor(port)` writes its
 * config and gives its argv), ready once `probe` answers; a port in use is
 * tried again elsewhere.
 */
export async function startDaemon(argsFor: (port: number) => string[], cwd: string, env: NodeJS.ProcessEnv = process.env, ready: (port: number) => Promise<boolean> = probe): Promise<Daemon> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const port = 22000 + Math.floor(Math.random() * 1000);
    const [cmd, ...args] = argsFor(port) as [string, ...string[]];
    const { child, log, stop } = spawnKept(cmd, args, { cwd, env });

    for (let i = 0; i < 200 && child.exitCode === null; i++) {
      if (await ready(port)) return { port, pid: child.pid as number, stop, log };
      await new Promise((r) => setTimeout(r, 50));
    }
    await stop();
    if (!/address (already )?in use/i.test(log())) throw new Error(`${cmd} did not start:\n${log()}`);
  }
  throw new Error(`no free port for ${argsFor(0)[0]} in 22000-22999`);
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
    child.once('close', () => resolve({ verdict: delvVerdict(text), text }));
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
 * unbound's config for the run in a network namespace
 * (`dnssec-unbound-run.ts`): the authoritative server on 127.0.0.1:53,
 * unbound on 127.0.0.2:53 with a root hint at 127.0.0.1 only and our root DS
 * as its only trust anchor.
 */
export function writeUnboundConfig(h: Hierarchy): void {
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
