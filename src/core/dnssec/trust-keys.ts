/**
 * Trusting a zone's DNSKEY RRset (RFC 4035 §5.2): from DS records (the
 * parent's, already validated, or a DS trust anchor) or from DNSKEY trust
 * anchors. The keys a DS names (tag, algorithm, digest of owner | rdata)
 * must sign the DNSKEY RRset. When no DS has a supported algorithm and
 * digest type, the zone is insecure (RFC 4035 §5.2, RFC 6840 §5.2); when
 * SHA-256 or SHA-384 DS records are present, SHA-1 ones are ignored
 * (RFC 4509 §3).
 */
import type { DnsRecord } from '../codec/types.js';
import { bytesEqual } from './bytes.js';
import { dsDigest } from './digest.js';
import { EDE } from './ede.js';
import { PENDING, type Env, type Pending } from './env.js';
import { labelsWire, nameOf } from './names.js';
import { isZoneKey, readDnskey, type Dnskey, type Ds } from './records.js';
import { withSigs } from './rrset.js';
import { verifyRRset } from './verify-rrset.js';
import type { ZoneState } from './zone-state.js';
import { algorithmName } from './algorithms.js';

const DNSKEY = 48;

/** UNIX time at which a signature with serial `expiration` expires, seen from `now`. */
export function untilOf(expiration: number, now: number): number {
  return now + ((expiration - (Math.floor(now) % 0x100000000) + 0x100000000) % 0x100000000);
}

function bogus(code: number, reason: string): ZoneState {
  return { kind: 'bogus', code, reason };
}

/** DS records usable here: supported algorithm and digest; SHA-1 digests only when nothing stronger is there. */
function usableDs(env: Env, ds: readonly Ds[]): Ds[] {
  const supported = ds.filter((d) => env.ctx.verifier.supports(d.algorithm) && (d.digestType === 2 || d.digestType === 4 || (d.digestType === 1 && env.sha1)));
  return supported.some((d) => d.digestType !== 1) ? supported.filter((d) => d.digestType !== 1) : supported;
}

/** Keys of `keys` that a DS of `ds` names, for zone `zone`. */
function matchDs(keys: readonly Dnskey[], ds: readonly Ds[], zone: Uint8Array): Dnskey[] {
  return keys.filter((k) => ds.some((d) => d.keyTag === k.tag && d.algorithm === k.algorithm && bytesEqual(dsDigest(d.digestType, zone, k.rdata) ?? new Uint8Array(0), d.digest)));
}

/** Why no DS is usable: an unsupported algorithm or an unsupported digest type (RFC 8914 codes 1 and 2). */
function unusableCode(env: Env, ds: readonly Ds[]): number {
  return ds.some((d) => env.ctx.verifier.supports(d.algorithm)) ? EDE.unsupportedDsDigestType : EDE.unsupportedDnskeyAlgorithm;
}

/**
 * The state of zone `zone` given trusted DS records `ds` or trusted DNSKEYs
 * `anchorKeys` (one of the two is empty), with `proof` and `parentExpiry`
 * carried down from above.
 */
export function trustKeys(
  env: Env, zone: Uint8Array[], ds: readonly Ds[], anchorKeys: readonly Dnskey[], proof: DnsRecord[], expires: number, validUntil: number,
): ZoneState | Pending {
  const name = nameOf(zone);
  const usable = usableDs(env, ds);
  const anchored = anchorKeys.filter((k) => env.ctx.verifier.supports(k.algorithm));
  if (usable.length === 0 && anchored.length === 0) {
    const code = ds.length > 0 ? unusableCode(env, ds) : EDE.unsupportedDnskeyAlgorithm;
    const reason = `${name}: no DS or anchor with a supported algorithm and digest (RFC 4035 §5.2, RFC 6840 §5.2): insecure`;
    env.log(reason);
    return { kind: 'insecure', code, reason, proof, expires, validUntil };
  }
  const f = env.response(zone, DNSKEY);
  if (f === undefined) return PENDING;
  if (!f.ok) return { kind: 'error', code: f.code, reason: `DNSKEY ${name}: ${f.detail}` };
  const set = withSigs(f.event.records).find((s) => s.type === DNSKEY);
  if (set === undefined) return bogus(EDE.dnskeyMissing, `DNSKEY ${name}: no DNSKEY RRset in the answer`);
  const keys = set.records.map((r) => readDnskey(r) as Dnskey);
  const entry = anchored.length > 0 ? keys.filter((k) => anchored.some((a) => bytesEqual(a.rdata, k.rdata))) : matchDs(keys, usable, labelsWire(zone));
  if (entry.length === 0) return bogus(EDE.dnskeyMissing, `DNSKEY ${name}: no key matches a ${anchored.length > 0 ? 'trust anchor' : 'DS'}`);
  const v = verifyRRset(set, entry.filter(isZoneKey), zone, env.ctx);
  if (!v.ok) return bogus(v.code, `DNSKEY ${name}: ${v.reason}`);
  env.log(`secure: ${name}/DNSKEY signed by ${algorithmName(v.sig.algorithm)} key ${v.key.tag}, which the ${anchored.length > 0 ? 'trust anchor' : 'DS'} names (RFC 4035 §5.2)`);
  const ttl = Math.min(...set.records.map((r) => r.ttl));
  return {
    kind: 'secure', zone, keys: keys.filter(isZoneKey), proof: [...proof, ...f.event.records],
    expires: Math.min(expires, env.t + ttl * 1000), validUntil: Math.min(validUntil, untilOf(v.sig.expiration, env.ctx.unixNow)),
  };
}
