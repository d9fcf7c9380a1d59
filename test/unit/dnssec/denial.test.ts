import { describe, expect, it } from 'vitest';
import type { DnsRecord } from '../../../src/core/codec/types.js';
import { Budget, DEFAULT_LIMITS } from '../../../src/core/dnssec/budget.js';
import { canonicalLabels, compareNames, labelsWire, nameWire } from '../../../src/core/dnssec/names.js';
import { nsecNodata, nsecNxdomain, nsecWildcardAnswer } from '../../../src/core/dnssec/nsec.js';
import { Nsec3Set, base32hex, nsec3Hash, nsec3Nodata, nsec3Nxdomain, nsec3WildcardAnswer } from '../../../src/core/dnssec/nsec3.js';
import { readNsec, readNsec3 } from '../../../src/core/dnssec/records.js';
import { typeBitmap } from '../../../src/sim/dnssec/bitmap.js';
import { roundTrip } from './helpers.js';

const L = canonicalLabels;

/** The zone of RFC 4035 Appendix A (names and types, without signatures). */
const ZONE: Record<string, string[]> = {
  example: ['NS', 'SOA', 'MX', 'RRSIG', 'NSEC', 'DNSKEY'],
  'a.example': ['NS', 'DS', 'RRSIG', 'NSEC'],
  'ai.example': ['A', 'HINFO', 'AAAA', 'RRSIG', 'NSEC'],
  'b.example': ['NS', 'RRSIG', 'NSEC'],
  'ns1.example': ['A', 'RRSIG', 'NSEC'],
  'ns2.example': ['A', 'RRSIG', 'NSEC'],
  '*.w.example': ['MX', 'RRSIG', 'NSEC'],
  'x.w.example': ['MX', 'RRSIG', 'NSEC'],
  'x.y.w.example': ['MX', 'RRSIG', 'NSEC'],
  'xx.example': ['A', 'HINFO', 'AAAA', 'RRSIG', 'NSEC'],
};

function nsecChain(): ReturnType<typeof readNsec>[] {
  const names = Object.keys(ZONE).sort((a, b) => compareNames(L(a), L(b)));
  const records: DnsRecord[] = names.map((n, i) => {
    const next = nameWire(names[(i + 1) % names.length]!);
    const bits = typeBitmap(ZONE[n]!);
    const data = new Uint8Array(next.length + bits.length);
    data.set(next);
    data.set(bits, next.length);
    return { name: n, type: 'NSEC', class: 1, ttl: 3600, data };
  });
  return roundTrip([], records).authorities.map(readNsec);
}

const nsecs = nsecChain().filter((n) => n !== undefined);

describe('NSEC denial (RFC 4035 §5.4, RFC 4035 Appendix B)', () => {
  it('B.2 NXDOMAIN ml.example: covered, and so is *.example', () => {
    expect(nsecNxdomain(nsecs, L('ml.example'))).toEqual({ ok: true });
    expect(nsecNxdomain(nsecs.filter((n) => compareNames(n.owner, L('example')) !== 0), L('ml.example'))).toMatchObject({ ok: false });
    expect(nsecNxdomain(nsecs, L('ns1.example'))).toMatchObject({ ok: false });
  });
  it('B.3 NODATA ns1.example MX; a name with the type is not denied', () => {
    expect(nsecNodata(nsecs, L('ns1.example'), 15)).toEqual({ ok: true });
    expect(nsecNodata(nsecs, L('ns1.example'), 1)).toMatchObject({ ok: false });
  });
  it('B.6 wildcard expansion a.z.w.example from *.w.example; not from *.example', () => {
    expect(nsecWildcardAnswer(nsecs, L('a.z.w.example'), 2)).toEqual({ ok: true });
    expect(nsecWildcardAnswer(nsecs, L('a.z.w.example'), 1)).toMatchObject({ ok: false });
  });
  it('B.7 wildcard NODATA a.z.w.example AAAA; MX is not denied', () => {
    expect(nsecNodata(nsecs, L('a.z.w.example'), 28)).toEqual({ ok: true });
    expect(nsecNodata(nsecs, L('a.z.w.example'), 15)).toMatchObject({ ok: false });
  });
  it('an insecure delegation: DS denied at b.example by the parent-side NSEC (NS, no DS, no SOA)', () => {
    expect(nsecNodata(nsecs, L('b.example'), 43)).toEqual({ ok: true });
    expect(nsecNodata(nsecs, L('a.example'), 43)).toMatchObject({ ok: false });
  });
  it('a delegation NSEC neither denies names below the cut nor other types (RFC 6840 §4.1, §4.4)', () => {
    expect(nsecNxdomain(nsecs, L('x.b.example'))).toMatchObject({ ok: false });
    expect(nsecNodata(nsecs, L('b.example'), 1)).toMatchObject({ ok: false });
    expect(nsecNodata(nsecs, L('example'), 43)).toMatchObject({ ok: false });
  });
});

