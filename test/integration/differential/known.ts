/**
 * Differences between sansdns/node and node:dns that the differential suite
 * knows of, each with its reason. A case listed here must still differ, as
 * described (the test fails once it agrees, so the entry goes with the fix);
 * any other difference fails the test.
 *
 * `deliberate` ones are sansdns's choice and README.md lists them; `fix` ones
 * are bugs of ours (issue 12) still to be fixed. The deliberate defaults
 * that show on every query (EDNS, cookies, the cache, `localhost`, the
 * overall deadline) are asserted in differential-deliberate.test.ts.
 */
import { expect } from 'vitest';
import type { Outcome } from './outcome.js';

/** Server kinds a known difference shows on (`'*'` for all). */
export type Where = readonly string[] | '*';

export interface Known {
  readonly where: Where;
  readonly why: string;
  readonly kind: 'fix' | 'deliberate';
  /** What each side does, as {@link summary} writes it, when the entry pins it down. */
  readonly ours?: string;
  readonly node?: string;
}

/** `value` or the error code of an outcome. */
export function summary(o: Outcome): string {
  return o.ok ? 'value' : String(o.error['code']);
}

const WHY = {
  ipv6: 'IPv6 with an IPv4 tail: Node (inet_ntop) writes ::ffff:192.0.2.1 and ::1.2.3.4, ours ::ffff:c000:201 and ::102:304',
  empty: 'Node resolves [] when the answer has records but none of the type asked (a CNAME chain ending elsewhere, a type Node drops); ours rejects ENODATA',
  loop: 'a CNAME loop: Node resolves [] (the answer has records), ours rejects EBADRESP',
  chain: 'a chain of 10 CNAMEs is longer than maxCnameChain (8): ours rejects EBADRESP, Node follows it',
  rev: 'reverse: Node reports REFUSED as ENOTFOUND, ours EREFUSED',
  space: 'a name with a character c-ares allows in no host name (a space, @, ...): c-ares rejects it EBADNAME before sending, ours asks',
  escape: 'names in rdata: c-ares escapes " $ ( ) ; @ with a backslash and leaves a space as it is; ours escapes a space as \\032 and the others not',
  rcode: 'an rcode Node has no error for (YXDOMAIN, NOTAUTH): Node ENODATA, ours EBADRESP',
  tcp: 'TCP closed before an answer: Node ECONNREFUSED, ours ECONNRESET',
  ttl: 'a TTL with the top bit set: Node reports it raw, ours caps it',
  strings: 'NAPTR and CAA strings: Node gives the bytes as Latin-1, ours the presentation text (\\\\ for a backslash, \\DDD for other bytes)',
} as const;

const fix = (where: Where, why: string): Known => ({ where, why, kind: 'fix' });
const deliberate = (why: string, ours: string, node: string): Known => ({ where: ['hostile'], why, kind: 'deliberate', ours, node });

const DROP = 'a datagram that is not a well-formed answer to the query is dropped, and the query waits for one that is (RFC 5452 §9.1); c-ares fails the query with EBADRESP, so one forged datagram ends it';

const NAPTR_HIGH = 'a NAPTR string with a byte outside printable ASCII: c-ares rejects the whole answer (EBADRESP, whatever was asked); ours reads the bytes as Latin-1, as it does for TXT';

