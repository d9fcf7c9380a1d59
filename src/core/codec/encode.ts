/**
 * Encoding: the per-query hot path ({@link encodeQuery}, written by hand into
 * one buffer) and validated whole messages ({@link encodeMessage}).
 */

import { DnsError } from '../errors.js';
import { OPT } from './rr-types.js';
import type { EdnsOption } from './types.js';

/** What {@link encodeQuery} needs; every field is already validated by the caller. */
export interface QuerySpec {
  /** Message ID (RFC 1035 §4.1.1), 0–65535. */
  id: number;
  /** Question name as {@link ParsedName.labels}, case already chosen (0x20). */
  labels: readonly Uint8Array[];
  /** QTYPE, from `typeFromInput`. */
  type: number;
  /** QCLASS, from `classFromInput`. */
  class: number;
  /** Recursion desired (RFC 1035 §4.1.1). */
  rd: boolean;
  /** Checking disabled (RFC 4035 §3.2.2). */
  cd?: boolean;
  /** Authentic data: ask for the AD bit in the answer (RFC 6840 §5.7). */
  ad?: boolean;
  /** EDNS(0) OPT record to add (RFC 6891 §6.1). */
  edns?: { payload: number; do?: boolean; options?: readonly EdnsOption[] } | undefined;
}

/** Bytes of the options part of an OPT rdata. Throws when it cannot fit a 16-bit rdlength. */
function optionsLength(options: readonly EdnsOption[] | undefined): number {
  let n = 0;
  if (options !== undefined) for (const o of options) n += 4 + o.data.length;
  if (n > 0xffff) throw new DnsError('EBADOPTION', `EDNS options take ${n} bytes, more than 65535`);
  return n;
}

function writeOpt(out: Uint8Array, p: number, edns: NonNullable<QuerySpec['edns']>, rdlen: number): void {
  // root owner (already 0), TYPE, CLASS = payload, TTL = ext-rcode 0, version 0, DO | Z.
  out[p + 2] = OPT;
  out[p + 3] = edns.payload >>> 8;
  out[p + 4] = edns.payload & 0xff;
  out[p + 7] = edns.do === true ? 0x80 : 0;
  out[p + 9] = rdlen >>> 8;
  out[p + 10] = rdlen & 0xff;
  p += 11;
  if (edns.options === undefined) return;
  for (const o of edns.options) {
    out[p] = o.code >>> 8;
    out[p + 1] = o.code & 0xff;
    out[p + 2] = o.data.length >>> 8;
    out[p + 3] = o.data.length & 0xff;
    out.set(o.data, p + 4);
    p += 4 + o.data.length;
  }
}

/**
 * Encode a standard query (RFC 1035 §4.1): the header with the flags set
 * here, one question, and an OPT record in the additional section when
 * `edns` is given (RFC 6891 §6.1.1; version 0, DO bit from `edns.do`).
 * Names are written uncompressed. The caller validates the inputs
 * (`parseName`, `typeFromInput`, `classFromInput`); numbers are written
 * modulo their field width. Throws `DnsError('EBADOPTION')` only when the
 * EDNS options exceed 65535 bytes.
 * @returns a fresh `Uint8Array` holding exactly the message.
 */
export function encodeQuery(q: QuerySpec): Uint8Array {
  const labels = q.labels;
  let nameLen = 1;
  for (let i = 0; i < labels.length; i++) nameLen += (labels[i] as Uint8Array).length + 1;
  const edns = q.edns;
  const rdlen = edns === undefined ? 0 : optionsLength(edns.options);
  const out = new Uint8Array(12 + nameLen + 4 + (edns === undefined ? 0 : 11 + rdlen));
  out[0] = q.id >>> 8;
  out[1] = q.id & 0xff;
  out[2] = q.rd ? 0x01 : 0;
  out[3] = (q.ad === true ? 0x20 : 0) | (q.cd === true ? 0x10 : 0);
  out[5] = 1;
  let p = 12;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as Uint8Array;
    const n = label.length;
    out[p++] = n;
    for (let j = 0; j < n; j++) out[p + j] = label[j] as number;
    p += n;
  }
  p += 1;
  out[p] = (q.type >>> 8) & 0xff;
  out[p + 1] = q.type & 0xff;
  out[p + 2] = (q.class >>> 8) & 0xff;
  out[p + 3] = q.class & 0xff;
  if (edns !== undefined) {
    out[11] = 1;
    writeOpt(out, p + 4, edns, rdlen);
  }
  return out;
}
