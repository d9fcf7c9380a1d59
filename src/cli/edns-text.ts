/**
 * dig's OPT pseudosection: the EDNS line (RFC 6891 §6.1.3: version, the DO
 * flag of RFC 3225, the UDP payload size) and one line per option: COOKIE
 * (RFC 7873), NSID (RFC 5001), EDE (RFC 8914, with its registry's names),
 * padding (RFC 7830), TCP keepalive (RFC 7828), and any other as
 * `OPT=code: hex ("text")`, worded as dig 9.18 words them.
 */
import { toHex, type Edns, type EdnsOption } from '../codec.js';

/** RFC 8914 §5.2 (and the IANA registry after it) names, as dig prints them. */
const EDE_NAMES: readonly string[] = [
  'Other', 'Unsupported DNSKEY Algorithm', 'Unsupported DS Digest Type', 'Stale Answer', 'Forged Answer',
  'DNSSEC Indeterminate', 'DNSSEC Bogus', 'Signature Expired', 'Signature Not Yet Valid', 'DNSKEY Missing',
  'RRSIGs Missing', 'No Zone Key Bit Set', 'NSEC Missing', 'Cached Error', 'Not Ready', 'Blocked', 'Censored',
  'Filtered', 'Prohibited', 'Stale NXDOMAIN Answer', 'Not Authoritative', 'Not Supported', 'No Reachable Authority',
  'Network Error', 'Invalid Data',
];

/** Bytes as spaced hex and as text with `.` for what is not printable: `01 41 ("..A")`. */
function hexAndText(data: Uint8Array): string {
  const spaced = Array.from(data, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = Array.from(data, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  return `${spaced} ("${text}")`;
}

function u16(data: Uint8Array, at: number): number {
  return ((data[at] ?? 0) << 8) | (data[at + 1] ?? 0);
}

function ede(data: Uint8Array): string {
  const code = u16(data, 0);
  const name = EDE_NAMES[code];
  const text = data.length > 2 ? `: (${new TextDecoder().decode(data.subarray(2))})` : '';
  return `; EDE: ${code}${name === undefined ? '' : ` (${name})`}${text}`;
}

/** The line of one option. `cookieSent`: the core sent a client cookie and checked this one (RFC 7873 §5.3). */
function optionLine(o: EdnsOption, cookieSent: boolean): string {
  switch (o.code) {
    case 3: return `; NSID: ${hexAndText(o.data)}`;
    case 10: return `; COOKIE: ${toHex(o.data)}${cookieSent ? ' (good)' : ''}`;
    case 11: return `; TCP KEEPALIVE: ${o.data.length >= 2 ? `${(u16(o.data, 0) / 10).toFixed(1)} secs` : ''}`;
    case 12: return `; PAD: (${o.data.length} bytes)`;
    case 15: return ede(o.data);
    default: return `; OPT=${o.code}: ${hexAndText(o.data)}`;
  }
}

/** `;; OPT PSEUDOSECTION:` and its lines. */
export function ednsLines(edns: Edns, cookieSent: boolean): string[] {
  return [
    ';; OPT PSEUDOSECTION:',
    `; EDNS: version: ${edns.version}, flags:${edns.do ? ' do' : ''}; udp: ${edns.payload}`,
    ...edns.options.map((o) => optionLine(o, cookieSent)),
  ];
}
