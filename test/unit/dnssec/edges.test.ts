/** Small edges of the DNSSEC modules, each a branch the larger tests do not reach. */
import { describe, expect, it } from 'vitest';
import { algorithmName } from '../../../src/core/dnssec/algorithms.js';
import { Anchors } from '../../../src/core/dnssec/anchors.js';
import { bytesEqual } from '../../../src/core/dnssec/bytes.js';
import { canonicalLabels } from '../../../src/core/dnssec/names.js';
import { nobleVerifier } from '../../../src/core/dnssec/noble-verifier.js';
import { dnssecSettings } from '../../../src/core/dnssec/options.js';
import { typeCode } from '../../../src/core/dnssec/rdata-wire.js';
import { readDnskey, readDs, readNsec, readNsec3, readRrsig } from '../../../src/core/dnssec/records.js';
import { KeyCache, type ZoneState } from '../../../src/core/dnssec/zone-state.js';
import type { DnsRecord } from '../../../src/core/codec/types.js';

const rec = (type: DnsRecord['type'], data: Uint8Array, name = 'example'): DnsRecord => ({ name, type, class: 1, ttl: 60, data }) as DnsRecord;

describe('DNSSEC edges', () => {
  it('names algorithms it has no mnemonic for as ALG<n>', () => {
    expect(algorithmName(13)).toBe('ECDSAP256SHA256');
    expect(algorithmName(253)).toBe('ALG253');
  });
  it('refuses an anchor line without a type, and picks the deepest anchor above a name', () => {
    expect(() => new Anchors('example.')).toThrow(expect.objectContaining({ code: 'EBADOPTION' }));
    const a = new Anchors('. IN DS 1 13 2 00112233\nexample.test. IN DS 2 13 2 44556677\ntest. IN DS 3 13 2 8899aabb');
    expect(a.closest(canonicalLabels('www.example.test'))?.name).toBe('example.test');
    expect(a.closest(canonicalLabels('other.test'))?.name).toBe('test');
    expect(a.closest(canonicalLabels('org'))?.name).toBe('.');
  });
  it('compares bytes of different lengths as different', () => {
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
  });
  it('the noble verifier refuses algorithms it does not support before any work', () => {
    const v = nobleVerifier();
    expect(v.verify(3, new Uint8Array(32), new Uint8Array(8), new Uint8Array(64))).toBe(false);
    expect(v.verify(16, new Uint8Array(56), new Uint8Array(8), new Uint8Array(114))).toBe(false);
  });
  it('the noble verifier answers false where the library throws (a key that is not bytes)', () => {
    const notBytes = { length: 32 } as unknown as Uint8Array;
    expect(nobleVerifier().verify(15, notBytes, new Uint8Array(8), new Uint8Array(64))).toBe(false);
  });
  it('refuses a verifier without supports()', () => {
    expect(() => dnssecSettings({ unixTime: () => 0, verifier: { verify: () => true } } as never)).toThrow(expect.objectContaining({ code: 'EBADOPTION' }));
  });
  it('reads the type code of a record of an unknown type (RFC 3597)', () => {
    expect(typeCode(rec('TYPE65534', new Uint8Array()))).toBe(65534);
    expect(typeCode(rec('A', new Uint8Array(4)))).toBe(1);
  });
  it('readers return nothing for records of another type, and lower-case the names inside rdata', () => {
    const a = rec('A', Uint8Array.of(192, 0, 2, 1));
    for (const read of [readDnskey, readDs, readNsec, readNsec3, readRrsig]) expect(read(a)).toBeUndefined();
    const wire = Uint8Array.from([3, ...new TextEncoder().encode('WwW'), 7, ...new TextEncoder().encode('Example'), 0, 0, 1, 0x40]);
    expect(readNsec(rec('NSEC', wire))?.next.map((l) => new TextDecoder().decode(l))).toEqual(['www', 'example']);
  });
  it('the key cache forgets its least recently used entry past its size, and keeps nothing at size 0', () => {
    const s = (reason: string): ZoneState => ({ kind: 'insecure', code: undefined, reason, proof: [], expires: 1000, validUntil: 2000 });
    const cache = new KeyCache(2);
    cache.set('a', s('a'));
    cache.set('b', s('b'));
    expect(cache.get('a', 0, 0)).toMatchObject({ reason: 'a' });
    cache.set('c', s('c'));
    expect(cache.get('b', 0, 0)).toBeUndefined();
    expect(cache.get('a', 0, 0)).toMatchObject({ reason: 'a' });
    expect(cache.get('c', 0, 0)).toMatchObject({ reason: 'c' });
    const none = new KeyCache(0);
    none.set('a', s('a'));
    expect(none.get('a', 0, 0)).toBeUndefined();
  });
});