/** Known differences by case id. */
export const KNOWN: Readonly<Record<string, Known>> = {
  'CNAME into the other zone A': fix(['bind', 'dnsmasq', 'knot'], WHY.empty),
  'CNAME into the other zone AAAA': fix('*', WHY.empty),
  'CNAME loop of 2 A': fix(['dnsmasq', 'knot', 'nsd'], WHY.loop),
  'CNAME loop of 2 TXT': fix(['dnsmasq', 'knot', 'nsd'], WHY.loop),
  'CNAME out of zone A': fix(['bind', 'dnsmasq', 'knot', 'nsd'], WHY.empty),
  'CNAME out of zone AAAA': fix(['bind', 'dnsmasq', 'knot', 'nsd'], WHY.empty),
  'CNAME out of zone TXT': fix(['bind', 'dnsmasq', 'knot', 'nsd'], WHY.empty),
  'CNAME to NODATA A': fix('*', WHY.empty),
  'CNAME to a wildcard AAAA ttl': fix('*', WHY.empty),
  'CNAME to itself A': fix(['dnsmasq', 'knot', 'nsd'], WHY.loop),
  'chain of 10 A': fix('*', WHY.chain),
  'chain of 10 A ttl': fix('*', WHY.chain),
  'chain of 10 AAAA ttl': fix('*', WHY.chain),
  'chain of 10 TXT': fix('*', WHY.chain),
  'chain of 3 AAAA': fix('*', WHY.empty),
  'chain of 3 AAAA ttl': fix('*', WHY.empty),
  'chain of 3 TXT': fix('*', WHY.empty),
  'chain of 6 A': fix(['dnsmasq', 'knot'], WHY.empty),
  'chain of 6 A ttl': fix(['dnsmasq', 'knot'], WHY.empty),
  'chain of 6 AAAA': fix('*', WHY.ipv6),
  'chain of 6 AAAA ttl': fix('*', WHY.ipv6),
  'chain of 6 CAA': fix(['dnsmasq', 'knot'], WHY.empty),
  'chain of 6 MX': fix(['dnsmasq', 'knot'], WHY.empty),
  'chain of 6 NAPTR': fix(['dnsmasq', 'knot'], WHY.empty),
  'chain of 6 SRV': fix(['dnsmasq', 'knot'], WHY.empty),
  'chain of 6 TXT': fix(['dnsmasq', 'knot'], WHY.empty),
  'hinfo only (ANY of a type Node drops) ANY': fix('*', WHY.empty),
  'multi AAAA': fix('*', WHY.ipv6),
  'multi AAAA ttl': fix('*', WHY.ipv6),
  'multi ANY': fix(['bind', 'unbound'], WHY.ipv6),
  "resolve(multi, 'AAAA')": fix('*', WHY.ipv6),
  "resolve(multi, 'ANY')": fix(['bind', 'unbound'], WHY.ipv6),
  'reverse IPv6 outside every zone': fix(['bind', 'dnsmasq', 'knot', 'nsd'], WHY.rev),
  'reverse outside every zone (REFUSED)': fix(['bind', 'dnsmasq', 'knot', 'nsd'], WHY.rev),
  'space in a name A': fix('*', WHY.space),
  'at sign in a name A': fix('*', WHY.space),
  'escaped space in a name A': fix('*', WHY.space),
  'space in a target PTR': fix('*', WHY.escape),
  // the hostile server
  'hostile garbage A': deliberate(DROP, 'ETIMEOUT', 'EBADRESP'),
  'hostile short A': deliberate(DROP, 'ETIMEOUT', 'EBADRESP'),
  'hostile noquestion A': deliberate(DROP, 'ETIMEOUT', 'EBADRESP'),
  'hostile garbagefirst A': deliberate(DROP, 'value', 'EBADRESP'),
  'hostile qr0 A': deliberate('a datagram without QR is a query, not an answer (RFC 1035 §4.1.1): dropped; c-ares takes it as the answer', 'ETIMEOUT', 'value'),
  'hostile othername A': deliberate('records whose owner is neither the name asked nor a CNAME target of it do not answer the question (RFC 2181 §5.4.1): ignored; c-ares returns them', 'ENODATA', 'value'),
  'hostile badrdlen A': deliberate('an A record whose rdata is not 4 bytes is malformed (RFC 1035 §3.4.1): EBADRESP; c-ares reads the first 4 bytes', 'EBADRESP', 'value'),
  'hostile trailing A': deliberate('bytes after the last record make the message malformed: EBADRESP; c-ares ignores them', 'EBADRESP', 'value'),
  'hostile yxdomain A': fix(['hostile'], WHY.rcode),
  'hostile notauth A': fix(['hostile'], WHY.rcode),
  'hostile cnameloop A': fix(['hostile'], WHY.loop),
  'hostile tcclose A': fix(['hostile'], WHY.tcp),
  'hostile negttl A ttl': fix(['hostile'], WHY.ttl),
  'hostile v6forms own type': fix(['hostile'], WHY.ipv6),
  'hostile naptresc own type': fix(['hostile'], WHY.strings),
  'hostile caaesc own type': fix(['hostile'], WHY.strings),
  'hostile naptrhigh A': { where: ['hostile'], kind: 'deliberate', why: NAPTR_HIGH, node: 'EBADRESP' },
  'hostile naptrhigh own type': { where: ['hostile'], kind: 'deliberate', why: NAPTR_HIGH, ours: 'value', node: 'EBADRESP' },
  'hostile lowbytes own type': fix(['hostile'], WHY.escape),
  'hostile lowbytes A': fix(['hostile'], WHY.empty),
  'hostile bytes80 A': fix(['hostile'], WHY.empty),
  'hostile bytesbc A': fix(['hostile'], WHY.empty),
  'hostile bytesf8 A': fix(['hostile'], WHY.empty),
};

/** The known difference of `id` on server `kind`, if any. */
export function knownDifference(id: string, kind: string): Known | undefined {
  const k = KNOWN[id];
  if (k === undefined) return undefined;
  return k.where === '*' || k.where.includes(kind) ? k : undefined;
}

/**
 * Asserts the outcome of one case: no difference, or, for a known one, that
 * it is still there and still the one described.
 */
export function expectAgreement(diff: string | undefined, known: Known | undefined, ours: Outcome, node: Outcome, label: string): void {
  if (known === undefined) {
    expect(diff, label).toBeUndefined();
    return;
  }
  expect(diff, `known difference gone (${known.why}): remove it from known.ts`).toBeDefined();
  if (known.ours !== undefined) expect(summary(ours), `${label}: ours`).toBe(known.ours);
  if (known.node !== undefined) expect(summary(node), `${label}: node's`).toBe(known.node);
}
