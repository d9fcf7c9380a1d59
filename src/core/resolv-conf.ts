/**
 * `/etc/resolv.conf` as a pure function of its text (resolv.conf(5), glibc's
 * `res_init` rules). Only the file read lives in a driver.
 *
 * Understood: `nameserver` (IPv4 or IPv6, without a scope), `domain` and
 * `search` (the last of the two wins), and `options` `ndots:n` (capped at 15),
 * `timeout:n` (seconds, capped at 30), `attempts:n` (capped at 5), `rotate`,
 * `edns0`. Comments start with `#` or `;`. Anything else is ignored, as glibc
 * ignores it; bad entries are listed in `ignored` so a tool can say why.
 */
import { normalizeIP } from './codec/ip.js';

/** What a resolv.conf says, with glibc's defaults filled in. */
export interface ResolvConf {
  /** Server addresses in file order, normalised; `['127.0.0.1']` when the file names none (glibc). */
  readonly nameservers: readonly string[];
  /** Search domains without trailing dots, in order. */
  readonly search: readonly string[];
  /** Names with fewer dots than this are tried with the search list first (default 1). */
  readonly ndots: number;
  /** `options timeout:n`: per-attempt timeout in seconds; `undefined` when the file does not say (glibc's default is 5). */
  readonly timeout: number | undefined;
  /** `options attempts:n`: tries per server; `undefined` when the file does not say (glibc's default is 2). */
  readonly attempts: number | undefined;
  /** Spread queries over the servers instead of always starting with the first. */
  readonly rotate: boolean;
  /** Send EDNS0 (RFC 6891). */
  readonly edns0: boolean;
  /** Lines or options that were not understood, verbatim. */
  readonly ignored: readonly string[];
}

interface Mutable {
  nameservers: string[];
  search: string[];
  ndots: number;
  timeout: number | undefined;
  attempts: number | undefined;
  rotate: boolean;
  edns0: boolean;
  ignored: string[];
}

const CAPS: Readonly<Record<string, number>> = { ndots: 15, timeout: 30, attempts: 5 };

function trimDot(name: string): string {
  return name.length > 1 && name.endsWith('.') ? name.slice(0, -1) : name;
}

function applyOption(conf: Mutable, option: string): void {
  if (option === 'rotate') conf.rotate = true;
  else if (option === 'edns0') conf.edns0 = true;
  else {
    const m = /^(ndots|timeout|attempts):(\d+)$/.exec(option);
    if (m === null) return void conf.ignored.push(option);
    const key = m[1] as 'ndots' | 'timeout' | 'attempts';
    const n = Math.min(Number(m[2]), CAPS[key] as number);
    conf[key] = key === 'ndots' ? n : Math.max(n, 1);
  }
}

function applyLine(conf: Mutable, keyword: string, args: readonly string[], line: string): void {
  if (keyword === 'nameserver') {
    const address = args[0] === undefined ? undefined : normalizeIP(args[0]);
    if (address === undefined) conf.ignored.push(line);
    else conf.nameservers.push(address);
  } else if (keyword === 'domain' || keyword === 'search') {
    conf.search = args.map(trimDot);
  } else if (keyword === 'options') {
    for (const option of args) applyOption(conf, option);
  } else {
    conf.ignored.push(line);
  }
}

/** Parse the text of a resolv.conf. Never throws; unknown lines are skipped. */
export function parseResolvConf(text: string): ResolvConf {
  const conf: Mutable = {
    nameservers: [], search: [], ndots: 1, timeout: undefined, attempts: undefined, rotate: false, edns0: false, ignored: [],
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const [keyword, ...args] = line.split(/\s+/) as [string, ...string[]];
    applyLine(conf, keyword, args, line);
  }
  if (conf.nameservers.length === 0) conf.nameservers.push('127.0.0.1');
  return conf;
}
