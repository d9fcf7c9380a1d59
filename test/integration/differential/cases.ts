/**
 * The differential cases: every method of `dns.promises.Resolver`, on the
 * zones in test/fixtures/zones (example.test, edge.test and the reverse
 * zone), each run against sansdns/node and against node:dns on the same
 * server. Every record type Node resolves, CNAME chains (3, 6 and 10 links),
 * loops, targets out of zone and dangling, wildcards, NXDOMAIN, NODATA,
 * REFUSED (a name no zone holds, asked of an authoritative server) and
 * SERVFAIL (the same asked of unbound, whose root stub refuses it), names in
 * odd forms, and the rrtype strings of `resolve()`.
 */
import type { promises as dnsPromises } from 'node:dns';

/** What a case calls: node:dns's promise resolver, or ours in its shape. */
export type Subject = dnsPromises.Resolver;

export interface Case {
  /** Unique label, also the key of known differences. */
  readonly id: string;
  readonly call: (r: Subject) => Promise<unknown>;
}

const E = 'example.test';
const G = 'edge.test';

/** Every rrtype string `resolve()` takes, and the method of each. */
export const RRTYPES = ['A', 'AAAA', 'ANY', 'CAA', 'CNAME', 'MX', 'NAPTR', 'NS', 'PTR', 'SOA', 'SRV', 'TXT'] as const;
type RrType = (typeof RRTYPES)[number];

const METHOD = {
  A: (r, n) => r.resolve4(n), AAAA: (r, n) => r.resolve6(n), ANY: (r, n) => r.resolveAny(n), CAA: (r, n) => r.resolveCaa(n),
  CNAME: (r, n) => r.resolveCname(n), MX: (r, n) => r.resolveMx(n), NAPTR: (r, n) => r.resolveNaptr(n), NS: (r, n) => r.resolveNs(n),
  PTR: (r, n) => r.resolvePtr(n), SOA: (r, n) => r.resolveSoa(n), SRV: (r, n) => r.resolveSrv(n), TXT: (r, n) => r.resolveTxt(n),
} satisfies Record<RrType, (r: Subject, name: string) => Promise<unknown>>;

/** `resolveX(name)` for each of `types`. */
function each(label: string, name: string, types: readonly RrType[]): Case[] {
  return types.map((t) => ({ id: `${label} ${t}`, call: (r: Subject) => METHOD[t](r, name) }));
}

const ALL = RRTYPES;
const ttl = (id: string, name: string): Case[] => [
  { id: `${id} A ttl`, call: (r) => r.resolve4(name, { ttl: true }) },
  { id: `${id} AAAA ttl`, call: (r) => r.resolve6(name, { ttl: true }) },
];

