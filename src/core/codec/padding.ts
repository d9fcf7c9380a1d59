/**
 * EDNS(0) padding (RFC 7830) with the block-length policy of RFC 8467 §4.1:
 * over an encrypted transport a query is padded to a multiple of
 * {@link QUERY_BLOCK} octets and a response to a padded query to a multiple
 * of {@link RESPONSE_BLOCK} octets, so that sizes say less about names.
 *
 * The padding option goes into the message's OPT record, which must be its
 * last record (the core's queries and `encodeMessage` put it there); a
 * message without one, or already padded, is returned unchanged: padding is
 * never a reason to add EDNS to a message that had none.
 */
import { checkName } from './check-name.js';
import { OPT } from './rr-types.js';
import { walkMessage } from './walk.js';

/** EDNS option code of PADDING (RFC 7830 §4). */
export const PADDING = 12;
/** Block length of padded queries (RFC 8467 §4.1: 128 octets). */
export const QUERY_BLOCK = 128;
/** Block length of padded responses (RFC 8467 §4.1: 468 octets). */
export const RESPONSE_BLOCK = 468;

function u16(b: Uint8Array, p: number): number {
  return ((b[p] as number) << 8) | (b[p + 1] as number);
}

/** Offset of the last record of a well-formed message, or -1 without records. */
function lastRecordAt(b: Uint8Array): number {
  let p = 12;
  for (let i = u16(b, 4); i > 0; i--) p = checkName(b, p, b.length, true) + 4;
  let last = -1;
  for (let i = u16(b, 6) + u16(b, 8) + u16(b, 10); i > 0; i--) {
    last = p;
    p = checkName(b, p, b.length, true);
    p += 10 + u16(b, p + 8);
  }
  return last;
}

/** True when the options in `b[s, e)` include a PADDING option. */
function hasPadding(b: Uint8Array, s: number, e: number): boolean {
  for (let p = s; p + 4 <= e; p += 4 + u16(b, p + 2)) if (u16(b, p) === PADDING) return true;
  return false;
}

/**
 * `wire` with a PADDING option appended to its OPT record, so that its
 * length is a multiple of `block` (1..65535). Returns `wire` itself when it
 * is malformed, has no OPT record as its last record, is already padded, or
 * the padding would not fit the record.
 * @returns a fresh array, or `wire` unchanged.
 */
export function padMessage(wire: Uint8Array, block: number): Uint8Array {
  if (walkMessage(wire) !== undefined) return wire;
  const at = lastRecordAt(wire);
  if (at < 0 || wire[at] !== 0 || u16(wire, at + 1) !== OPT) return wire;
  const rdStart = at + 11;
  if (hasPadding(wire, rdStart, wire.length)) return wire;
  const bare = wire.length + 4;
  const pad = (block - (bare % block)) % block;
  const rdlength = u16(wire, at + 9) + 4 + pad;
  if (rdlength > 0xffff) return wire;
  const out = new Uint8Array(bare + pad);
  out.set(wire);
  out[at + 9] = rdlength >>> 8;
  out[at + 10] = rdlength & 0xff;
  out[wire.length + 1] = PADDING;
  out[wire.length + 2] = pad >>> 8;
  out[wire.length + 3] = pad & 0xff;
  return out;
}

/** True when a decoded message's OPT record carries a PADDING option (RFC 7830). */
export function isPadded(edns: { readonly options: readonly { readonly code: number }[] } | undefined): boolean {
  return edns !== undefined && edns.options.some((o) => o.code === PADDING);
}