/** The zone of RFC 5155 Appendix A; every NSEC3 has opt-out; b and c are unsigned delegations left out of the chain. */
const ZONE3: Record<string, string[]> = {
  example: ['NS', 'SOA', 'MX', 'RRSIG', 'DNSKEY', 'NSEC3PARAM'],
  'a.example': ['NS', 'DS', 'RRSIG'],
  'ai.example': ['A', 'HINFO', 'AAAA', 'RRSIG'],
  'ns1.example': ['A', 'RRSIG'],
  'ns2.example': ['A', 'RRSIG'],
  'w.example': [],
  '*.w.example': ['MX', 'RRSIG'],
  'x.w.example': ['MX', 'RRSIG'],
  'y.w.example': [],
  'x.y.w.example': ['MX', 'RRSIG'],
  'xx.example': ['A', 'HINFO', 'AAAA', 'RRSIG'],
};
const SALT = Uint8Array.of(0xaa, 0xbb, 0xcc, 0xdd);

function nsec3Chain(optOut: boolean, iterations = 12): DnsRecord[] {
  const hashed = Object.keys(ZONE3).map((n) => ({ n, h: nsec3Hash(nameWire(n), SALT, iterations) })).sort((a, b) => (base32hex(a.h) < base32hex(b.h) ? -1 : 1));
  return hashed.map(({ n, h }, i) => {
    const next = hashed[(i + 1) % hashed.length]!.h;
    const bits = typeBitmap(ZONE3[n]!);
    const data = Uint8Array.from([1, optOut ? 1 : 0, iterations >> 8, iterations & 0xff, 4, ...SALT, 20, ...next, ...bits]);
    return { name: `${base32hex(h)}.example`, type: 'NSEC3', class: 1, ttl: 3600, data };
  });
}

function set(optOut: boolean, limits = {}, iterations = 12): Nsec3Set {
  const recs = roundTrip([], nsec3Chain(optOut, iterations)).authorities.map(readNsec3).filter((r) => r !== undefined);
  return new Nsec3Set(recs, L('example'), new Budget({ ...DEFAULT_LIMITS, ...limits }));
}

