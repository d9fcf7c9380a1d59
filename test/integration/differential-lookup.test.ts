/**
 * `lookup`, `lookupService` and `reverse` of sansdns/node against node:dns,
 * whose `lookup` and `lookupService` go through glibc (getaddrinfo,
 * getnameinfo) and so can be pointed at a test server only through
 * /etc/resolv.conf. differential/lookup-child.ts runs in a new mount and
 * network namespace (`unshare --mount --net`, lo only) with this test's
 * hosts file, resolv.conf and nsswitch.conf bind-mounted over /etc's, and
 * BIND on 127.0.0.1:53; this file compares what each side returned.
 * Needs root (unshare); skips loudly without it, and fails under CI=true.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverAvailable } from './servers.js';

const CI = process.env['CI'] === 'true';
const root = resolve(import.meta.dirname, '../..');
const canUnshare = spawnSync('unshare', ['--mount', '--net', 'true']).status === 0;
const ready = canUnshare && serverAvailable('bind');
if (!ready && !CI) console.warn('\n!!! unshare --mount --net or BIND unavailable: SKIPPING the lookup differential (needs root; CI=true makes this fail) !!!\n');

/** Cases where sansdns differs from glibc on purpose (README, "Differences from node:dns"). */
const DELIBERATE: Readonly<Record<string, string>> = {};

/** Cases whose point is the order of families (`ipv4first`, `ipv6first`): compared in order. */
const ORDERED = new Set(['lookup order ipv6first', 'lookup verbatim false']);

type Addr = { address: string; family: number };
const isAddrList = (v: unknown): v is Addr[] => Array.isArray(v) && v.every((a) => typeof a === 'object' && a !== null && 'address' in a);

/**
 * The comparable form of a result: lists of addresses as sets (glibc sorts
 * them by RFC 6724 against the namespace's routes, and servers rotate
 * RRsets; sansdns keeps the servers' order, IPv4 first: a deliberate
 * difference), names (PTR) as sets too, and, where the order is the point,
 * the sequence of families.
 */
function comparable(id: string, r: unknown): unknown {
  const o = r as { ok?: unknown[] };
  if (o.ok === undefined) return r;
  return {
    ok: o.ok.map((v) => (isAddrList(v) ? [...v].sort((a, b) => a.address.localeCompare(b.address))
      : Array.isArray(v) && v.every((x) => typeof x === 'string') ? [...v].sort() : v)),
    ...(ORDERED.has(id) ? { families: o.ok.map((v) => (isAddrList(v) ? v.map((a) => a.family) : v)) } : {}),
  };
}

const HOSTS = `127.0.0.1 localhost
::1 localhost ip6-localhost
192.0.2.200 files.test alias.files.test
2001:db8::200 files.test alias.files.test
192.0.2.201 single.test
`;

describe.skipIf(!ready && !CI)('differential: lookup, lookupService, reverse vs glibc in a namespace', () => {
  let dir = '';
  const results = new Map<string, { node: unknown; ours: unknown }>();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sansdns-lookup-'));
    writeFileSync(join(dir, 'hosts'), HOSTS);
    writeFileSync(join(dir, 'resolv.conf'), 'nameserver 127.0.0.1\nsearch example.test\noptions timeout:2 attempts:1\n');
    writeFileSync(join(dir, 'nsswitch.conf'), 'hosts: files dns\nservices: files\n');
    const script = [
      'set -e', 'ip link set lo up',
      `mount --bind ${join(dir, 'hosts')} /etc/hosts`,
      `mount --bind ${join(dir, 'resolv.conf')} /etc/resolv.conf`,
      `mount --bind ${join(dir, 'nsswitch.conf')} /etc/nsswitch.conf`,
      `exec node --import tsx ${join(root, 'test/integration/differential/lookup-child.ts')}`,
    ].join('\n');
    const child = spawnSync('unshare', ['--mount', '--net', 'bash', '-c', script], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    if (child.status !== 0) throw new Error(`lookup child failed (${child.status}):\n${child.stdout}\n${child.stderr}`);
    for (const line of child.stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      const r = JSON.parse(line) as { id: string; node: unknown; ours: unknown };
      results.set(r.id, r);
    }
  }, 180_000);

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('ran every case', () => {
    expect(results.size).toBeGreaterThanOrEqual(28);
  });

  for (const id of [
    'lookup A only', 'lookup all, A and AAAA', 'lookup family 4', 'lookup family 6, all', 'lookup family 6 of an A-only name',
    'lookup family 6 V4MAPPED of an A-only name', 'lookup family 6 V4MAPPED|ALL, all', 'lookup order ipv6first', 'lookup verbatim false',
    'lookup through a CNAME chain', 'lookup a big RRset (TCP)', 'lookup NXDOMAIN', 'lookup NODATA', 'lookup REFUSED',
    'lookup relative name (search list)', 'lookup hosts file name', 'lookup hosts file alias, family 6', 'lookup localhost, all',
    'lookup upper case, trailing dot', 'promises.lookup all', 'promises.lookup NXDOMAIN', 'lookupService from the hosts file',
    'lookupService from DNS (PTR)', 'lookupService without a name', 'lookupService IPv6 from the hosts file, unknown port',
    'reverse from the hosts file', 'reverse from the hosts file, one name', 'reverse from DNS',
  ]) {
    it(id, () => {
      const r = results.get(id);
      expect(r, 'case ran').toBeDefined();
      const [mine, theirs] = [comparable(id, r?.ours), comparable(id, r?.node)];
      if (DELIBERATE[id] !== undefined) expect(mine, DELIBERATE[id]).not.toEqual(theirs);
      else expect(mine).toEqual(theirs);
    });
  }
});
