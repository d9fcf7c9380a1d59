/**
 * The validating walk: every byte of a message is accounted for before any
 * value is decoded (RFC 1035 §4.1, RFC 6891 §6.1.1). The walk allocates
 * nothing; it reads the header counts, then each question and record,
 * checking names ({@link checkName}), rdlength against the buffer and each
 * known type's exact layout ({@link checkRdata}).
 */

import {
  BAD_RDATA, BAD_RDLENGTH, MULTIPLE_OPT, TRUNCATED, checkName, reasonOf,
} from './check-name.js';
import { checkOptions, checkRdata } from './rdata.js';
import { OPT } from './rr-types.js';
import { u16 } from './bytes.js';
import type { MalformedReason } from './types.js';

/** Smallest question: root name and type and class (RFC 1035 §4.1.2). */
const MIN_QUESTION = 5;
/** Smallest record: root name, type, class, TTL, rdlength (RFC 1035 §4.1.3). */
const MIN_RECORD = 11;

/**
 * Where the last walk found the OPT record: the offset of its TYPE field
 * (RFC 6891 §6.1.2: the owner is the root, so its record starts one byte
 * before), or -1 without one. Scratch the walk writes and allocates nothing
 * for: read it right after {@link walkMessage} (`checkMessage`) accepted a
 * message, before anything walks again (the receive path reads the
 * extended rcode and the COOKIE option there, issue 13); the walk in
 * progress reads it to refuse a second OPT. @internal
 */
export const walked = { opt: -1 };

/** Check `count` records from `p`; `additional` allows one OPT. @returns the end offset or a code. */
function walkRecords(b: Uint8Array, p: number, count: number, additional: boolean): number {
  const n = b.length;
  for (let i = 0; i < count; i++) {
    const owner = p;
    p = checkName(b, p, n, true);
    if (p < 0) return p;
    if (p + 10 > n) return TRUNCATED;
    const type = u16(b, p);
    const s = p + 10;
    const e = s + u16(b, p + 8);
    if (e > n) return BAD_RDLENGTH;
    let r: number;
    if (type === OPT) {
      if (!additional || p !== owner + 1) return BAD_RDATA;
      if (walked.opt >= 0) return MULTIPLE_OPT;
      walked.opt = p;
      r = checkOptions(b, s, e);
    } else {
      r = checkRdata(type, b, s, e);
    }
    if (r < 0) return r;
    p = e;
  }
  return p;
}

/** Walk the sections after the header. @returns the end offset or a code. */
function walkSections(b: Uint8Array): number {
  const n = b.length;
  let p = 12;
  for (let i = u16(b, 4); i > 0; i--) {
    p = checkName(b, p, n, true);
    if (p < 0) return p;
    p += 4;
    if (p > n) return TRUNCATED;
  }
  walked.opt = -1;
  p = walkRecords(b, p, u16(b, 6) + u16(b, 8), false);
  return p < 0 ? p : walkRecords(b, p, u16(b, 10), true);
}

/**
 * Validate a whole message without decoding it. Checks, in order: header
 * length (12 bytes), counts satisfiable by the remaining bytes, then every
 * question and record; finally that no bytes follow the last record.
 * @returns `undefined` when the message is well formed, else the reason.
 */
export function walkMessage(b: Uint8Array): MalformedReason | undefined {
  if (b.length < 12) return 'short-header';
  const records = u16(b, 6) + u16(b, 8) + u16(b, 10);
  if (u16(b, 4) * MIN_QUESTION + records * MIN_RECORD > b.length - 12) return 'bad-count';
  const end = walkSections(b);
  if (end < 0) return reasonOf(end);
  return end === b.length ? undefined : 'trailing-bytes';
}
