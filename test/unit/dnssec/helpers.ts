/** Helpers of the DNSSEC unit tests: records from text-ish fields, messages through the real codec. */
import type { DnsRecord, Message } from '../../../src/core/codec/types.js';
import { encodeMessage } from '../../../src/core/codec/index.js';
import { decode } from '../../helpers/decode.js';
import { concatBytes } from '../../../src/core/dnssec/bytes.js';
import { nameWire } from '../../../src/core/dnssec/names.js';
import { Budget, DEFAULT_LIMITS, type ValidationLimits } from '../../../src/core/dnssec/budget.js';
import { nobleVerifier } from '../../../src/core/dnssec/noble-verifier.js';
import type { VerifyContext } from '../../../src/core/dnssec/verify-rrset.js';

export function be(n: number, size: number): number[] {
  const out: number[] = [];
  for (let i = size - 1; i >= 0; i--) out.push(Math.floor(n / 256 ** i) % 256);
  return out;
}

/** An RRSIG record from its fields (RFC 4034 §3.1). */
export function rrsig(owner: string, f: { type: number; algorithm: number; labels: number; ttl: number; expiration: number; inception: number; tag: number; signer: string; signature: Uint8Array }): DnsRecord {
  const head = Uint8Array.from([...be(f.type, 2), f.algorithm, f.labels, ...be(f.ttl, 4), ...be(f.expiration, 4), ...be(f.inception, 4), ...be(f.tag, 2), ...nameWire(f.signer)]);
  return { name: owner, type: 'RRSIG', class: 1, ttl: f.ttl, data: concatBytes([head, f.signature]) };
}

/** Records as a resolver sees them: encoded into a message and decoded back by the codec. */
export function roundTrip(answers: readonly DnsRecord[], authorities: readonly DnsRecord[] = [], rcode = 0): Message {
  const wire = encodeMessage({ id: 1, flags: { qr: true }, rcode, questions: [{ name: 'q.example', type: 1, class: 1 }], answers, authorities });
  return decode(wire);
}

/** A verification context at UNIX time `now`. */
export function context(now: number, limits: Partial<ValidationLimits> = {}): VerifyContext {
  return { verifier: nobleVerifier(), unixNow: now, budget: new Budget({ ...DEFAULT_LIMITS, ...limits }) };
}
