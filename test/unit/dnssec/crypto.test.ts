import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ed448 } from '@noble/curves/ed448.js';
import { concatBytes, fromBase64, fromHex, toHex } from '../../../src/core/dnssec/bytes.js';
import { keyTag } from '../../../src/core/dnssec/key-tag.js';
import { dsDigest } from '../../../src/core/dnssec/digest.js';
import { nobleVerifier } from '../../../src/core/dnssec/noble-verifier.js';
import { readRsaKey } from '../../../src/core/dnssec/rsa.js';
import { DIGESTS, EDDSA_KEYS, SIGNATURES, dnskeyRdata } from './vectors.js';
import { signedA, wire } from './signed-a.js';

const verifier = nobleVerifier();

describe('key tag (RFC 4034 Appendix B) and DS digests (RFC 4034 §5.1.4)', () => {
  for (const v of DIGESTS) {
    it(`${v.source}: tag ${v.tag}, digest type ${v.digestType}`, () => {
      const rdata = dnskeyRdata(v.dnskey);
      expect(keyTag(rdata)).toBe(v.tag);
      expect(toHex(dsDigest(v.digestType, wire(v.owner), rdata) as Uint8Array)).toBe(v.digest.toLowerCase());
    });
  }
  it('has no digest for an unsupported digest type (GOST, 3)', () => {
    expect(dsDigest(3, wire('.'), new Uint8Array(4))).toBeUndefined();
  });
  for (const v of SIGNATURES) {
    it(`${v.source}: key tag ${v.tag}`, () => expect(keyTag(dnskeyRdata(v.dnskey))).toBe(v.tag));
  }
});

