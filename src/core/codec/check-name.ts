/**
 * The bounded name check shared by the walk and the rdata checks
 * (RFC 1035 §3.1, §4.1.4; RFC 6891 §5 for the reserved label types).
 *
 * Checks return a non-negative offset on success and one of the negative
 * codes below on failure, so the walk allocates nothing.
 */

import type { MalformedReason } from './types.js';

/** The message ends inside a name or fixed field (RFC 1035 §4.1). */
export const TRUNCATED = -1;
/** A label of reserved type 0b01 or 0b10 (RFC 6891 §5). */
export const BAD_LABEL = -2;
/** A compression pointer that does not point strictly backwards, or too many hops (RFC 1035 §4.1.4). */
export const BAD_POINTER = -3;
/** An expanded name over 255 bytes (RFC 1035 §2.3.4). */
export const NAME_TOO_LONG = -4;
/** Rdata that does not match its type's layout exactly. */
export const BAD_RDATA = -5;
/** An rdlength past the end of the message (RFC 1035 §4.1.3). */
export const BAD_RDLENGTH = -6;
/** A second OPT record (RFC 6891 §6.1.1). */
export const MULTIPLE_OPT = -7;

/** Reasons by negated code. */
const REASONS: readonly MalformedReason[] = [
  'truncated', 'truncated', 'bad-label', 'bad-pointer', 'name-too-long', 'bad-rdata', 'bad-rdlength', 'multiple-opt',
];

/** The stable `MalformedReason` for a negative walk code. */
export function reasonOf(code: number): MalformedReason {
  return REASONS[-code] as MalformedReason;
}

/** Most compression pointers (RFC 1035 §4.1.4) followed within one name. */
export const MAX_POINTER_HOPS = 32;

/**
 * Check the name at `off`, whose uncompressed part must end before `bound`.
 * Labels must be of type 0b00 (length) or 0b11 (pointer). A pointer (only if
 * `allowPointer`) must target the header-free part of the message strictly
 * before the start of the run of labels it ends, so every hop moves
 * backwards and loops are impossible; at most {@link MAX_POINTER_HOPS} hops,
 * and the expanded name is at most 255 bytes.
 * @returns the offset just after the name in the stream, or a negative code;
 * a forbidden pointer is `BAD_RDATA`.
 */
export function checkName(b: Uint8Array, off: number, bound: number, allowPointer: boolean): number {
  let pos = off;
  let segment = off;
  let limit = bound;
  let end = -1;
  let wire = 1;
  let hops = 0;
  for (;;) {
    if (pos >= limit) return TRUNCATED;
    const len = b[pos] as number;
    if (len === 0) return end < 0 ? pos + 1 : end;
    if (len < 0x40) {
      wire += len + 1;
      if (wire > 255) return NAME_TOO_LONG;
      pos += len + 1;
      continue;
    }
    if (len < 0xc0) return BAD_LABEL;
    if (!allowPointer) return BAD_RDATA;
    if (pos + 1 >= limit) return TRUNCATED;
    const target = ((len & 0x3f) << 8) | (b[pos + 1] as number);
    if (end < 0) end = pos + 2;
    if (target >= segment || target < 12 || ++hops > MAX_POINTER_HOPS) return BAD_POINTER;
    pos = segment = target;
    limit = b.length;
  }
}
