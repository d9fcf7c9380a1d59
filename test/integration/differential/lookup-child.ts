/**
 * Run by differential-lookup.test.ts inside `unshare --mount --net`: a
 * network namespace with only `lo`, where the test's own hosts file,
 * resolv.conf (`nameserver 127.0.0.1`) and nsswitch.conf (`hosts: files
 * dns`) are bind-mounted over /etc's. It starts BIND on 127.0.0.1:53 with
 * the test zones, then makes each lookup case with node:dns (getaddrinfo and
 * getnameinfo, i.e. glibc) and with sansdns/node (its default resolver,
 * which reads the same files), and prints one JSON line per case.
 * Nothing here can reach past loopback: the namespace has no other interface.
 */
import * as nodeDns from 'node:dns';
import dns from '../../../src/node.js';
import { startServer } from '../servers.js';
import { errorShape } from './outcome.js';

type Dns = typeof nodeDns;
type Call = (d: Dns) => Promise<unknown>;

const cb = <T>(f: (done: (err: Error | null, ...r: unknown[]) => void) => void): Promise<unknown> =>
  new Promise((resolve) => f((err, ...r) => resolve(err === null ? { ok: r } : { err: errorShape(err as unknown as Record<string, unknown>) })));

/** Each case: id and call. */
export const LOOKUP_CASES: [string, Call][] = [
  ['lookup A only', (d) => cb((k) => d.lookup('www.example.test', k))],
  ['lookup all, A and AAAA', (d) => cb((k) => d.lookup('example.test', { all: true }, k))],
  ['lookup family 4', (d) => cb((k) => d.lookup('example.test', 4, k))],
  ['lookup family 6, all', (d) => cb((k) => d.lookup('example.test', { family: 6, all: true }, k))],
  ['lookup family 6 of an A-only name', (d) => cb((k) => d.lookup('www.example.test', 6, k))],
  ['lookup family 6 V4MAPPED of an A-only name', (d) => cb((k) => d.lookup('www.example.test', { family: 6, hints: d.V4MAPPED }, k))],
  ['lookup family 6 V4MAPPED|ALL, all', (d) => cb((k) => d.lookup('example.test', { family: 6, hints: d.V4MAPPED | d.ALL, all: true }, k))],
  ['lookup order ipv6first', (d) => cb((k) => d.lookup('example.test', { all: true, order: 'ipv6first' }, k))],
  ['lookup verbatim false', (d) => cb((k) => d.lookup('example.test', { all: true, verbatim: false }, k))],
  ['lookup through a CNAME chain', (d) => cb((k) => d.lookup('chain1.example.test', { all: true }, k))],
  ['lookup a big RRset (TCP)', (d) => cb((k) => d.lookup('big.example.test', { all: true }, k))],
  ['lookup NXDOMAIN', (d) => cb((k) => d.lookup('nx.example.test', k))],
  ['lookup NODATA', (d) => cb((k) => d.lookup('onlytxt.example.test', k))],
  ['lookup REFUSED', (d) => cb((k) => d.lookup('www.example.net', k))],
  ['lookup relative name (search list)', (d) => cb((k) => d.lookup('www', k))],
  ['lookup hosts file name', (d) => cb((k) => d.lookup('files.test', { all: true }, k))],
  ['lookup hosts file alias, family 6', (d) => cb((k) => d.lookup('alias.files.test', 6, k))],
  ['lookup localhost, all', (d) => cb((k) => d.lookup('localhost', { all: true }, k))],
  ['lookup upper case, trailing dot', (d) => cb((k) => d.lookup('WWW.Example.Test.', k))],
  ['promises.lookup all', (d) => d.promises.lookup('example.test', { all: true }).then((ok) => ({ ok: [ok] }), (e: unknown) => ({ err: errorShape(e as Record<string, unknown>) }))],
  ['promises.lookup NXDOMAIN', (d) => d.promises.lookup('nx.example.test').then((ok) => ({ ok: [ok] }), (e: unknown) => ({ err: errorShape(e as Record<string, unknown>) }))],
  ['lookupService from the hosts file', (d) => cb((k) => d.lookupService('192.0.2.200', 22, k))],
  ['lookupService from DNS (PTR)', (d) => cb((k) => d.lookupService('192.0.2.25', 25, k))],
  ['lookupService without a name', (d) => cb((k) => d.lookupService('192.0.2.99', 80, k))],
  ['lookupService IPv6 from the hosts file, unknown port', (d) => cb((k) => d.lookupService('2001:db8::200', 65000, k))],
  ['reverse from the hosts file', (d) => cb((k) => d.reverse('192.0.2.200', k))],
  ['reverse from the hosts file, one name', (d) => cb((k) => d.reverse('192.0.2.201', k))],
  ['reverse from DNS', (d) => cb((k) => d.reverse('192.0.2.1', k))],
];

const server = await startServer('bind', { port: 53 });
try {
  for (const [id, call] of LOOKUP_CASES) {
    const theirs = await call(nodeDns as unknown as Dns);
    const mine = await call(dns as unknown as Dns);
    process.stdout.write(`${JSON.stringify({ id, node: theirs, ours: mine })}\n`);
  }
} finally {
  await server.stop();
}
process.exit(0);
