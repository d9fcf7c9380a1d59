/**
 * dig's presentation of our decoded records (BIND lib/dns/rdata/*), so that
 * what our decoder returns can be compared with what dig printed for the same
 * captured bytes.
 */
import type { DnsRecord, SvcbData } from '../../src/codec.js';

const fqdn = (n: string): string => (n === '.' ? '.' : `${n}.`);

/** A character-string as BIND prints it: quoted, `"` and `\` escaped, non-printables as \DDD. */
export function quoteBytes(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b < 0x20 || b > 0x7e) out += `\\${String(b).padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `${out}"`;
}

/** Our text fields keep `\DDD` and `\\` escapes; give the bytes back for quoting. */
function textBytes(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x5c) {
      out.push(c);
      continue;
    }
    const d = text.slice(i + 1, i + 4);
    if (/^\d{3}$/.test(d)) {
      out.push(Number(d));
      i += 3;
    } else {
      out.push(text.charCodeAt(i + 1));
      i += 1;
    }
  }
  return Uint8Array.from(out);
}
const quote = (text: string): string => quoteBytes(textBytes(text));

const SVC_KEYS: Record<number, string> = { 0: 'mandatory', 1: 'alpn', 2: 'no-default-alpn', 3: 'port', 4: 'ipv4hint', 5: 'ech', 6: 'ipv6hint' };

/** RFC 5952 text of the 16 bytes at `p`, by way of the WHATWG URL host serializer (independent of our code). */
export function ipv6(b: Uint8Array, p = 0): string {
  const groups = [...Array(8).keys()].map((i) => (((b[p + 2 * i] as number) << 8) | (b[p + 2 * i + 1] as number)).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

function svcParam(key: number, v: Uint8Array): string {
  const name = SVC_KEYS[key] ?? `key${key}`;
  switch (key) {
    case 1: {
      const ids: string[] = [];
      for (let p = 0; p < v.length; p += 1 + (v[p] as number)) ids.push(String.fromCharCode(...v.subarray(p + 1, p + 1 + (v[p] as number))));
      return `${name}="${ids.join(',')}"`;
    }
    case 3:
      return `${name}=${((v[0] as number) << 8) | (v[1] as number)}`;
    case 4: {
      const ips: string[] = [];
      for (let p = 0; p < v.length; p += 4) ips.push(Array.from(v.subarray(p, p + 4)).join('.'));
      return `${name}=${ips.join(',')}`;
    }
    case 6: {
      const ips: string[] = [];
      for (let p = 0; p < v.length; p += 16) ips.push(ipv6(v, p));
      return `${name}=${ips.join(',')}`;
    }
    default:
      return v.length === 0 ? name : `${name}=${Buffer.from(v).toString('hex')}`;
  }
}

function svcb(d: SvcbData): string {
  return [String(d.priority), fqdn(d.target), ...d.params.map((p) => svcParam(p.key, p.value))].join(' ');
}

/** The rdata of `r` as dig prints it. */
export function digData(r: DnsRecord): string {
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return r.data;
    case 'NS':
    case 'CNAME':
    case 'PTR':
    case 'DNAME':
      return fqdn(r.data);
    case 'MX':
      return `${r.data.preference} ${fqdn(r.data.exchange)}`;
    case 'SOA': {
      const s = r.data;
      return `${fqdn(s.mname)} ${fqdn(s.rname)} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`;
    }
    case 'TXT':
      return r.data.map(quoteBytes).join(' ');
    case 'SRV':
      return `${r.data.priority} ${r.data.weight} ${r.data.port} ${fqdn(r.data.target)}`;
    case 'CAA':
      return `${r.data.flags} ${r.data.tag} ${quote(r.data.value)}`;
    case 'NAPTR': {
      const n = r.data;
      return `${n.order} ${n.preference} ${quote(n.flags)} ${quote(n.services)} ${quote(n.regexp)} ${fqdn(n.replacement)}`;
    }
    case 'HINFO':
      return `${quote(r.data.cpu)} ${quote(r.data.os)}`;
    case 'SVCB':
    case 'HTTPS':
      return svcb(r.data);
    default:
      return `\\# ${r.data.length} ${Buffer.from(r.data).toString('hex')}`;
  }
}
