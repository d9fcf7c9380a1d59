/**
 * Encoding: the per-query hot path ({@link encodeQuery}, written by hand into
 * one buffer) and validated whole messages ({@link encodeMessage}).
 */

import { DnsError } from '../errors.js';
import { parseName } from './name.js';
import { encodeRdata, octets, uint } from './rdata-encode.js';
import { OPT, genericNumber, knownTypeCode, typeToName } from './rr-types.js';
import type { DnsRecord, EdnsInput, EdnsOption, Flags, MessageInput, Question } from './types.js';
import { Writer } from './writer.js';

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

/** The numeric code of a record's type name; `TYPE<n>` only for types without a name, never OPT. */
function recordType(type: unknown): number {
  const t = String(type);
  const code = knownTypeCode(t) ?? genericNumber(t, 'TYPE');
  if (code < 0 || code === OPT || typeToName(code) !== type) {
    throw new DnsError('EBADTYPE', `bad record type ${t}${code > 0 && code !== OPT ? ` (write it as ${typeToName(code)})` : ''}`);
  }
  return code;
}

function writeRecord(w: Writer, r: DnsRecord): void {
  w.name(parseName(r.name).labels, true);
  const code = recordType(r.type);
  w.u16(code);
  if (typeof r.class !== 'number' || !Number.isInteger(r.class) || r.class < 0 || r.class > 0xffff) {
    throw new DnsError('EBADCLASS', `bad record class ${String(r.class)}`);
  }
  w.u16(r.class);
  w.u32(uint(r.type, 'ttl', r.ttl, 0xffffffff));
  const at = w.length;
  w.u16(0);
  encodeRdata(w, r.type, code, r.data);
  w.patch16(at, w.length - at - 2);
}

function writeQuestion(w: Writer, q: Question): void {
  w.name(parseName(q.name).labels, true);
  w.u16(uint('question', 'type', q.type, 0xffff));
  w.u16(uint('question', 'class', q.class, 0xffff));
}

function writeEdns(w: Writer, e: EdnsInput, rcode: number): void {
  w.u8(0);
  w.u16(OPT);
  w.u16(uint('OPT', 'payload', e.payload, 0xffff));
  w.u8(rcode >>> 4);
  w.u8(uint('OPT', 'version', e.version ?? 0, 255));
  w.u16(e.do === true ? 0x8000 : 0);
  const at = w.length;
  w.u16(0);
  for (const o of e.options ?? []) {
    w.u16(uint('OPT', 'option code', o.code, 0xffff));
    const data = octets('OPT', 'option data', o.data, 0xffff);
    w.u16(data.length);
    w.bytes(data);
  }
  w.patch16(at, w.length - at - 2);
}

function flagBytes(f: Partial<Flags>, opcode: number, rcode: number): [number, number] {
  const hi = (f.qr === true ? 0x80 : 0) | (opcode << 3) | (f.aa === true ? 0x04 : 0) | (f.tc === true ? 0x02 : 0) | (f.rd === true ? 0x01 : 0);
  const lo = (f.ra === true ? 0x80 : 0) | (f.ad === true ? 0x20 : 0) | (f.cd === true ? 0x10 : 0) | (rcode & 0xf);
  return [hi, lo];
}

function count(list: readonly unknown[] | undefined, what: string): readonly unknown[] {
  if (list === undefined) return [];
  if (!Array.isArray(list) || list.length > 0xffff) throw new DnsError('EBADOPTION', `${what} must be an array of at most 65535 entries`);
  return list;
}

/**
 * Encode a whole message after validating every field (RFC 1035 §4.1,
 * RFC 6891 §6.1 for `edns`; an `rcode` above 15 puts its upper 8 bits in
 * the OPT TTL, RFC 6891 §6.1.3). Owner names and the names in NS, CNAME,
 * PTR, MX and SOA rdata are compressed against earlier identical suffixes.
 *
 * Throws `DnsError('EBADNAME')` for a bad name (labels over 63 bytes, names
 * over 255), `DnsError('EBADTYPE')` for an unknown type name, OPT as a
 * record (use `edns`) or `TYPE<n>` for a type with a name,
 * `DnsError('EBADCLASS')` for a class outside 0–65535, and
 * `DnsError('EBADOPTION')` for anything else that would not be valid wire
 * data: header fields out of range, character-strings over 255 bytes, an
 * empty TXT, rdata of the wrong shape, a message over 65535 bytes.
 * @returns a fresh `Uint8Array`.
 */
export function encodeMessage(m: MessageInput): Uint8Array {
  const opcode = uint('header', 'opcode', m.opcode ?? 0, 15);
  const rcode = uint('header', 'rcode', m.rcode ?? 0, 4095);
  if (rcode > 15 && m.edns === undefined) throw new DnsError('EBADOPTION', `rcode ${rcode} needs an OPT record (edns)`);
  const questions = count(m.questions, 'questions') as readonly Question[];
  const sections = [m.answers, m.authorities, m.additionals].map((s) => count(s, 'records') as readonly DnsRecord[]);
  const w = new Writer();
  w.u16(uint('header', 'id', m.id, 0xffff));
  const [hi, lo] = flagBytes(m.flags ?? {}, opcode, rcode);
  w.u8(hi);
  w.u8(lo);
  w.u16(questions.length);
  for (const s of sections) w.u16(s.length);
  if (m.edns !== undefined) w.patch16(10, (sections[2] as readonly DnsRecord[]).length + 1);
  for (const q of questions) writeQuestion(w, q);
  for (const s of sections) for (const r of s) writeRecord(w, r);
  if (m.edns !== undefined) writeEdns(w, m.edns, rcode);
  return w.result();
}
