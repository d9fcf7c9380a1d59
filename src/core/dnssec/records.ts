/**
 * DNSSEC rdata read from the exact bytes the codec keeps for DNSKEY, RRSIG,
 * DS, NSEC and NSEC3 (RFC 4034 §2.1, §3.1, §4.1, §5.1; RFC 5155 §3.2). The
 * codec has already checked each layout, so reading cannot run out of
 * bounds; `undefined` is returned for a record of another type.
 */
import type { DnsRecord } from '../codec/types.js';
import { u16, u32 } from './bytes.js';
import { keyTag } from './key-tag.js';
import { canonicalLabels, labelsWire, nameOf } from './names.js';

/** A DNSKEY (RFC 4034 §2.1). */
export interface Dnskey {
  readonly owner: string;
  readonly flags: number;
  readonly protocol: number;
  readonly algorithm: number;
  readonly publicKey: Uint8Array;
  readonly tag: number;
  readonly rdata: Uint8Array;
}

/** An RRSIG (RFC 4034 §3.1). Times are RFC 1982 serial numbers of UNIX seconds. */
export interface Rrsig {
  readonly owner: string;
  readonly typeCovered: number;
  readonly algorithm: number;
  readonly labels: number;
  readonly originalTtl: number;
  readonly expiration: number;
  readonly inception: number;
  readonly keyTag: number;
  /** Signer's name, labels lower-cased. */
  readonly signer: Uint8Array[];
  readonly signerName: string;
  readonly signature: Uint8Array;
  /** The rdata without the signature: the head of the signed data (RFC 4034 §3.1.8.1), signer lower-cased. */
  readonly head: Uint8Array;
}

/** A DS (RFC 4034 §5.1). */
export interface Ds {
  readonly keyTag: number;
  readonly algorithm: number;
  readonly digestType: number;
  readonly digest: Uint8Array;
}

/** An NSEC (RFC 4034 §4.1). */
export interface Nsec {
  readonly owner: Uint8Array[];
  readonly next: Uint8Array[];
  readonly types: Uint8Array;
}

/** An NSEC3 (RFC 5155 §3.2). `hash` is the owner's first label decoded from base32hex. */
export interface Nsec3 {
  readonly owner: string;
  readonly hashAlgorithm: number;
  /** The Flags field; only 0 and 1 (opt-out) are defined (RFC 5155 §3.1.2). */
  readonly flags: number;
  readonly optOut: boolean;
  readonly iterations: number;
  readonly salt: Uint8Array;
  readonly next: Uint8Array;
  readonly types: Uint8Array;
}

const ZONE_KEY = 0x0100;
const REVOKE = 0x0080;

/** Labels of the uncompressed wire name at `p`, lower-cased; and the offset after it. */
function wireLabels(b: Uint8Array, p: number): [Uint8Array[], number] {
  const labels: Uint8Array[] = [];
  for (let len = b[p] as number; len !== 0; len = b[p] as number) {
    const label = b.slice(p + 1, p + 1 + len);
    for (let i = 0; i < label.length; i++) if ((label[i] as number) >= 0x41 && (label[i] as number) <= 0x5a) label[i] = (label[i] as number) | 0x20;
    labels.push(label);
    p += len + 1;
  }
  return [labels, p + 1];
}

/** The DNSKEY in `r`. */
export function readDnskey(r: DnsRecord): Dnskey | undefined {
  if (r.type !== 'DNSKEY') return undefined;
  const b = r.data;
  return { owner: r.name, flags: u16(b, 0), protocol: b[2] as number, algorithm: b[3] as number, publicKey: b.subarray(4), tag: keyTag(b), rdata: b };
}

/** True for a key that may validate signatures: zone key bit set, not revoked (RFC 4034 §2.1.1, RFC 5011 §3), protocol 3. */
export function isZoneKey(k: Dnskey): boolean {
  return (k.flags & ZONE_KEY) !== 0 && (k.flags & REVOKE) === 0 && k.protocol === 3;
}

/** The RRSIG in `r`. */
export function readRrsig(r: DnsRecord): Rrsig | undefined {
  if (r.type !== 'RRSIG') return undefined;
  const b = r.data;
  const [signer, end] = wireLabels(b, 18);
  const head = b.slice(0, end);
  head.set(labelsWire(signer), 18);
  return {
    owner: r.name, typeCovered: u16(b, 0), algorithm: b[2] as number, labels: b[3] as number, originalTtl: u32(b, 4),
    expiration: u32(b, 8), inception: u32(b, 12), keyTag: u16(b, 16), signer, signerName: nameOf(signer),
    signature: b.subarray(end), head,
  };
}

/** The DS in `r`. */
export function readDs(r: DnsRecord): Ds | undefined {
  if (r.type !== 'DS') return undefined;
  const b = r.data;
  return { keyTag: u16(b, 0), algorithm: b[2] as number, digestType: b[3] as number, digest: b.subarray(4) };
}

/** The NSEC in `r`. */
export function readNsec(r: DnsRecord): Nsec | undefined {
  if (r.type !== 'NSEC') return undefined;
  const [next, end] = wireLabels(r.data, 0);
  return { owner: canonicalLabels(r.name), next, types: r.data.subarray(end) };
}

/** The NSEC3 in `r`. */
export function readNsec3(r: DnsRecord): Nsec3 | undefined {
  if (r.type !== 'NSEC3') return undefined;
  const b = r.data;
  const saltEnd = 5 + (b[4] as number);
  const hashEnd = saltEnd + 1 + (b[saltEnd] as number);
  return {
    owner: r.name, hashAlgorithm: b[0] as number, flags: b[1] as number, optOut: ((b[1] as number) & 1) === 1, iterations: u16(b, 2),
    salt: b.subarray(5, saltEnd), next: b.subarray(saltEnd + 1, hashEnd), types: b.subarray(hashEnd),
  };
}

/** True when the type bitmap `types` (RFC 4034 §4.1.2) has `type`. */
export function hasType(types: Uint8Array, type: number): boolean {
  const window = type >> 8;
  const bit = type & 0xff;
  for (let p = 0; p < types.length; p += 2 + (types[p + 1] as number)) {
    if (types[p] !== window) continue;
    const len = types[p + 1] as number;
    const byte = bit >> 3;
    return byte < len && (((types[p + 2 + byte] as number) >> (7 - (bit & 7))) & 1) === 1;
  }
  return false;
}