describe('signature vectors (RFC 5702, RFC 6605)', () => {
  for (const v of SIGNATURES) {
    const key = dnskeyRdata(v.dnskey).subarray(4);
    const data = signedA(v);
    const sig = fromBase64(v.signature) as Uint8Array;
    it(`${v.source}: algorithm ${v.algorithm} verifies`, () => {
      expect(verifier.verify(v.algorithm, key, data, sig)).toBe(true);
    });
    it(`${v.source}: a changed byte of data or signature fails`, () => {
      const d = data.slice();
      d[d.length - 1] = (d[d.length - 1] as number) ^ 1;
      expect(verifier.verify(v.algorithm, key, d, sig)).toBe(false);
      const s = sig.slice();
      s[10] = (s[10] as number) ^ 0x40;
      expect(verifier.verify(v.algorithm, key, data, s)).toBe(false);
    });
  }
  it('refuses RSASHA512 with a 512-bit key (no room for the SHA-512 DigestInfo, RFC 8017 §9.2)', () => {
    const v = SIGNATURES[0]!;
    expect(verifier.verify(10, dnskeyRdata(v.dnskey).subarray(4), signedA(v), fromBase64(v.signature) as Uint8Array)).toBe(false);
  });
  it('checks with node:crypto as an independent oracle (ECDSA P-256)', () => {
    const v = SIGNATURES[2]!;
    const key = dnskeyRdata(v.dnskey).subarray(4);
    const jwk = { kty: 'EC', crv: 'P-256', x: Buffer.from(key.subarray(0, 32)).toString('base64url'), y: Buffer.from(key.subarray(32)).toString('base64url') };
    const ok = nodeVerify('sha256', signedA(v), { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, fromBase64(v.signature) as Uint8Array);
    expect(ok).toBe(true);
  });
});

describe('EdDSA (RFC 8080 §6 keys)', () => {
  const data = fromHex('000f0f0200000e10') as Uint8Array;
  for (const k of EDDSA_KEYS) {
    const curve = k.algorithm === 15 ? ed25519 : ed448;
    const secret = fromBase64(k.secret) as Uint8Array;
    const pub = fromBase64(k.publicKey) as Uint8Array;
    it(`algorithm ${k.algorithm}: the private key gives the published public key`, () => {
      expect(toHex(curve.getPublicKey(secret))).toBe(toHex(pub));
    });
    it(`algorithm ${k.algorithm}: a signature verifies, a changed one does not`, () => {
      const sig = curve.sign(data, secret);
      expect(verifier.verify(k.algorithm, pub, data, sig)).toBe(true);
      const bad = sig.slice();
      bad[0] = (bad[0] as number) ^ 1;
      expect(verifier.verify(k.algorithm, pub, data, bad)).toBe(false);
      expect(verifier.verify(k.algorithm, pub.subarray(1), data, sig)).toBe(false);
    });
  }
});

describe('malformed keys and signatures are false, never a throw', () => {
  it('rejects RSA keys that are malformed or out of bounds (RFC 3110 §2)', () => {
    expect(readRsaKey(new Uint8Array([1, 3]))).toBeUndefined();
    expect(readRsaKey(new Uint8Array([0, 0, 0, 1]))).toBeUndefined();
    expect(readRsaKey(concatBytes([new Uint8Array([9]), new Uint8Array(9).fill(1), new Uint8Array(64).fill(0xff)]))).toBeUndefined();
    expect(readRsaKey(concatBytes([new Uint8Array([1, 3]), new Uint8Array(32).fill(0xff)]))).toBeUndefined();
    expect(readRsaKey(concatBytes([new Uint8Array([1, 3]), new Uint8Array(600).fill(0xff)]))).toBeUndefined();
    expect(readRsaKey(new Uint8Array([1, 3, 0, 0]))).toBeUndefined();
    const long = readRsaKey(concatBytes([new Uint8Array([0, 0, 1, 3]), new Uint8Array(64).fill(0xff)]));
    expect(long?.e).toBe(3n);
    expect(long?.k).toBe(64);
  });
  it('rejects a signature longer than the modulus or not below it', () => {
    const v = SIGNATURES[0]!;
    const key = dnskeyRdata(v.dnskey).subarray(4);
    expect(verifier.verify(8, key, signedA(v), new Uint8Array(65).fill(1))).toBe(false);
    expect(verifier.verify(8, key, signedA(v), new Uint8Array(64).fill(0xff))).toBe(false);
    expect(verifier.verify(8, new Uint8Array(2), signedA(v), new Uint8Array(64))).toBe(false);
  });
  it('rejects ECDSA keys and signatures of the wrong size or off the curve', () => {
    const v = SIGNATURES[2]!;
    const key = dnskeyRdata(v.dnskey).subarray(4);
    const sig = fromBase64(v.signature) as Uint8Array;
    expect(verifier.verify(13, key.subarray(1), signedA(v), sig)).toBe(false);
    expect(verifier.verify(14, key, signedA(v), sig)).toBe(false);
    expect(verifier.verify(13, new Uint8Array(64).fill(7), signedA(v), sig)).toBe(false);
    expect(verifier.verify(15, new Uint8Array(32), signedA(v), new Uint8Array(64))).toBe(false);
  });
  it('supports 5, 7, 8, 10, 13-16, and drops SHA-1 on request', () => {
    expect([1, 3, 5, 6, 7, 8, 10, 12, 13, 14, 15, 16, 17].filter((a) => verifier.supports(a))).toEqual([5, 7, 8, 10, 13, 14, 15, 16]);
    const noSha1 = nobleVerifier({ sha1: false });
    expect(noSha1.supports(5) || noSha1.supports(7)).toBe(false);
    expect(noSha1.verify(5, new Uint8Array(3), new Uint8Array(0), new Uint8Array(0))).toBe(false);
    expect(verifier.verify(12, new Uint8Array(3), new Uint8Array(0), new Uint8Array(0))).toBe(false);
  });
  it('reads bytes: base64 and hex refuse garbage', () => {
    expect(fromBase64('a')).toBeUndefined();
    expect(fromBase64('!!!!')).toBeUndefined();
    expect(fromHex('abc')).toBeUndefined();
  });
});
