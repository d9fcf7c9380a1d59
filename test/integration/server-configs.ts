/**
 * Configuration files and command lines of the DNS daemons the tests start
 * on loopback: BIND 9, Knot DNS and NSD (authoritative for the zones in
 * test/fixtures/zones), unbound (a recursive resolver whose only servers are a
 * loopback authoritative: stub zones for our zones and for the root, so it
 * never uses root hints and can reach nothing else) and dnsmasq (a forwarder
 * to a loopback authoritative, no resolv.conf). This module imports nothing
 * from `src/`.
 */
import { join } from 'node:path';

/** Daemons the tests can start. */
export type ServerKind = 'bind' | 'knot' | 'nsd' | 'unbound' | 'dnsmasq';

/** How a daemon answers: from its zones, by recursion over loopback stubs, or by forwarding. */
export type ServerRole = 'authoritative' | 'recursive' | 'forwarder';

export const ROLE: Record<ServerKind, ServerRole> = {
  bind: 'authoritative', knot: 'authoritative', nsd: 'authoritative', unbound: 'recursive', dnsmasq: 'forwarder',
};
export const BINARY: Record<ServerKind, string> = { bind: 'named', knot: 'knotd', nsd: 'nsd', unbound: 'unbound', dnsmasq: 'dnsmasq' };
export const APT_PACKAGE: Record<ServerKind, string> = { bind: 'bind9', knot: 'knot', nsd: 'nsd', unbound: 'unbound', dnsmasq: 'dnsmasq-base' };
/** The flag that prints the version. */
export const VERSION_FLAG: Record<ServerKind, string> = { bind: '-v', knot: '-V', nsd: '-v', unbound: '-V', dnsmasq: '--version' };

/** Zones served by every authoritative instance: origin and file name in the zone dir. */
export const ZONES: readonly { readonly origin: string; readonly file: string }[] = [
  { origin: 'example.test', file: 'example.test.zone' },
  { origin: '2.0.192.in-addr.arpa', file: '2.0.192.in-addr.arpa.zone' },
  { origin: 'edge.test', file: 'edge.test.zone' },
];

/** The readiness probe's question: a TXT answer that carries the instance's nonce. */
export interface Probe { readonly name: string; readonly klass: 3 | 1 }

/** dnsmasq answers no `id.server`: it serves this TXT name with the nonce instead. */
const DNSMASQ_PROBE = 'id.sansdns.invalid';

export function probeOf(kind: ServerKind): Probe {
  return kind === 'dnsmasq' ? { name: DNSMASQ_PROBE, klass: 1 } : { name: 'id.server', klass: 3 };
}

/** What a config needs to know. */
export interface ConfigInput {
  readonly dir: string;
  readonly port: number;
  readonly ipv6: boolean;
  readonly nonce: string;
  /** The authoritative server behind a recursive resolver or a forwarder. */
  readonly upstream?: { readonly address: string; readonly port: number };
}

/** Files to write into the run dir, and the daemon's arguments (foreground, no daemonising). */
export interface Launch { readonly files: Record<string, string>; readonly args: string[] }

function bind({ dir, port, ipv6, nonce }: ConfigInput): Launch {
  const zones = ZONES.map((z) => `zone "${z.origin}" { type primary; file "${join(dir, z.file)}"; };`);
  const conf = `options {
  directory "${dir}";
  pid-file none;
  session-keyfile none;
  managed-keys-directory "${dir}";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 port ${port} { ${ipv6 ? '::1;' : 'none;'} };
  automatic-interface-scan no;
  recursion no;
  allow-query { any; };
  allow-transfer { none; };
  notify no;
  dnssec-validation no;
  edns-udp-size 1232;
  max-udp-size 1232;
  max-records-per-type 0;
  max-types-per-name 0;
  server-id "${nonce}";
};
controls { };
${zones.join('\n')}
`;
  return { files: { 'named.conf': conf }, args: ['-g', '-n', '1', '-c', join(dir, 'named.conf')] };
}

function knot({ dir, port, ipv6, nonce }: ConfigInput): Launch {
  const listen = ipv6 ? `[ 127.0.0.1@${port}, ::1@${port} ]` : `[ 127.0.0.1@${port} ]`;
  const conf = `server:
  rundir: "${dir}"
  user: root:root
  listen: ${listen}
  identity: "${nonce}"
  udp-max-payload: 1232
  udp-workers: 1
  tcp-workers: 1
  background-workers: 1
  automatic-acl: off
log:
  - target: stderr
    any: info
database:
  storage: "${join(dir, 'db')}"
template:
  - id: default
    storage: "${dir}"
    file: "%s.zone"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
zone:
${ZONES.map((z) => `  - domain: ${z.origin}`).join('\n')}
`;
  return { files: { 'knot.conf': conf, 'db/.keep': '' }, args: ['-c', join(dir, 'knot.conf')] };
}

