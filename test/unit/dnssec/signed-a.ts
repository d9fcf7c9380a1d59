/** Signed data of the published A-record examples, built by hand (independently of src/core/dnssec/rrset.ts). */
import { concatBytes } from '../../../src/core/dnssec/bytes.js';
import { rrsigTime } from './vectors.js';

/** Uncompressed lower-case wire form of a presentation name (test helper; plain ASCII names only). */
export function wire(name: string): Uint8Array {
  if (name === '.') return new Uint8Array([0]);
  const parts = name.toLowerCase().split('.').map((l) => new Uint8Array([l.length, ...new TextEncoder().encode(l)]));
  return concatBytes([...parts, new Uint8Array([0])]);
}

function be(n: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = size - 1; i >= 0; i--, n = Math.floor(n / 256)) out[i] = n % 256;
  return out;
}

/** Signed data of an A RRset of one record (RFC 4034 §3.1.8.1), built by hand. */
export function signedA(v: { owner: string; zone: string; algorithm: number; tag: number; expiration: string; inception: string; address: string }): Uint8Array {
  const labels = v.owner.split('.').length;
  const head = concatBytes([be(1, 2), be(v.algorithm, 1), be(labels, 1), be(3600, 4), be(rrsigTime(v.expiration), 4), be(rrsigTime(v.inception), 4), be(v.tag, 2), wire(v.zone)]);
  const rdata = new Uint8Array(v.address.split('.').map(Number));
  return concatBytes([head, wire(v.owner), be(1, 2), be(1, 2), be(3600, 4), be(4, 2), rdata]);
}

