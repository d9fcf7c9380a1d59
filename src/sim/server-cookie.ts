/**
 * Server cookies for the simulated name server (RFC 7873 §5.2, in the
 * interoperable format of RFC 9018 §4): Version 1, three reserved bytes, a
 * 32-bit timestamp in seconds, and SipHash-2-4 (RFC 9018 §4.4) of client
 * cookie, version, reserved bytes, timestamp and client address under the
 * server's 16-byte secret. A cookie verifies when its hash matches and it is
 * at most an hour old (RFC 9018 §4.3); it is renewed on every answer.
 */
import { isIPv4, ipv6Groups as parseIPv6 } from '../core/codec/ip.js';

const M64 = (1n << 64n) - 1n;

function rotl(x: bigint, b: bigint): bigint {
  return ((x << b) | (x >> (64n - b))) & M64;
}

function le64(b: Uint8Array, p: number): bigint {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[p + i] ?? 0);
  return v;
}

/** SipHash-2-4 of `m` under the 16-byte key `k` (Aumasson and Bernstein, 2012), as 8 little-endian bytes. */
export function siphash24(k: Uint8Array, m: Uint8Array): Uint8Array {
  const k0 = le64(k, 0);
  const k1 = le64(k, 8);
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const round = (): void => {
    v0 = (v0 + v1) & M64; v1 = rotl(v1, 13n) ^ v0; v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & M64; v3 = rotl(v3, 16n) ^ v2;
    v0 = (v0 + v3) & M64; v3 = rotl(v3, 21n) ^ v0;
    v2 = (v2 + v1) & M64; v1 = rotl(v1, 17n) ^ v2; v2 = rotl(v2, 32n);
  };
  const full = m.length - (m.length % 8);
  const last = new Uint8Array(8);
  last.set(m.subarray(full));
  last[7] = m.length & 0xff;
  for (let p = 0; p <= full; p += 8) {
    const w = p < full ? le64(m, p) : le64(last, 0);
    v3 ^= w;
    round();
    round();
    v0 ^= w;
  }
  v2 ^= 0xffn;
  for (let i = 0; i < 4; i++) round();
  let h = v0 ^ v1 ^ v2 ^ v3;
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++, h >>= 8n) out[i] = Number(h & 0xffn);
  return out;
}

function addressBytes(address: string): Uint8Array {
  if (isIPv4(address)) return Uint8Array.from(address.split('.').map(Number));
  const groups = parseIPv6(address) ?? [];
  return Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 0xff]));
}

/** The 16-byte server cookie for `client` (8 bytes) from `address` at `seconds` (RFC 9018 §4). */
export function serverCookie(secret: Uint8Array, client: Uint8Array, address: string, seconds: number): Uint8Array {
  const ip = addressBytes(address);
  const input = new Uint8Array(16 + ip.length);
  input.set(client);
  input[8] = 1;
  const ts = seconds >>> 0;
  input[12] = ts >>> 24;
  input[13] = (ts >>> 16) & 0xff;
  input[14] = (ts >>> 8) & 0xff;
  input[15] = ts & 0xff;
  input.set(ip, 16);
  const out = new Uint8Array(16);
  out.set(input.subarray(8, 16));
  out.set(siphash24(secret, input), 8);
  return out;
}

/** True when `cookie` (the server part a client sent back) is ours for `client` and `address`, at most an hour old. */
export function verifyCookie(secret: Uint8Array, client: Uint8Array, cookie: Uint8Array, address: string, seconds: number): boolean {
  if (cookie.length !== 16 || cookie[0] !== 1) return false;
  const ts = ((cookie[4]! << 24) | (cookie[5]! << 16) | (cookie[6]! << 8) | cookie[7]!) >>> 0;
  if (seconds - ts > 3600 || ts - seconds > 300) return false;
  const want = serverCookie(secret, client, address, ts);
  return want.every((b, i) => b === cookie[i]);
}
