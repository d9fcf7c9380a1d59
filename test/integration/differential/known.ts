/**
 * Differences between sansdns/node and node:dns that the differential suite
 * knows of, each with its reason. A case listed here must still differ, as
 * described (the test fails once it agrees, so the entry goes with the fix);
 * any other difference fails the test.
 *
 * `deliberate` ones are sansdns's choice and README.md lists them; `fix` ones
 * would be bugs of ours (none is left). The deliberate defaults
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

const deliberate = (where: Where, why: string, ours?: string, node?: string): Known => ({
  where, why, kind: 'deliberate', ...(ours === undefined ? {} : { ours }), ...(node === undefined ? {} : { node }),
});
const hostile = (why: string, ours: string, node: string): Known => deliberate(['hostile'], why, ours, node);

const DROP = 'a datagram that is not a well-formed answer to the query is dropped, and the query waits for one that is (RFC 5452 §9.1); c-ares fails the query with EBADRESP, so one forged datagram ends it';
const LOOP = 'a CNAME loop has no answer: EBADRESP; Node resolves [] (the answer section is not empty)';
const CHAIN = 'a CNAME chain longer than maxCnameChain (default 8) is EBADRESP, every bound being explicit; Node follows any length (raise maxCnameChain to follow it)';
const NAPTR_HIGH = 'a NAPTR string with a byte outside printable ASCII: c-ares rejects the whole answer (EBADRESP, whatever was asked); ours reads the bytes as Latin-1, as it does for TXT';
const FULL = ['bind', 'nsd', 'unbound'];
const LOOPS = ['dnsmasq', 'knot', 'nsd'];

/** Known differences by case id: each deliberate, each listed in README.md ("Differences from node:dns"). */
export const KNOWN: Readonly<Record<string, Known>> = {
  'CNAME loop of 2 A': deliberate(LOOPS, LOOP, 'EBADRESP', 'value'),
  'CNAME loop of 2 TXT': deliberate(LOOPS, LOOP, 'EBADRESP', 'value'),
  'CNAME to itself A': deliberate(LOOPS, LOOP, 'EBADRESP', 'value'),
  'chain of 10 A': deliberate(FULL, CHAIN, 'EBADRESP', 'value'),
  'chain of 10 TXT': deliberate(FULL, CHAIN, 'EBADRESP', 'value'),
  'chain of 10 A ttl': deliberate(FULL, CHAIN, 'EBADRESP', 'value'),
  'chain of 10 AAAA ttl': deliberate(FULL, CHAIN, 'EBADRESP', 'value'),
  // the hostile server
  'hostile garbage A': hostile(DROP, 'ETIMEOUT', 'EBADRESP'),
  'hostile short A': hostile(DROP, 'ETIMEOUT', 'EBADRESP'),
  'hostile noquestion A': hostile(DROP, 'ETIMEOUT', 'EBADRESP'),
  'hostile garbagefirst A': hostile(DROP, 'value', 'EBADRESP'),
  'hostile qr0 A': hostile('a datagram without QR is a query, not an answer (RFC 1035 §4.1.1): dropped; c-ares takes it as the answer', 'ETIMEOUT', 'value'),
  'hostile othername A': hostile('records whose owner is neither the name asked nor a CNAME target of it do not answer the question (RFC 2181 §5.4.1): ignored; c-ares returns them', 'ENODATA', 'value'),
  'hostile badrdlen A': hostile('an A record whose rdata is not 4 bytes is malformed (RFC 1035 §3.4.1): EBADRESP; c-ares reads the first 4 bytes', 'EBADRESP', 'value'),
  'hostile trailing A': hostile('bytes after the last record make the message malformed: EBADRESP; c-ares ignores them', 'EBADRESP', 'value'),
  'hostile yxdomain A': hostile('an rcode that means nothing for a query (YXDOMAIN, NOTAUTH, ...) is EBADRESP; c-ares says ENODATA, as if the name had no data', 'EBADRESP', 'ENODATA'),
  'hostile notauth A': hostile('an rcode that means nothing for a query (YXDOMAIN, NOTAUTH, ...) is EBADRESP; c-ares says ENODATA, as if the name had no data', 'EBADRESP', 'ENODATA'),
  'hostile cnameloop A': hostile(LOOP, 'EBADRESP', 'value'),
  'hostile negttl A ttl': hostile('TTLs are reported capped at maxTtl (default 86400 s; RFC 2181 §8 caps them at 2^31 - 1); c-ares reports the raw 32 bits', 'value', 'value'),
  'hostile naptrhigh A': { where: ['hostile'], kind: 'deliberate', why: NAPTR_HIGH, ours: 'ENODATA', node: 'EBADRESP' },
  'hostile naptrhigh own type': { where: ['hostile'], kind: 'deliberate', why: NAPTR_HIGH, ours: 'value', node: 'EBADRESP' },
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
