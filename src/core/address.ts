/**
 * IP address parsing and normalisation for server strings.
 * IPv4 in dotted-quad form; IPv6 in any RFC 4291 §2.2 text form, normalised
 * to RFC 5952 §4 (lower case, longest zero run compressed) so that a peer
 * reported by a socket matches the configured server.
 */
import { formatIPv6 } from './codec/ip.js';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEXGROUP = /^[0-9a-fA-F]{1,4}$/;

/** True for a dotted-quad IPv4 address. */
export function isIPv4(text: string): boolean {
  return IPV4.test(text);
}

function parseGroups(part: string): number[] | undefined {
  if (part === '') return [];
  const groups: number[] = [];
  const items = part.split(':');
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as string;
    if (i === items.length - 1 && isIPv4(item)) {
      const b = item.split('.').map(Number) as [number, number, number, number];
      groups.push((b[0] << 8) | b[1], (b[2] << 8) | b[3]);
    } else if (HEXGROUP.test(item)) {
      groups.push(parseInt(item, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

/** Parse an IPv6 address into its eight 16-bit groups, or `undefined`. */
export function parseIPv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] as string);
  if (head === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const tail = parseGroups(halves[1] as string);
  if (tail === undefined || head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** Normalise an IP address; `undefined` when it is neither IPv4 nor IPv6. */
export function normalizeIP(text: string): string | undefined {
  if (isIPv4(text)) return text;
  const groups = parseIPv6(text);
  return groups && formatIPv6(new Uint8Array(groups.flatMap((g) => [g >> 8, g & 255])), 0);
}
