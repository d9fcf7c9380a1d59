import { describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ed448 } from '@noble/curves/ed448.js';
import { fromBase64, fromHex } from '../../../src/core/dnssec/bytes.js';
import { nodeVerifier } from '../../../src/drivers/node/dnssec-verifier.js';
import { nobleVerifier } from '../../../src/core/dnssec/noble-verifier.js';
import { Prng } from '../../../src/sim/prng.js';
import { makeKey, signBytes, type SimAlgorithm } from '../../../src/sim/dnssec/keys.js';
import { EDDSA_KEYS, SIGNATURES, dnskeyRdata } from './vectors.js';
import { signedA } from './signed-a.js';

describe('nodeVerifier (node:crypto) agrees with nobleVerifier', () => {
  const node = nodeVerifier();
  const noble = nobleVerifier();
  for (const v of SIGNATURES) {
    it(`${v.source}: algorithm ${v.algorithm}`, () => {
      const key = dnskeyRdata(v.dnskey).subarray(4);
      const sig = fromBase64(v.signature) as Uint8Array;
      const data = signedA(v);
      expect(node.verify(v.algorithm, key, data, sig)).toBe(true);
      const bad = data.slice();
      bad[5] = (bad[5] as number) ^ 1;
      expect(node.verify(v.algorithm, key, bad, sig)).toBe(false);
      expect(node.verify(v.algorithm, key, data, sig)).toBe(noble.verify(v.algorithm, key, data, sig));
    });
  }
  it('EdDSA and ECDSA signatures made by the simulator verify with both', () => {
    const data = fromHex('00010203') as Uint8Array;
    for (const alg of [13, 14, 15, 16] as SimAlgorithm[]) {
      const k = makeKey('example', alg, 257, new Prng(alg));
      const sig = signBytes(k, data);
      expect([node.verify(alg, k.publicKey, data, sig), noble.verify(alg, k.publicKey, data, sig)]).toEqual([true, true]);
    }
    const ed = EDDSA_KEYS[2]!;
    const sig = ed448.sign(data, fromBase64(ed.secret) as Uint8Array);
    expect(node.verify(16, fromBase64(ed.publicKey) as Uint8Array, data, sig)).toBe(true);
    expect(node.verify(15, ed25519.getPublicKey(new Uint8Array(32)), data, sig.subarray(0, 64))).toBe(false);
  });
  it('refuses unsupported algorithms and malformed keys without throwing', () => {
    expect(node.verify(12, new Uint8Array(64), new Uint8Array(1), new Uint8Array(64))).toBe(false);
    expect(node.verify(13, new Uint8Array(10), new Uint8Array(1), new Uint8Array(64))).toBe(false);
    expect(node.verify(8, new Uint8Array(3), new Uint8Array(1), new Uint8Array(64))).toBe(false);
    expect(node.verify(15, new Uint8Array(5), new Uint8Array(1), new Uint8Array(64))).toBe(false);
    expect(nodeVerifier({ sha1: false }).supports(5)).toBe(false);
  });
});