describe('NSEC3 (RFC 5155 §8, RFC 5155 Appendix B)', () => {
  it('hashes as RFC 5155 Appendix A and BIND nsec3hash do', () => {
    expect(base32hex(nsec3Hash(nameWire('example'), SALT, 12))).toBe('0p9mhaveqvm6t7vbl5lop2u3t2rp3tom');
    expect(base32hex(nsec3Hash(nameWire('*.w.example'), SALT, 12))).toBe('r53bq7cc2uvmubfu5ocmm6pers9tk9en');
    expect(base32hex(nsec3Hash(labelsWire(L('x.y.w.example')), SALT, 12))).toBe('2vptu5timamqttgl4luu9kg21e0aor3s');
  });
  it('B.1 NXDOMAIN a.c.x.w.example: proven without opt-out; insecure when an opt-out span covers the next closer (RFC 5155 §9.2, as unbound)', () => {
    expect(nsec3Nxdomain(set(true), L('a.c.x.w.example'))).toEqual({ ok: true, insecure: expect.stringMatching(/^NXDOMAIN: .*opt-out \(RFC 5155 §9\.2\)/) });
    expect(nsec3Nxdomain(set(false), L('a.c.x.w.example'))).toEqual({ ok: true });
    expect(nsec3Nxdomain(set(false), L('x.w.example'))).toMatchObject({ ok: false });
  });
  it('B.2 NODATA ns1.example MX and B.2.1 the empty non-terminal y.w.example', () => {
    expect(nsec3Nodata(set(true), L('ns1.example'), 15)).toEqual({ ok: true });
    expect(nsec3Nodata(set(true), L('y.w.example'), 1)).toEqual({ ok: true });
    expect(nsec3Nodata(set(true), L('ns1.example'), 1)).toMatchObject({ ok: false });
  });
  it('B.3 DS of the unsigned delegation c.example: denied by opt-out (insecure, RFC 5155 §8.6, §9.2); without opt-out not', () => {
    expect(nsec3Nodata(set(true), L('c.example'), 43)).toEqual({ ok: true, insecure: expect.stringMatching(/^no DS: .*opt-out/) });
    expect(nsec3Nodata(set(false), L('c.example'), 43)).toMatchObject({ ok: false });
    expect(nsec3Nodata(set(true), L('example'), 43)).toMatchObject({ ok: false });
    expect(nsec3Nodata(set(true), L('a.example'), 1)).toMatchObject({ ok: false });
  });
  it('B.4 wildcard expansion a.z.w.example and B.5 wildcard NODATA', () => {
    expect(nsec3WildcardAnswer(set(false), L('a.z.w.example'), 2)).toEqual({ ok: true });
    expect(nsec3WildcardAnswer(set(false), L('x.w.example'), 1)).toMatchObject({ ok: false });
    expect(nsec3WildcardAnswer(set(true), L('a.z.w.example'), 2)).toMatchObject({ ok: true, insecure: expect.stringMatching(/opt-out/) });
    expect(nsec3Nodata(set(false), L('a.z.w.example'), 28)).toEqual({ ok: true });
    expect(nsec3Nodata(set(false), L('a.z.w.example'), 15)).toMatchObject({ ok: false });
    expect(nsec3Nodata(set(true), L('a.z.w.example'), 28)).toEqual({ ok: true, insecure: expect.stringMatching(/^wildcard NODATA: .*opt-out/) });
  });
  it('marks chains above the iteration bound, and stops hashing when the work budget is spent (CVE-2023-50868)', () => {
    expect(set(false, { maxNsec3Iterations: 10 }).tooCostly).toBe(true);
    expect(set(false).tooCostly).toBe(false);
    expect(nsec3Nxdomain(set(false, { maxNsec3Work: 26 }), L('a.b.c.d.e.f.x.w.example'))).toMatchObject({ ok: false, reason: expect.stringMatching(/budget/) });
  });
});

