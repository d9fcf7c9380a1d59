/**
 * Record data as text (RFC 1035 §5.1 presentation, as dig prints it) and as
 * JSON (objects for structured types, binary as hex, TXT as strings).
 * Types the codec keeps raw (DNSSEC, TLSA, SSHFP, unknown types) are written
 * in the generic form of RFC 3597 §5 as dig writes it: `\# length HEX`,
 * upper case, in chunks of 28 bytes. A {@link RdataStyle} may give a
 * presenter for such a type (the hook for DNSSEC record formats).
 */
import { normalizeIP } from '../index.js';
import { toHex, type DnsRecord, type SvcbData } from '../codec.js';

/** Upper-case hex in chunks of 28 bytes, as dig splits rdata on one line. */
export function hexChunks(bytes: Uint8Array): string {
  const chunks: string[] = [];
  for (let i = 0; i < bytes.length; i += 28) chunks.push(toHex(bytes.subarray(i, i + 28)).toUpperCase());
  return chunks.join(' ');
}

/** The generic form of RFC 3597 §5: `\# 4 DEADBEEF`. */
export function genericRdata(bytes: Uint8Array): string {
  return `\\# ${bytes.length}${bytes.length > 0 ? ` ${hexChunks(bytes)}` : ''}`;
}


/** A name with its trailing dot (the codec writes names without it; the root is `.`). */
export function fqdn(name: string): string {
  return name === '.' || name.endsWith('.') ? name : `${name}.`;
}

/** A character-string in quotes, with `\"`, `\\` and `\DDD` escapes (RFC 1035 §5.1). */
export function quoted(bytes: Uint8Array | string): string {
  const b = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  let s = '"';
  for (const c of b) {
    if (c === 0x22 || c === 0x5c) s += `\\${String.fromCharCode(c)}`;
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += `\\${c.toString().padStart(3, '0')}`;
  }
  return `${s}"`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A TXT string for JSON: UTF-8 when it is valid UTF-8, else the escaped presentation text (without quotes). */
export function txtString(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return quoted(bytes).slice(1, -1);
  }
}

const SVC_KEYS: Readonly<Record<number, string>> = {
  0: 'mandatory', 1: 'alpn', 2: 'no-default-alpn', 3: 'port', 4: 'ipv4hint', 5: 'ech', 6: 'ipv6hint',
};

function svcValue(key: number, v: Uint8Array): string {
  const view = new DataView(v.buffer, v.byteOffset, v.byteLength);
  const u16 = (): number[] => Array.from({ length: v.length >> 1 }, (_, i) => view.getUint16(i * 2));
  switch (key) {
    case 0: return u16().map((k) => SVC_KEYS[k] ?? `key${k}`).join(',');
    case 1: {
      const ids: string[] = [];
      for (let i = 0; i < v.length; i += 1 + (v[i] as number)) ids.push(quoted(v.subarray(i + 1, i + 1 + (v[i] as number))).slice(1, -1));
      return `"${ids.join(',')}"`;
    }
    case 3: return v.length === 2 ? String(view.getUint16(0)) : quoted(v);
    case 4: return Array.from({ length: v.length >> 2 }, (_, i) => Array.from(v.subarray(i * 4, i * 4 + 4)).join('.')).join(',');
    case 5: return Buffer.from(v).toString('base64');
    case 6: return Array.from({ length: v.length >> 4 }, (_, i) => ipv6Text(v.subarray(i * 16, i * 16 + 16))).join(',');
    default: return quoted(v);
  }
}

function ipv6Text(b: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => (((b[i * 2] as number) << 8) | (b[i * 2 + 1] as number)).toString(16));
  return normalizeIP(groups.join(':')) ?? groups.join(':');
}

function svcbText(d: SvcbData, name: (n: string) => string): string {
  const params = d.params.map((p) => {
    const key = SVC_KEYS[p.key] ?? `key${p.key}`;
    return p.key === 2 && p.value.length === 0 ? key : `${key}=${svcValue(p.key, p.value)}`;
  });
  return [String(d.priority), name(d.target), ...params].join(' ');
}

/** How rdata is written: names (with their trailing dot; `+idnout` turns A-labels to Unicode), presenters. */
export interface RdataStyle {
  readonly name: (name: string) => string;
  /** Text of types the codec keeps raw, by type name (`DS`, `TYPE99`); the generic form for the others. */
  readonly presenters: Readonly<Record<string, (data: Uint8Array) => string>>;
}

/** TXT-shaped rdata from raw bytes (SPF, RFC 7208 §3.1): quoted character-strings, or `undefined` when they do not parse. */
function characterStrings(data: Uint8Array): string | undefined {
  const out: string[] = [];
  for (let i = 0; i < data.length; i += 1 + (data[i] as number)) {
    if (i + 1 + (data[i] as number) > data.length) return undefined;
    out.push(quoted(data.subarray(i + 1, i + 1 + (data[i] as number))));
  }
  return out.length > 0 ? out.join(' ') : undefined;
}

/** Presenters for raw types whose text needs no DNSSEC knowledge. */
export const BASIC_PRESENTERS: Readonly<Record<string, (data: Uint8Array) => string>> = {
  TYPE99: (data) => characterStrings(data) ?? genericRdata(data),
};

/** Names with a trailing dot, the presenter for SPF. */
export const PLAIN_STYLE: RdataStyle = { name: fqdn, presenters: BASIC_PRESENTERS };

/** The rdata of a record as dig prints it. */
export function rdataText(r: DnsRecord, style: RdataStyle = PLAIN_STYLE): string {
  const n = style.name;
  switch (r.type) {
    case 'A': case 'AAAA': return r.data;
    case 'NS': case 'CNAME': case 'PTR': case 'DNAME': return n(r.data);
    case 'MX': return `${r.data.preference} ${n(r.data.exchange)}`;
    case 'TXT': return r.data.map((s) => quoted(s)).join(' ');
    case 'SOA': {
      const d = r.data;
      return `${n(d.mname)} ${n(d.rname)} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    }
    case 'SRV': return `${r.data.priority} ${r.data.weight} ${r.data.port} ${n(r.data.target)}`;
    case 'CAA': return `${r.data.flags} ${r.data.tag} ${quoted(r.data.value)}`;
    case 'NAPTR': {
      const d = r.data;
      return `${d.order} ${d.preference} ${quoted(d.flags)} ${quoted(d.services)} ${quoted(d.regexp)} ${n(d.replacement)}`;
    }
    case 'HINFO': return `${quoted(r.data.cpu)} ${quoted(r.data.os)}`;
    case 'SVCB': case 'HTTPS': return svcbText(r.data, n);
    default: return style.presenters[r.type]?.(r.data) ?? genericRdata(r.data);
  }
}

/** The rdata of a record for JSON: strings, objects, TXT as an array of strings, binary as hex. */
export function rdataJson(r: DnsRecord): unknown {
  switch (r.type) {
    case 'A': case 'AAAA': case 'NS': case 'CNAME': case 'PTR': case 'DNAME': return r.data;
    case 'TXT': return r.data.map(txtString);
    case 'MX': case 'SOA': case 'SRV': case 'CAA': case 'NAPTR': case 'HINFO': return { ...r.data };
    case 'SVCB': case 'HTTPS':
      return { priority: r.data.priority, target: r.data.target, params: r.data.params.map((p) => ({ key: p.key, value: toHex(p.value) })) };
    default: return toHex(r.data);
  }
}
