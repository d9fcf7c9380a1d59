import { describe, expect, it } from 'vitest';
import type { DnsRecord } from '../../../src/core/codec/types.js';
import { fromBase64, toHex } from '../../../src/core/dnssec/bytes.js';
import { canonicalLabels, compareNames, nameWire } from '../../../src/core/dnssec/names.js';
import { canonicalRdata } from '../../../src/core/dnssec/rdata-wire.js';
import { hasType, readDnskey, readRrsig } from '../../../src/core/dnssec/records.js';
import { groupRRsets, type RRset } from '../../../src/core/dnssec/rrset.js';
import { validityCode, verifyRRset } from '../../../src/core/dnssec/verify-rrset.js';
import { EDE } from '../../../src/core/dnssec/ede.js';
import { Prng } from '../../../src/sim/prng.js';
import { makeKey, dnskeyRecord } from '../../../src/sim/dnssec/keys.js';
import { signRRset } from '../../../src/sim/dnssec/sign.js';
import { SIGNATURES, dnskeyRdata, rrsigTime } from './vectors.js';
import { context, roundTrip, rrsig } from './helpers.js';

function withSigs(records: readonly DnsRecord[]): RRset[] {
  const sets = groupRRsets(records);
  for (const r of records) {
    const sig = readRrsig(r);
    if (sig === undefined) continue;
    for (const s of sets) if (s.type === sig.typeCovered && compareNames(s.labels, canonicalLabels(r.name)) === 0) s.sigs.push(sig);
  }
  return sets;
}

describe('canonical order of names (RFC 4034 §6.1)', () => {
  it('sorts the RFC example', () => {
    const order = ['example', 'a.example', 'yljkjljk.a.example', 'Z.a.example', 'zABC.a.EXAMPLE', 'z.example', '\\001.z.example', '*.z.example', '\\200.z.example'];
    const shuffled = [...order].reverse();
    shuffled.sort((a, b) => compareNames(canonicalLabels(a), canonicalLabels(b)));
    expect(shuffled).toEqual(order);
  });
  it('writes names in lower-case wire form (RFC 4034 §6.2)', () => {
    expect(toHex(nameWire('Ab.C'))).toBe('0261620163' + '00');
    expect(toHex(nameWire('.'))).toBe('00');
  });
});

describe('canonical rdata (RFC 4034 §6.2, RFC 6840 §5.1)', () => {
  const rec = (type: DnsRecord['type'], data: unknown): DnsRecord => ({ name: 'x.example', type, class: 1, ttl: 1, data } as DnsRecord);
  it('lower-cases names in MX, NS, CNAME, SOA and writes them uncompressed', () => {
    expect(toHex(canonicalRdata(rec('MX', { preference: 10, exchange: 'Mail.Example' })))).toBe('000a' + '046d61696c076578616d706c6500');
    const soa = canonicalRdata(rec('SOA', { mname: 'NS.example', rname: 'h.example', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 }));
    expect(toHex(soa)).toBe('026e73076578616d706c6500' + '0168076578616d706c6500' + '0000000100000002000000030000000400000005');
  });
  it('keeps the case of SVCB targets and the bytes of TXT and raw types', () => {
    expect(toHex(canonicalRdata(rec('SVCB', { priority: 1, target: 'A.b', params: [] })))).toBe('0001' + '014101620' + '0');
    expect(toHex(canonicalRdata(rec('TXT', [Uint8Array.of(65, 97)])))).toBe('024161');
    expect(canonicalRdata(rec('DS', Uint8Array.of(1, 2, 3, 4)))).toEqual(Uint8Array.of(1, 2, 3, 4));
  });
  it('reads NSEC type bitmaps (RFC 4034 §4.1.2)', () => {
    const bitmap = Uint8Array.of(0, 6, 0x40, 0x01, 0, 0, 0, 0x03, 1, 1, 0x40);
    expect([1, 2, 15, 46, 47, 257, 258, 48].map((t) => hasType(bitmap, t))).toEqual([true, false, true, true, true, true, false, false]);
  });
});

describe('RRSIG over decoded RRsets: published examples (RFC 5702, RFC 6605)', () => {
  for (const v of SIGNATURES) {
    const key: DnsRecord = { name: v.zone, type: 'DNSKEY', class: 1, ttl: 3600, data: dnskeyRdata(v.dnskey) };
    const sig = rrsig(v.owner, { type: 1, algorithm: v.algorithm, labels: 3, ttl: 3600, expiration: rrsigTime(v.expiration), inception: rrsigTime(v.inception), tag: v.tag, signer: v.zone, signature: fromBase64(v.signature) as Uint8Array });
    const a: DnsRecord = { name: 'WWW.Example.NET', type: 'A', class: 1, ttl: 300, data: v.address };
    const m = roundTrip([a, a, sig]);
    const [set] = withSigs(m.answers);
    const keys = [readDnskey(key)!];
    const zone = canonicalLabels(v.zone);
    const mid = (rrsigTime(v.inception) + rrsigTime(v.expiration)) / 2;
    it(`${v.source}: verifies (owner case and duplicates do not matter)`, () => {
      const r = verifyRRset(set!, keys, zone, context(mid));
      expect(r.ok).toBe(true);
    });
    it(`${v.source}: expired one second after expiration, not valid one second before inception`, () => {
      expect(verifyRRset(set!, keys, zone, context(rrsigTime(v.expiration))).ok).toBe(true);
      expect(verifyRRset(set!, keys, zone, context(rrsigTime(v.expiration) + 1))).toMatchObject({ ok: false, code: EDE.signatureExpired });
      expect(verifyRRset(set!, keys, zone, context(rrsigTime(v.inception) - 1))).toMatchObject({ ok: false, code: EDE.signatureNotYetValid });
    });
    it(`${v.source}: a changed address does not verify`, () => {
      const [other] = withSigs(roundTrip([{ ...a, data: '192.0.2.2' }, sig]).answers);
      expect(verifyRRset(other!, keys, zone, context(mid))).toMatchObject({ ok: false, code: EDE.dnssecBogus });
    });
  }
});

