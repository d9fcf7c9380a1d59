/**
 * Validating rdata encoders for `encodeMessage`: each value is checked
 * against its type's layout before a byte is written, so nothing invalid
 * reaches the wire. Shape errors throw `DnsError('EBADOPTION')`, names
 * `DnsError('EBADNAME')`.
 */

import { DnsError } from '../errors.js';
import { checkRdata } from './rdata.js';
import { parseIPv4, parseIPv6 } from './ip.js';
import { parseName } from './name.js';
import { textBytes } from './text.js';
import type { Writer } from './writer.js';

type Fields = Readonly<Record<string, unknown>>;

function bad(type: string, why: string): DnsError {
  return new DnsError('EBADOPTION', `bad ${type} data: ${why}`);
}

/** The value as an object of fields, or a throw. */
function fields(type: string, data: unknown): Fields {
  if (typeof data !== 'object' || data === null) throw bad(type, 'expected an object');
  return data as Fields;
}

/** An integer in `[0, max]`, or a throw. */
export function uint(type: string, what: string, v: unknown, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw bad(type, `${what} must be an integer 0–${max}`);
  return v;
}

/** A `Uint8Array`, at most `max` bytes, or a throw. */
export function octets(type: string, what: string, v: unknown, max: number): Uint8Array {
  if (!(v instanceof Uint8Array)) throw bad(type, `${what} must be a Uint8Array`);
  if (v.length > max) throw bad(type, `${what} is ${v.length} bytes, more than ${max}`);
  return v;
}

function name(w: Writer, v: unknown, compress: boolean): void {
  w.name(parseName(v as string).labels, compress);
}

function charString(w: Writer, type: string, what: string, v: unknown): void {
  const b = textBytes(v, 255, 'EBADOPTION', `${type} ${what}`);
  w.u8(b.length);
  w.bytes(b);
}

function address(w: Writer, type: string, v: unknown): void {
  const b = typeof v !== 'string' ? undefined : type === 'A' ? parseIPv4(v) : parseIPv6(v);
  if (b === undefined) throw bad(type, `${String(v)} is not an ${type === 'A' ? 'IPv4' : 'IPv6'} address`);
  w.bytes(b);
}

function soa(w: Writer, f: Fields): void {
  name(w, f['mname'], true);
  name(w, f['rname'], true);
  for (const k of ['serial', 'refresh', 'retry', 'expire', 'minimum']) w.u32(uint('SOA', k, f[k], 0xffffffff));
}

function txt(w: Writer, v: unknown): void {
  if (!Array.isArray(v) || v.length === 0) throw bad('TXT', 'expected a non-empty array of Uint8Array');
  for (const s of v) {
    const b = octets('TXT', 'string', s, 255);
    w.u8(b.length);
    w.bytes(b);
  }
}

function naptr(w: Writer, f: Fields): void {
  w.u16(uint('NAPTR', 'order', f['order'], 0xffff));
  w.u16(uint('NAPTR', 'preference', f['preference'], 0xffff));
  for (const k of ['flags', 'services', 'regexp']) charString(w, 'NAPTR', k, f[k]);
  name(w, f['replacement'], false);
}

function caa(w: Writer, f: Fields): void {
  w.u8(uint('CAA', 'flags', f['flags'], 255));
  const tag = textBytes(f['tag'], 255, 'EBADOPTION', 'CAA tag');
  if (tag.length === 0) throw bad('CAA', 'empty tag');
  w.u8(tag.length);
  w.bytes(tag);
  w.bytes(textBytes(f['value'], 0xffff, 'EBADOPTION', 'CAA value'));
}

function svcb(w: Writer, type: string, f: Fields): void {
  w.u16(uint(type, 'priority', f['priority'], 0xffff));
  name(w, f['target'], false);
  const params = f['params'];
  if (!Array.isArray(params)) throw bad(type, 'params must be an array');
  let prev = -1;
  for (const p of params) {
    const key = uint(type, 'key', fields(type, p)['key'], 0xffff);
    if (key <= prev) throw bad(type, 'param keys must be strictly increasing');
    prev = key;
    const value = octets(type, 'value', (p as Fields)['value'], 0xffff);
    w.u16(key);
    w.u16(value.length);
    w.bytes(value);
  }
}

/** Raw rdata, checked against the type's layout when it has one. */
function raw(w: Writer, type: string, code: number, v: unknown): void {
  const b = octets(type, 'data', v, 0xffff);
  if (checkRdata(code, b, 0, b.length) !== 0) throw bad(type, 'rdata does not match the layout of its type');
  w.bytes(b);
}

/**
 * Write the rdata of a record of `type` (numeric `code`) from its value in
 * the shape of `RecordDataMap` (RFC 1035 §3.3, RFC 3596 §2.2, RFC 2782,
 * RFC 3403 §4.1, RFC 8659 §4.1, RFC 9460 §2.2; RFC 3597 §5 for the rest).
 * Names in NS, CNAME, PTR, MX and SOA may be compressed (RFC 3597 §4).
 */
export function encodeRdata(w: Writer, type: string, code: number, data: unknown): void {
  switch (code) {
    case 1: case 28: return address(w, type, data);
    case 2: case 5: case 12: return name(w, data, true);
    case 39: return name(w, data, false);
    case 6: return soa(w, fields(type, data));
    case 13: {
      const f = fields(type, data);
      charString(w, type, 'cpu', f['cpu']);
      return charString(w, type, 'os', f['os']);
    }
    case 15: {
      const f = fields(type, data);
      w.u16(uint(type, 'preference', f['preference'], 0xffff));
      return name(w, f['exchange'], true);
    }
    case 16: return txt(w, data);
    case 33: {
      const f = fields(type, data);
      for (const k of ['priority', 'weight', 'port']) w.u16(uint(type, k, f[k], 0xffff));
      return name(w, f['target'], false);
    }
    case 35: return naptr(w, fields(type, data));
    case 64: case 65: return svcb(w, type, fields(type, data));
    case 257: return caa(w, fields(type, data));
    default: return raw(w, type, code, data);
  }
}