describe('NSEC3 edges: unusable records, missing links and the work budget', () => {
  const records = (optOut = false): ReturnType<typeof readNsec3>[] => roundTrip([], nsec3Chain(optOut)).authorities.map(readNsec3);
  const from = (recs: readonly ReturnType<typeof readNsec3>[], limits = {}): Nsec3Set => new Nsec3Set(recs.filter((r) => r !== undefined), L('example'), new Budget({ ...DEFAULT_LIMITS, ...limits }));
  const hashOf = (n: string): string => base32hex(nsec3Hash(nameWire(n), SALT, 12));
  const covers = (r: NonNullable<ReturnType<typeof readNsec3>>, h: string): boolean => {
    const owner = r.owner.split('.')[0]!.toLowerCase();
    const next = base32hex(r.next);
    return next <= owner ? h > owner || h < next : h > owner && h < next;
  };

  it('base32hex pads the last group (RFC 4648 §7)', () => {
    expect(base32hex(Uint8Array.of(0xff))).toBe('vs');
    expect(base32hex(Uint8Array.of())).toBe('');
  });
  it('ignores records of another hash algorithm, unknown flags, or other parameters than the first (RFC 5155 §8.1, §8.2)', () => {
    const all = records().filter((r) => r !== undefined);
    const apex = all.find((r) => r.owner.startsWith(hashOf('example')))!;
    const other = all.find((r) => r !== apex)!;
    expect(from([other, apex]).match(L('example'))).toBe(apex);
    for (const alien of [{ ...apex, hashAlgorithm: 2 }, { ...apex, flags: 2 }, { ...apex, iterations: 13 }, { ...apex, salt: Uint8Array.of(1) }]) {
      expect(from([other, alien]).match(L('example'))).toBeUndefined();
    }
    expect(from([{ ...apex, flags: 2 }, apex]).match(L('example'))).toBe(apex);
  });
  it('a closest encloser that is a delegation or DNAME proves nothing below it', () => {
    expect(nsec3Nxdomain(from(records()), L('x.a.example'))).toEqual({ ok: false, reason: 'the closest encloser is a delegation or DNAME' });
  });
  it('no matching ancestor, no covered next closer, no covered wildcard: each a reason', () => {
    const all = records().filter((r) => r !== undefined);
    const apex = all.find((r) => r.owner.startsWith(hashOf('example')))!;
    expect(nsec3Nxdomain(from(all.filter((r) => r !== apex)), L('nope.example'))).toEqual({ ok: false, reason: 'no NSEC3 matches an ancestor of the name' });
    const outside = Array.from({ length: 50 }, (_, i) => `q${i}.example`).find((n) => !covers(apex, hashOf(n)))!;
    expect(nsec3Nxdomain(from([apex]), L(outside))).toEqual({ ok: false, reason: 'no NSEC3 covers the next closer name' });
    expect(nsec3Nodata(from([apex]), L(outside), 1)).toEqual({ ok: false, reason: 'no NSEC3 covers the next closer name' });
    const starCover = all.find((r) => covers(r, hashOf('*.example')))!;
    const name = Array.from({ length: 50 }, (_, i) => `q${i}.example`).find((n) => !covers(starCover, hashOf(n)))!;
    expect(nsec3Nxdomain(from(all.filter((r) => r !== starCover)), L(name))).toEqual({ ok: false, reason: 'no NSEC3 covers the wildcard at the closest encloser' });
  });
  it('stops at every step where the work budget runs out (each hash costs iterations + 1 = 13)', () => {
    const spent = { ok: false, reason: 'NSEC3 hashing budget spent (option maxNsec3Work)' };
    const budget = (hashes: number): Record<string, number> => ({ maxNsec3Work: 13 * hashes });
    // a.c.x.w.example: c.x.w (no match), x.w (match, its next closer memoised), then the wildcard *.x.w.
    expect(nsec3Nxdomain(from(records(), budget(0)), L('a.c.x.w.example'))).toEqual(spent);
    expect(nsec3Nxdomain(from(records(), budget(2)), L('a.c.x.w.example'))).toEqual(spent);
    // zz.x.w.example: x.w matches at once, so covering the next closer needs a hash of its own.
    expect(nsec3Nxdomain(from(records(), budget(1)), L('zz.x.w.example'))).toEqual(spent);
    expect(nsec3Nodata(from(records(), budget(0)), L('ns1.example'), 15)).toEqual(spent);
    // a.z.w.example A: itself, z.w, w (match), then the wildcard *.w.
    expect(nsec3Nodata(from(records(), budget(3)), L('a.z.w.example'), 28)).toEqual(spent);
    expect(nsec3WildcardAnswer(from(records(), budget(0)), L('a.z.w.example'), 2)).toEqual(spent);
  });
});
