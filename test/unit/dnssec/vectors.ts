/**
 * Published DNSSEC examples used as test vectors, with their source:
 * RFC 4034 §5.4 (DS), RFC 4509 §2.3, RFC 5702 §6.1-6.2 (RSA/SHA-2),
 * RFC 6605 §6.1-6.2 (ECDSA), RFC 8080 §6 (EdDSA; its example signatures are
 * known not to verify, so its private keys are used to sign instead), and
 * the root KSK-2017 from the IANA root anchors (Debian dns-root-data).
 */
import { fromBase64 } from '../../../src/core/dnssec/bytes.js';

/** DNSKEY rdata from `flags protocol algorithm base64`. */
export function dnskeyRdata(text: string): Uint8Array {
  const [flags, protocol, algorithm, ...rest] = text.trim().split(/\s+/);
  const key = fromBase64(rest.join('')) as Uint8Array;
  const out = new Uint8Array(4 + key.length);
  out[0] = Number(flags) >> 8;
  out[1] = Number(flags) & 0xff;
  out[2] = Number(protocol);
  out[3] = Number(algorithm);
  out.set(key, 4);
  return out;
}

/** UNIX seconds of a `YYYYMMDDHHmmSS` RRSIG time (RFC 4034 §3.2). */
export function rrsigTime(text: string): number {
  const n = (a: number, b: number): number => Number(text.slice(a, b));
  return Date.UTC(n(0, 4), n(4, 6) - 1, n(6, 8), n(8, 10), n(10, 12), n(12, 14)) / 1000;
}

export interface SigVector {
  readonly source: string;
  readonly owner: string;
  readonly zone: string;
  readonly dnskey: string;
  readonly tag: number;
  /** The signed A record's address (www.example.net. 3600 IN A). */
  readonly address: string;
  readonly algorithm: number;
  readonly expiration: string;
  readonly inception: string;
  readonly signature: string;
}

export const SIGNATURES: readonly SigVector[] = [
  {
    source: 'RFC 5702 §6.1', owner: 'www.example.net', zone: 'example.net', tag: 9033, address: '192.0.2.91', algorithm: 8,
    dnskey: '256 3 8 AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8PkxUdp6p/DlUmObdk=',
    expiration: '20300101000000', inception: '20000101000000',
    signature: 'kRCOH6u7l0QGy9qpC9l1sLncJcOKFLJ7GhiUOibu4teYp5VE9RncriShZNz85mwlMgNEacFYK/lPtPiVYP4bwg==',
  },
  {
    source: 'RFC 5702 §6.2', owner: 'www.example.net', zone: 'example.net', tag: 3740, address: '192.0.2.91', algorithm: 10,
    dnskey: '256 3 10 AwEAAdHoNTOW+et86KuJOWRDp1pndvwb6Y83nSVXXyLA3DLroROUkN6X0O6pnWnjJQujX/AyhqFDxj13tOnD9u/1kTg7cV6rklMrZDtJCQ5PCl/D7QNPsgVsMu1J2Q8gpMpztNFLpPBz1bWXjDtaR7ZQBlZ3PFY12ZTSncorffcGmhOL',
    expiration: '20300101000000', inception: '20000101000000',
    signature: 'tsb4wnjRUDnB1BUi+t6TMTXThjVnG+eCkWqjvvjhzQL1d0YRoOe0CbxrVDYd0xDtsuJRaeUw1ep94PzEWzr0iGYgZBWm/zpq+9fOuagYJRfDqfReKBzMweOLDiNa8iP5g9vMhpuv6OPlvpXwm9Sa9ZXIbNl1MBGk0fthPgxdDLw=',
  },
  {
    source: 'RFC 6605 §6.1', owner: 'www.example.net', zone: 'example.net', tag: 55648, address: '192.0.2.1', algorithm: 13,
    dnskey: '257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==',
    expiration: '20100909100439', inception: '20100812100439',
    signature: 'qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==',
  },
  {
    source: 'RFC 6605 §6.2', owner: 'www.example.net', zone: 'example.net', tag: 10771, address: '192.0.2.1', algorithm: 14,
    dnskey: '257 3 14 xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1w/egsXvSADtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8/uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40',
    expiration: '20100909102025', inception: '20100812102025',
    signature: '/L5hDKIvGDyI1fcARX3z65qrmPsVz73QD1Mr5CEqOiLP95hxQouuroGCeZOvzFaxsT8Glr74hbavRKayJNuydCuzWTSSPdz7wnqXL5bdcJzusdnI0RSMROxxwGipWcJm',
  },
];