/** The cases of the zones, in a stable order. */
export const CASES: readonly Case[] = [
  // example.test: one name per type, as the interop test
  ...each('apex', E, ALL), ...ttl('apex', E),
  ...each('www', `www.${E}`, ['A', 'AAAA', 'MX', 'CNAME', 'SOA']),
  ...each('txt', `txt.${E}`, ['TXT', 'ANY']),
  ...each('longtxt', `longtxt.${E}`, ['TXT']),
  ...each('srv', `_sip._tcp.${E}`, ['SRV', 'A']),
  ...each('naptr', `naptr.${E}`, ['NAPTR']),
  ...each('ptr', `ptr.${E}`, ['PTR']),
  ...each('hinfo only (ANY of a type Node drops)', `hinfo.${E}`, ['ANY', 'A']),
  ...each('svc (HTTPS and A)', `svc.${E}`, ['A', 'ANY']),
  ...each('chain of 3', `chain1.${E}`, ['A', 'CNAME', 'AAAA', 'TXT']), ...ttl('chain of 3', `chain1.${E}`),
  ...each('wildcard', `any.wild.${E}`, ['A', 'TXT', 'AAAA']), ...ttl('wildcard', `any.wild.${E}`),
  ...ttl('TTL 0', `ttl0.${E}`),
  ...each('big RRset over TCP', `big.${E}`, ['A']),
  ...each('NXDOMAIN', `nx.${E}`, ['A', 'AAAA', 'TXT', 'MX', 'ANY']),
  ...each('NODATA', `onlytxt.${E}`, ['A', 'MX', 'SOA']),
  ...each('empty non-terminal', `b.ent.${E}`, ['A', 'TXT']),
  // edge.test: every type at one name, directly and through chains
  ...each('multi', `multi.${G}`, ALL), ...ttl('multi', `multi.${G}`),
  ...each('chain of 6', `s1.${G}`, ['A', 'AAAA', 'MX', 'TXT', 'SRV', 'NAPTR', 'CAA', 'PTR', 'CNAME', 'ANY']), ...ttl('chain of 6', `s1.${G}`),
  ...each('chain of 10', `l1.${G}`, ['A', 'TXT', 'CNAME']), ...ttl('chain of 10', `l1.${G}`),
  ...each('CNAME out of zone', `out.${G}`, ['A', 'AAAA', 'CNAME', 'TXT']),
  ...each('CNAME into the other zone', `cross.${G}`, ['A', 'AAAA', 'CNAME']),
  ...each('CNAME dangling', `dangling.${G}`, ['A', 'CNAME']),
  ...each('CNAME to NODATA', `tonodata.${G}`, ['A', 'TXT']),
  ...each('CNAME loop of 2', `loop1.${G}`, ['A', 'CNAME', 'TXT']),
  ...each('CNAME to itself', `self.${G}`, ['A', 'CNAME']),
  ...each('CNAME to a wildcard', `towild.${G}`, ['A']), ...ttl('CNAME to a wildcard', `towild.${G}`),
  ...each('escaped dot in a target', `escaped.${G}`, ['CNAME', 'A']),
  ...each('space in a target', `spaced.${G}`, ['PTR']),
  ...each('mixed case in a target', `upper.${G}`, ['MX']),
  // names outside every zone: REFUSED from an authoritative server, SERVFAIL from unbound
  ...each('outside every zone', 'www.example.net', ['A', 'TXT', 'ANY']),
  ...each('RFC 6761 .invalid', 'nothing.invalid', ['A']),
  // names in odd forms
  ...each('trailing dot', `${E}.`, ['A', 'MX']),
  ...each('upper case', 'EXAMPLE.Test', ['A', 'AAAA']),
  ...each('root name', '', ['A', 'NS']),
  ...each('root name with dot', '.', ['NS']),
  ...each('label of 63', `${'a'.repeat(63)}.${E}`, ['A']),
  ...each('label of 64', `${'a'.repeat(64)}.${E}`, ['A']),
  ...each('name of 254', `${'a.'.repeat(120)}${E}`, ['A']),
  ...each('empty label', `a..${E}`, ['A']),
  ...each('space in a name', `a b.${E}`, ['A']),
  ...each('underscore', `_x.${E}`, ['A']),
  ...each('at sign in a name', `a@b.${E}`, ['A']),
  ...each('slash in a name', `a/b.${E}`, ['A']),
  ...each('star as a label', `*.wild.${E}`, ['A', 'TXT']),
  ...each('escaped dot in a name', `a\\.b.${G}`, ['A']),
  ...each('escaped space in a name', `a\\032b.${E}`, ['A']),
  ...each('non-ASCII name', `bücher.${E}`, ['A']),
  // resolve(name, rrtype) and its default
  ...RRTYPES.map((t): Case => ({ id: `resolve(multi, '${t}')`, call: (r) => r.resolve(`multi.${G}`, t as 'A') })),
  { id: 'resolve(default A)', call: (r) => r.resolve(`www.${E}`) },
  { id: 'resolve(apex, SOA)', call: (r) => r.resolve(E, 'SOA') },
  // reverse
  { id: 'reverse 192.0.2.1', call: (r) => r.reverse('192.0.2.1') },
  { id: 'reverse 192.0.2.80', call: (r) => r.reverse('192.0.2.80') },
  { id: 'reverse NXDOMAIN', call: (r) => r.reverse('192.0.2.2') },
  { id: 'reverse outside every zone (REFUSED)', call: (r) => r.reverse('198.51.100.7') },
  { id: 'reverse IPv6 outside every zone', call: (r) => r.reverse('2001:db8::1') },
];