function nsd({ dir, port, ipv6, nonce }: ConfigInput): Launch {
  const listen = ipv6 ? [`127.0.0.1@${port}`, `::1@${port}`] : [`127.0.0.1@${port}`];
  const conf = `server:
${listen.map((a) => `  ip-address: ${a}`).join('\n')}
  port: ${port}
  do-ip6: ${ipv6 ? 'yes' : 'no'}
  username: ""
  chroot: ""
  zonesdir: "${dir}"
  pidfile: "${join(dir, 'nsd.pid')}"
  database: ""
  xfrdfile: "${join(dir, 'xfrd.state')}"
  zonelistfile: "${join(dir, 'zone.list')}"
  xfrdir: "${dir}"
  identity: "${nonce}"
  hide-identity: no
  ipv4-edns-size: 1232
  ipv6-edns-size: 1232
  server-count: 1
  verbosity: 1
remote-control:
  control-enable: no
${ZONES.map((z) => `zone:\n  name: ${z.origin}\n  zonefile: ${z.file}`).join('\n')}
`;
  return { files: { 'nsd.conf': conf }, args: ['-d', '-c', join(dir, 'nsd.conf')] };
}

function upstreamOf(kind: ServerKind, input: ConfigInput): { readonly address: string; readonly port: number } {
  if (input.upstream === undefined) throw new Error(`${kind} needs an upstream authoritative server (opts.upstream)`);
  return input.upstream;
}

/**
 * unbound as a recursive resolver that can reach only the loopback
 * authoritative: a stub zone for each of our zones and one for the root (so
 * the compiled-in root hints are never used), `outgoing-interface: 127.0.0.1`
 * (a datagram from 127.0.0.1 cannot leave the host), no IPv6 upstream, no
 * validator (no trust anchor to fetch). `test.` is an RFC 6761 name that
 * unbound answers NXDOMAIN by itself unless told `nodefault`.
 */
function unbound(input: ConfigInput): Launch {
  const { dir, port, ipv6, nonce } = input;
  const up = upstreamOf('unbound', input);
  const stubs = ['.', ...ZONES.map((z) => z.origin)]
    .map((name) => `stub-zone:\n  name: "${name}"\n  stub-addr: ${up.address}@${up.port}`);
  const conf = `server:
  interface: 127.0.0.1@${port}
${ipv6 ? `  interface: ::1@${port}\n` : ''}  port: ${port}
  do-ip6: ${ipv6 ? 'yes' : 'no'}
  prefer-ip4: yes
  outgoing-interface: 127.0.0.1
  do-daemonize: no
  use-syslog: no
  logfile: ""
  verbosity: 1
  chroot: ""
  username: ""
  directory: "${dir}"
  pidfile: "${join(dir, 'unbound.pid')}"
  num-threads: 1
  access-control: 127.0.0.0/8 allow
  access-control: ::1/128 allow
  do-not-query-localhost: no
  module-config: "iterator"
  root-hints: ""
  auto-trust-anchor-file: ""
  hide-identity: no
  identity: "${nonce}"
  edns-buffer-size: 1232
  qname-minimisation: no
  prefetch: no
  local-zone: "test." nodefault
remote-control:
  control-enable: no
${stubs.join('\n')}
`;
  return { files: { 'unbound.conf': conf }, args: ['-d', '-c', join(dir, 'unbound.conf')] };
}

/**
 * dnsmasq forwarding everything to the loopback authoritative: no resolv.conf,
 * no hosts file, no config file, and no cache (its cache answers a name it
 * has seen with some other type from what it kept, so two resolvers asking
 * one after the other would not see the same server).
 */
function dnsmasq(input: ConfigInput): Launch {
  const { dir, port, ipv6, nonce } = input;
  const up = upstreamOf('dnsmasq', input);
  const args = [
    '--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--no-poll',
    `--server=${up.address}#${up.port}`, `--port=${port}`, '--listen-address=127.0.0.1', ...(ipv6 ? ['--listen-address=::1'] : []),
    '--bind-interfaces', '--user=root', '--group=root', `--pid-file=${join(dir, 'dnsmasq.pid')}`, '--cache-size=0',
    `--txt-record=${DNSMASQ_PROBE},${nonce}`, '--edns-packet-max=1232', '--log-facility=-',
  ];
  return { files: {}, args };
}

const CONFIGS: Record<ServerKind, (input: ConfigInput) => Launch> = { bind, knot, nsd, unbound, dnsmasq };

/** The files and arguments that start `kind` for `input`. */
export function launchOf(kind: ServerKind, input: ConfigInput): Launch {
  return CONFIGS[kind](input);
}
