/**
 * The bounded name check shared by the walk and the rdata checks
 * (RFC 1035 §3.1, §4.1.4; RFC 6891 §5 for the reserved label types).
 *
 * Checks return a non-negative offset on success and one of the negative
 * codes below on failure, so the walk allocates nothing.
 */

import type { MalformedReason } from './types.js';

/** Failure codes of the walk. */
export const TRUNCATED = -1;
export const BAD_LABEL = -2;
export const BAD_POINTER = -3;
export const NAME_TOO_LONG = -4;
export const BAD_RDATA = -5;
export const BAD_RDLENGTH = -6;
export const MULTIPLE_OPT = -7;

/** Reasons by negated code. */
const REASONS: readonly MalformedReason[] = [
  'truncated', 'truncated', 'bad-label', 'bad-pointer', 'name-too-long', 'bad-rdata', 'bad-rdlength', 'multiple-opt',
];

/** The stable reason for a negative walk code. */
export function reasonOf(code: number): MalformedReason {
  return REASONS[-code] as MalformedReason;
}

/** Most compression pointers followed within one name. */
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