export interface DsVector {
  readonly source: string;
  readonly owner: string;
  readonly dnskey: string;
  readonly tag: number;
  readonly digestType: number;
  readonly digest: string;
}

const DSKEY = '256 3 5 AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==';
/** Root KSK-2017 (/etc/bind/bind.keys), whose DS is the IANA root anchor 20326. */
export const ROOT_KSK_2017 = '257 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU=';

export const DIGESTS: readonly DsVector[] = [
  { source: 'RFC 4034 §5.4', owner: 'dskey.example.com', dnskey: DSKEY, tag: 60485, digestType: 1, digest: '2BB183AF5F22588179A53B0A98631FAD1A292118' },
  { source: 'RFC 4509 §2.3', owner: 'dskey.example.com', dnskey: DSKEY, tag: 60485, digestType: 2, digest: 'D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A' },
  { source: 'RFC 6605 §6.1', owner: 'example.net', dnskey: SIGNATURES[2]!.dnskey, tag: 55648, digestType: 2, digest: 'b4c8c1fe2e7477127b27115656ad6256f424625bf5c1e2770ce6d6e37df61d17' },
  { source: 'RFC 6605 §6.2', owner: 'example.net', dnskey: SIGNATURES[3]!.dnskey, tag: 10771, digestType: 4, digest: '72d7b62976ce06438e9c0bf319013cf801f09ecc84b8d7e9495f27e305c6a9b0563a9b5f4d288405c3008a946df983d6' },
  { source: 'RFC 8080 §6', owner: 'example.com', dnskey: '257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=', tag: 3613, digestType: 2, digest: '3aa5ab37efce57f737fc1627013fee07bdf241bd10f3b1964ab55c78e79a304b' },
  { source: 'RFC 8080 §6', owner: 'example.com', dnskey: '257 3 16 3kgROaDjrh0H2iuixWBrc8g2EpBBLCdGzHmn+G2MpTPhpj/OiBVHHSfPodx1FYYUcJKm1MDpJtIA', tag: 9713, digestType: 2, digest: '6ccf18d5bc5d7fc2fceb1d59d17321402f2aa8d368048db93dd811f5cb2b19c7' },
  { source: 'IANA root anchor KSK-2017', owner: '.', dnskey: ROOT_KSK_2017, tag: 20326, digestType: 2, digest: 'E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D' },
];

/** RFC 8080 §6 private keys (base64 seeds) and their public keys. */
export const EDDSA_KEYS: readonly { algorithm: 15 | 16; secret: string; publicKey: string }[] = [
  { algorithm: 15, secret: 'ODIyNjAzODQ2MjgwODAxMjI2NDUxOTAyMDQxNDIyNjI=', publicKey: 'l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=' },
  { algorithm: 15, secret: 'DSSF3o0s0f+ElWzj9E/Osxw8hLpk55chkmx0LYN5WiY=', publicKey: 'zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs=' },
  { algorithm: 16, secret: 'xZ+5Cgm463xugtkY5B0Jx6erFTXp13rYegst0qRtNsOYnaVpMx0Z/c5EiA9x8wWbDDct/U3FhYWA', publicKey: '3kgROaDjrh0H2iuixWBrc8g2EpBBLCdGzHmn+G2MpTPhpj/OiBVHHSfPodx1FYYUcJKm1MDpJtIA' },
  { algorithm: 16, secret: 'WEykD3ht3MHkU8iH4uVOLz8JLwtRBSqiBoM6fF72+Mrp/u5gjxuB1DV6NnPO2BlZdz4hdSTkOdOA', publicKey: 'kkreGWoccSDmUBGAe7+zsbG6ZAFQp+syPmYUurBRQc3tDjeMCJcVMRDmgcNLp5HlHAMy12VoISsA' },
];
