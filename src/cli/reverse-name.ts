/**
 * The reverse-lookup name of an address (`-x`): `in-addr.arpa` for IPv4
 * (RFC 1035 §3.5), nibbles under `ip6.arpa` for IPv6 (RFC 3596 §2.5).
 */
import { normalizeIP } from '../index.js';

function groupsOf(ipv6: string): number[] {
  const [head = '', tail] = ipv6.split('::');
  const part = (s: string | undefined): number[] => (s === undefined || s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const a = part(head);
  const b = part(tail);
  return tail === undefined ? a : [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
}

/** The PTR name of `address`, or `undefined` when it is not an IP address. */
export function reverseName(address: string): string | undefined {
  const ip = normalizeIP(address);
  if (ip === undefined) return undefined;
  if (!ip.includes(':')) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  // An embedded IPv4 tail (::ffff:192.0.2.1) comes back from normalizeIP as hex groups.
  const nibbles = groupsOf(ip).flatMap((g) => [g >> 12, (g >> 8) & 15, (g >> 4) & 15, g & 15]);
  return `${nibbles.reverse().map((n) => n.toString(16)).join('.')}.ip6.arpa`;
}
