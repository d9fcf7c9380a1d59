/**
 * Decoding: the validating walk first, then values. Nothing here throws on
 * any input; a message that fails the walk yields its reason.
 */

import { u16 } from './bytes.js';
import { decodeRdata } from './rdata.js';
import { OPT, typeToName } from './rr-types.js';
import { skipName } from './text.js';
import { nameText, type KnownName } from './wire-name.js';
import type { DecodeResult, DnsRecord, Edns, EdnsOption, MalformedReason, Message, Question } from './types.js';
import { walkMessage } from './walk.js';

/** Default `maxSize`: the largest DNS message (RFC 1035 §4.2.2 length prefix; RFC 8484 §6). */
export const MAX_MESSAGE = 65535;

const failures = new Map<MalformedReason, DecodeResult>();

function fail(reason: MalformedReason): DecodeResult {
  let r = failures.get(reason);
  if (r === undefined) {
    r = Object.freeze({ ok: false, reason });
    failures.set(reason, r);
  }
  return r;
}

interface Extra { edns: Edns | undefined; ext: number }

/** Scratch of `build` for the OPT record (`build` calls nothing that calls it back). */
const extra: Extra = { edns: undefined, ext: 0 };

function readEdns(b: Uint8Array, p: number): void {
  const options: EdnsOption[] = [];
  const e = p + 10 + u16(b, p + 8);
  for (let o = p + 10; o < e; o += 4 + u16(b, o + 2)) {
    options.push({ code: u16(b, o), data: b.slice(o + 4, o + 4 + u16(b, o + 2)) });
  }
  extra.ext = b[p + 4] as number;
  extra.edns = { payload: u16(b, p + 2), version: b[p + 5] as number, do: ((b[p + 6] as number) & 0x80) !== 0, options };
}

/**
 * Read as many records from `p` as `out` is long into `out` (the OPT record
 * into `extra`, and `out` cut to the records read). @returns the end offset.
 */
function readRecords(b: Uint8Array, p: number, out: DnsRecord[], known: KnownName | undefined): number {
  let n = 0;
  for (let i = 0, count = out.length; i < count; i++) {
    const owner = p;
    p = skipName(b, p);
    const type = u16(b, p);
    const s = p + 10;
    const e = s + u16(b, p + 8);
    if (type === OPT) {
      readEdns(b, p);
    } else {
      // RFC 2181 §8: a TTL with its most significant bit set is treated as 0.
      const top = b[p + 4] as number;
      const ttl = top >= 0x80 ? 0 : (top << 24) | ((b[p + 5] as number) << 16) | ((b[p + 6] as number) << 8) | (b[p + 7] as number);
      out[n++] = {
        name: nameText(b, owner, known), type: typeToName(type), class: u16(b, p + 2), ttl,
        data: decodeRdata(type, b, s, e),
      } as DnsRecord;
    }
    p = e;
  }
  out.length = n;
  return p;
}


// Arrays are made at their final length, not grown by `push` (which reserves 16 slots from empty, issue 13).
function build(b: Uint8Array, known: KnownName | undefined): Message {
  const questions: Question[] = new Array(u16(b, 4));
  let p = 12;
  for (let i = 0; i < questions.length; i++) {
    const name = nameText(b, p, known);
    p = skipName(b, p);
    questions[i] = { name, type: u16(b, p), class: u16(b, p + 2) };
    p += 4;
  }
  const answers: DnsRecord[] = new Array(u16(b, 6));
  const authorities: DnsRecord[] = new Array(u16(b, 8));
  const additionals: DnsRecord[] = new Array(u16(b, 10));
  extra.edns = undefined;
  extra.ext = 0;
  p = readRecords(b, p, answers, known);
  p = readRecords(b, p, authorities, known);
  readRecords(b, p, additionals, known);
  const f2 = b[2] as number;
  const f3 = b[3] as number;
  return {
    id: u16(b, 0), opcode: (f2 >> 3) & 0xf, rcode: (f3 & 0xf) | (extra.ext << 4),
    flags: {
      qr: (f2 & 0x80) !== 0, aa: (f2 & 0x04) !== 0, tc: (f2 & 0x02) !== 0, rd: (f2 & 0x01) !== 0,
      ra: (f3 & 0x80) !== 0, ad: (f3 & 0x20) !== 0, cd: (f3 & 0x10) !== 0,
    },
    questions, answers, authorities, additionals, edns: extra.edns,
  };
}

/**
 * Decode a DNS message (RFC 1035 §4.1, RFC 6891 §6.1.3 for the OPT record).
 * Never throws. The message is first walked in full (see `walkMessage`);
 * only a message that passes is decoded. Messages longer than `maxSize`
 * (default 65535) are refused as `'oversize'`. `rcode` is the 12-bit
 * extended rcode; the OPT record becomes `edns`. Binary values are copies.
 * Names and the character-strings of HINFO, NAPTR and CAA are text in the
 * presentation convention of RFC 1035 §5.1: printable ASCII as is, `\\` for
 * a backslash, `\DDD` for any other byte (and in names `\.` for a dot in a
 * label and `\032` for a space), so `encodeMessage` maps them back exactly.
 */
export function decodeMessage(bytes: Uint8Array, maxSize: number = MAX_MESSAGE): DecodeResult {
  const reason = checkMessage(bytes, maxSize);
  return reason !== undefined ? fail(reason) : { ok: true, message: buildMessage(bytes, undefined) };
}

/**
 * The first half of {@link decodeMessage}: why `bytes` is not a message of at
 * most `maxSize` bytes that the walk accepts, or `undefined` when it is.
 * Allocates nothing. @internal
 */
export function checkMessage(bytes: Uint8Array, maxSize: number): MalformedReason | undefined {
  if (!(bytes instanceof Uint8Array)) return 'short-header';
  if (bytes.length > maxSize) return 'oversize';
  return walkMessage(bytes);
}

/**
 * The second half of {@link decodeMessage}, for `bytes` that {@link checkMessage}
 * accepted: the message, equal to what `decodeMessage` gives. A name that is
 * byte for byte `known` gets its text instead of a new string (`wire-name.ts`).
 * @internal
 */
export function buildMessage(bytes: Uint8Array, known: KnownName | undefined): Message {
  // A Buffer's slice() is a view; decode from a plain view so copies are plain copies.
  const b = bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  return build(b, known);
}

/** The message ID (RFC 1035 §4.1.1), or `undefined` when `bytes` is shorter than a header. */
export function readId(bytes: Uint8Array): number | undefined {
  return bytes.length < 12 ? undefined : u16(bytes, 0);
}
