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

/** Parse the text of a hosts file. Never throws; lines without a valid address or a name are skipped. */
export function parseHosts(text: string): HostsTable {
  const table = new Map<string, HostAddress[]>();
  for (const raw of text.split(/\r?\n/)) {
    const hash = raw.indexOf('#');
    const fields = (hash < 0 ? raw : raw.slice(0, hash)).trim().split(/\s+/);
    const first = fields[0] as string;
    // A scoped IPv6 address (fe80::1%eth0) keeps no scope here: the scope is dropped.
    const address = normalizeIP(first.split('%')[0] as string);
    if (address === undefined || fields.length < 2) continue;
    const entry: HostAddress = { address, family: isIPv4(address) ? 4 : 6 };
    for (const name of fields.slice(1)) {
      const k = key(name);
      const list = table.get(k);
      if (list === undefined) table.set(k, [entry]);
      else if (!list.some((e) => e.address === address)) list.push(entry);
    }
  }
  return table;
}

/** The addresses of `name` in `table` (case-insensitive, trailing dot ignored), optionally of one family. */
export function hostsLookup(table: HostsTable, name: string, family: 0 | 4 | 6 = 0): HostAddress[] {
  const list = table.get(key(name)) ?? [];
  return family === 0 ? [...list] : list.filter((e) => e.family === family);
}
