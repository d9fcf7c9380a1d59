/**
 * Options of the resolution policy this side of the cache: names (search
 * list, `ndots`, special-use names, IDN), server selection (demotion,
 * probes, `rotate`, race) and the defences against forged answers (cookies,
 * 0x20). Checked once at construction; a bad one throws `EBADOPTION`.
 */
import { DnsError } from './errors.js';
import { bool, num } from './options.js';
import { searchList } from './search.js';
import type { SelectionSettings } from './selection.js';
import type { ServerState } from './servers.js';
import type { ResolverOptions } from './types.js';

/** Policy options with every default filled in. */
export interface PolicySettings extends SelectionSettings {
  readonly search: readonly string[];
  readonly ndots: number;
  readonly specialNames: boolean;
  readonly idn: boolean;
  readonly cookies: boolean;
  readonly case0x20: boolean | readonly number[];
}

function caseOption(value: unknown): boolean | readonly number[] {
  if (value === undefined || typeof value === 'boolean') return value === true;
  if (Array.isArray(value) && value.every((i) => Number.isInteger(i) && (i as number) >= 0)) return value as number[];
  throw new DnsError('EBADOPTION', 'option case0x20 must be a boolean or an array of server indexes');
}

/** Check the policy options and fill in defaults. */
export function policyFrom(o: ResolverOptions, edns: boolean): PolicySettings {
  return {
    search: searchList(o.search),
    ndots: num(o, 'ndots', 1, 0, 15, true),
    specialNames: bool(o, 'specialNames', true),
    idn: bool(o, 'idn', true),
    rotate: bool(o, 'rotate', false),
    race: bool(o, 'race', false),
    demoteAfter: num(o, 'demoteAfter', 3, 1, 1000, true),
    probeShare: Math.round(num(o, 'probeShare', 0.05, 0, 1, false) * 65536),
    cookies: bool(o, 'cookies', true) && edns,
    case0x20: caseOption(o.case0x20),
  };
}

/** Mark the servers that get 0x20 (`true`: all; a list: those indexes). */
export function applyCase(servers: readonly ServerState[], option: boolean | readonly number[]): void {
  for (const s of servers) s.case0x20 = option === true || (option !== false && option.includes(s.index));
}
