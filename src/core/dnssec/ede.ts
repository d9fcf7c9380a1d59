/**
 * Extended DNS Errors (RFC 8914): the INFO-CODEs this validator reports, and
 * decoding of the EDE options (EDNS option 15, RFC 8914 §2) that upstream
 * servers put in their OPT record.
 */
import type { Message } from '../codec/types.js';
import { u16 } from './bytes.js';

/** INFO-CODEs used here (RFC 8914 §4; 27 from RFC 9276 §3.2). */
export const EDE = {
  other: 0,
  unsupportedDnskeyAlgorithm: 1,
  unsupportedDsDigestType: 2,
  dnssecIndeterminate: 5,
  dnssecBogus: 6,
  signatureExpired: 7,
  signatureNotYetValid: 8,
  dnskeyMissing: 9,
  rrsigsMissing: 10,
  noZoneKeyBitSet: 11,
  nsecMissing: 12,
  noReachableAuthority: 22,
  unsupportedNsec3Iterations: 27,
} as const;

/** One Extended DNS Error: its INFO-CODE and EXTRA-TEXT (RFC 8914 §2). */
export interface ExtendedError {
  readonly code: number;
  readonly text: string;
}

const EDE_OPTION = 15;
const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * The Extended DNS Errors of `message`'s OPT record, in order (RFC 8914 §2).
 * An option shorter than its 2-byte INFO-CODE is skipped (§3: ignored).
 */
export function extendedErrors(message: Message): ExtendedError[] {
  const out: ExtendedError[] = [];
  for (const o of message.edns?.options ?? []) {
    if (o.code !== EDE_OPTION || o.data.length < 2) continue;
    out.push({ code: u16(o.data, 0), text: utf8.decode(o.data.subarray(2)).replace(/\0+$/, '') });
  }
  return out;
}
