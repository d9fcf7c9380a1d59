/**
 * `/etc/hosts` as a pure function of its text (hosts(5)): one address per
 * line followed by a canonical name and aliases; `#` starts a comment.
 * Only the file read lives in a driver.
 */
import { isIPv4, normalizeIP } from './codec/ip.js';

/** One address of a host, as `dns.lookup` reports it. */
export interface HostAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Names (lower case, no trailing dot) to their addresses, in file order. */
export type HostsTable = ReadonlyMap<string, readonly HostAddress[]>;

function key(name: string): string {
  const lower = name.toLowerCase();
  return lower.length > 1 && lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Addresses of one name while parsing; past a few, a set answers "already there?" in O(1). */
interface Building {
  readonly list: HostAddress[];
  seen: Set<string> | undefined;
}

/** Add `entry` to `b` unless its address is there already (hosts(5): the first line wins). */
function addOnce(b: Building, entry: HostAddress): void {
  if (b.seen === undefined) {
    if (b.list.some((e) => e.address === entry.address)) return;
    b.list.push(entry);
    if (b.list.length > 8) b.seen = new Set(b.list.map((e) => e.address));
    return;
  }
  if (b.seen.has(entry.address)) return;
  b.seen.add(entry.address);
  b.list.push(entry);
}

/**
 * Parse the text of a hosts file in time linear in its length (issue 18:
 * 40,000 addresses of one name took 6.3 s, quadratic). Never throws; lines
 * without a valid address or a name are skipped.
 */
export function parseHosts(text: string): HostsTable {
  const building = new Map<string, Building>();
  for (const raw of text.split(/\r?\n/)) {
    const hash = raw.indexOf('#');
    const fields = (hash < 0 ? raw : raw.slice(0, hash)).trim().split(/\s+/);
    const first = fields[0] as string;
    // A scoped IPv6 address (fe80::1%eth0) keeps no scope here: the scope is dropped.
    const address = normalizeIP(first.split('%')[0] as string);
    if (address === undefined || fields.length < 2) continue;
    const entry: HostAddress = { address, family: isIPv4(address) ? 4 : 6 };
    for (let i = 1; i < fields.length; i++) {
      const k = key(fields[i] as string);
      const b = building.get(k);
      if (b === undefined) building.set(k, { list: [entry], seen: undefined });
      else addOnce(b, entry);
    }
  }
  const table = new Map<string, readonly HostAddress[]>();
  for (const [k, b] of building) table.set(k, b.list);
  return table;
}

/** The addresses of `name` in `table` (case-insensitive, trailing dot ignored), optionally of one family. */
export function hostsLookup(table: HostsTable, name: string, family: 0 | 4 | 6 = 0): HostAddress[] {
  const list = table.get(key(name)) ?? [];
  return family === 0 ? [...list] : list.filter((e) => e.family === family);
}