describe('RRSIG checks (RFC 4035 §5.3.1)', () => {
  const prng = new Prng(7);
  const ksk = makeKey('example', 15, 257, prng);
  const zsk = makeKey('example', 13, 256, prng);
  const validity = { inception: 1000, expiration: 2000 };
  const keys = [readDnskey(dnskeyRecord(ksk, 60))!, readDnskey(dnskeyRecord(zsk, 60))!];
  const zone = canonicalLabels('example');
  const mx: DnsRecord = { name: 'a.example', type: 'MX', class: 1, ttl: 60, data: { preference: 1, exchange: 'm.example' } };

  it('finds no RRSIG, a missing key, a non-zone key, a wrong signer', () => {
    expect(verifyRRset(withSigs([mx])[0]!, keys, zone, context(1500))).toMatchObject({ code: EDE.rrsigsMissing });
    const other = makeKey('example', 13, 256, new Prng(99));
    expect(verifyRRset(withSigs(roundTrip([mx, signRRset([mx], other, 'example', validity)]).answers)[0]!, keys, zone, context(1500))).toMatchObject({ code: EDE.dnskeyMissing });
    const noZone = { ...keys[1]!, flags: 0 };
    expect(verifyRRset(withSigs(roundTrip([mx, signRRset([mx], zsk, 'example', validity)]).answers)[0]!, [noZone], zone, context(1500))).toMatchObject({ code: EDE.noZoneKeyBitSet });
    expect(verifyRRset(withSigs(roundTrip([mx, signRRset([mx], zsk, 'example', validity)]).answers)[0]!, keys, canonicalLabels('other'), context(1500))).toMatchObject({ code: EDE.dnssecBogus });
  });
  it('verifies a wildcard expansion by its Labels field, and refuses Labels above the owner count', () => {
    const star: DnsRecord = { ...mx, name: '*.example' };
    const sig = signRRset([star], zsk, 'example', validity);
    const expanded = roundTrip([{ ...mx, name: 'deep.x.example' }, { ...sig, name: 'deep.x.example' }]).answers;
    expect(verifyRRset(withSigs(expanded)[0]!, keys, zone, context(1500)).ok).toBe(true);
    const good = signRRset([mx], zsk, 'example', validity);
    const tooMany = { ...good, data: Uint8Array.from(good.data as Uint8Array, (b, i) => (i === 3 ? 5 : b)) };
    expect(verifyRRset(withSigs(roundTrip([mx, tooMany]).answers)[0]!, keys, zone, context(1500))).toMatchObject({ code: EDE.dnssecBogus });
  });
  it('skips unsupported algorithms, and reports them', () => {
    const sig = signRRset([mx], zsk, 'example', validity);
    const data = sig.data as Uint8Array;
    const dsa = { ...sig, data: Uint8Array.from(data, (b, i) => (i === 2 ? 3 : b)) };
    expect(verifyRRset(withSigs(roundTrip([mx, dsa]).answers)[0]!, keys, zone, context(1500))).toMatchObject({ code: EDE.unsupportedDnskeyAlgorithm });
  });
  it('bounds colliding keys and verifications (KeyTrap)', () => {
    const sig = signRRset([mx], zsk, 'example', validity);
    const bad = { ...readDnskey(dnskeyRecord(zsk, 60))!, publicKey: new Uint8Array(64).fill(1) };
    const set = withSigs(roundTrip([mx, sig]).answers)[0]!;
    const many = [bad, bad, bad, bad, bad, keys[1]!];
    const ctx = context(1500);
    expect(verifyRRset(set, many, zone, ctx)).toMatchObject({ ok: false, code: EDE.dnssecBogus });
    expect(ctx.budget.verifications).toBe(4);
    const tight = context(1500, { maxVerifications: 2 });
    const r = verifyRRset(set, many, zone, tight);
    expect(r).toMatchObject({ ok: false });
    expect(r.ok ? '' : r.reason).toMatch(/budget/);
    expect(tight.budget.verifications).toBe(2);
  });
  it('compares validity times in serial-number arithmetic (RFC 4034 §3.1.5, RFC 1982)', () => {
    const wrap = readRrsig(rrsig('a.example', { type: 15, algorithm: 13, labels: 2, ttl: 1, inception: 0xffffff00, expiration: 0x100, tag: 1, signer: 'example', signature: new Uint8Array(64) }))!;
    expect(validityCode(wrap, 2 ** 32 + 0x10)).toBe(0);
    expect(validityCode(wrap, 0xfffffff0)).toBe(0);
    expect(validityCode(wrap, 2 ** 32 + 0x101)).toBe(EDE.signatureExpired);
    expect(validityCode(wrap, 0xfffffe00)).toBe(EDE.signatureNotYetValid);
  });
});
