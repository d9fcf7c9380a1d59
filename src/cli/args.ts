/**
 * The command line of `sansdns`, as a pure function from `argv` to a
 * {@link Command}, or a {@link UsageError} that says what was wrong.
 *
 * ```
 * sansdns [@server ...] name [type] [options]
 * sansdns -x ADDR [@server ...] [options]
 * sansdns -f FILE [@server ...] [type] [--concurrency N] [options]
 * sansdns demo [--seed N]
 * ```
 */
import { parseName, typeFromInput, typeToName } from '../codec.js';
import { reverseName } from '../node.js';
import { parseServerArg, type ServerArg } from './server-arg.js';
import { parseSimulateSpec, type SimulateSpec } from './simulate-spec.js';
import { UsageError } from './usage-error.js';

/** Options shared by single and bulk queries. */
export interface QueryFlags {
  readonly servers: readonly ServerArg[];
  /** TCP only (`+tcp`, `--tcp`). */
  readonly tcp: boolean;
  /** Overall deadline of each query in ms (`--timeout`). */
  readonly timeout: number | undefined;
  /** Rounds over the servers (`--tries`). */
  readonly tries: number | undefined;
  /** Send EDNS0 (`--no-edns` turns it off). */
  readonly edns: boolean;
  /** DNS cookies (`--cookies` / `--no-cookies`); `undefined` for the core's default. */
  readonly cookies: boolean | undefined;
  /** Randomise the case of names (`--0x20`). */
  readonly caseRandomization: boolean;
  readonly json: boolean;
  readonly trace: boolean;
  /** Resolve in the simulator instead of on the network (`--simulate`). */
  readonly simulate: SimulateSpec | undefined;
}

/** What the command line asks for. */
export type Command =
  | { readonly kind: 'help'; readonly topic: 'main' | 'demo' }
  | { readonly kind: 'version' }
  | { readonly kind: 'demo'; readonly seed: number | undefined }
  | { readonly kind: 'query'; readonly name: string; readonly type: string; readonly flags: QueryFlags }
  | { readonly kind: 'bulk'; readonly file: string; readonly type: string; readonly concurrency: number; readonly flags: QueryFlags };

/** Bulk queries in flight unless `--concurrency` says otherwise. */
export const DEFAULT_CONCURRENCY = 10;

/** Options that take a value, with what the value is called in messages. */
const VALUED: Readonly<Record<string, string>> = {
  '--timeout': 'MS', '--tries': 'N', '--concurrency': 'N', '--simulate': 'SPEC', '--seed': 'N',
  '-x': 'ADDR', '-f': 'FILE', '-t': 'TYPE', '--type': 'TYPE', '--file': 'FILE',
};

const SWITCHES = new Set([
  '--tcp', '+tcp', '--no-edns', '+noedns', '--cookies', '--no-cookies', '--0x20', '--json', '--trace',
  '-h', '--help', '-v', '--version',
]);

interface Raw {
  servers: ServerArg[];
  positionals: string[];
  values: Map<string, string>;
  switches: Set<string>;
}

function integer(option: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) {
    throw new UsageError('bad-value', `${option} needs an integer in ${min}..${max}, got "${text}"`);
  }
  return n;
}

function checkType(text: string): string {
  try {
    return typeToName(typeFromInput(text));
  } catch {
    throw new UsageError('bad-type', `unknown type "${text}" (A, AAAA, MX, TXT, ..., or TYPEn)`);
  }
}

function checkName(text: string): string {
  try {
    parseName(text);
  } catch (error) {
    throw new UsageError('bad-name', `bad name "${text}": ${error instanceof Error ? error.message : String(error)}`);
  }
  return text;
}

function canonical(option: string): string {
  const aliases: Readonly<Record<string, string>> = { '+tcp': '--tcp', '+noedns': '--no-edns', '--type': '-t', '--file': '-f', '-h': '--help', '-v': '--version' };
  return aliases[option] ?? option;
}

/** Split argv into servers, positionals, valued options and switches. */
function scan(argv: readonly string[]): Raw {
  const raw: Raw = { servers: [], positionals: [], values: new Map(), switches: new Set() };
  let i = 0;
  let rest = false;
  while (i < argv.length) {
    const arg = argv[i++] as string;
    if (rest || arg === '-' || !/^[-+@]/.test(arg)) {
      raw.positionals.push(arg);
    } else if (arg === '--') {
      rest = true;
    } else if (arg.startsWith('@')) {
      raw.servers.push(parseServerArg(arg.slice(1)));
    } else {
      const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
      const option = canonical(eq < 0 ? arg : arg.slice(0, eq));
      if (VALUED[option] !== undefined) {
        const value = eq < 0 ? argv[i++] : arg.slice(eq + 1);
        if (value === undefined) throw new UsageError('missing-value', `${option} needs a value (${option} ${VALUED[option] ?? 'VALUE'})`);
        if (raw.values.has(option)) throw new UsageError('conflict', `${option} is given twice`);
        raw.values.set(option, value);
      } else if (SWITCHES.has(arg) && eq < 0) {
        raw.switches.add(option);
      } else {
        throw new UsageError('unknown-option', `unknown option ${arg} (see sansdns --help)`);
      }
    }
  }
  return raw;
}

function flagsOf(raw: Raw): QueryFlags {
  const v = raw.values;
  const s = raw.switches;
  if (s.has('--cookies') && s.has('--no-cookies')) throw new UsageError('conflict', '--cookies and --no-cookies contradict each other');
  const timeout = v.get('--timeout');
  const tries = v.get('--tries');
  const simulate = v.get('--simulate');
  const flags: QueryFlags = {
    servers: raw.servers,
    tcp: s.has('--tcp'),
    timeout: timeout === undefined ? undefined : integer('--timeout', timeout, 1, 86_400_000),
    tries: tries === undefined ? undefined : integer('--tries', tries, 1, 100),
    edns: !s.has('--no-edns'),
    cookies: s.has('--cookies') ? true : s.has('--no-cookies') ? false : undefined,
    caseRandomization: s.has('--0x20'),
    json: s.has('--json'),
    trace: s.has('--trace'),
    simulate: simulate === undefined ? undefined : parseSimulateSpec(simulate),
  };
  checkServers(flags);
  return flags;
}

function checkServers(f: QueryFlags): void {
  const doh = f.servers.filter((x) => x.kind === 'doh').length;
  if (f.simulate !== undefined && f.servers.length > 0) {
    throw new UsageError('conflict', '--simulate resolves against its own simulated servers; leave out @server');
  }
  if (doh > 0 && doh < f.servers.length) throw new UsageError('conflict', 'DoH URLs and UDP/TCP servers cannot be mixed in one command');
  if (doh > 0 && f.tcp) throw new UsageError('conflict', '--tcp does not apply to DoH servers');
}

function only(raw: Raw, allowed: readonly string[], mode: string): void {
  for (const key of [...raw.values.keys(), ...raw.switches]) {
    if (!allowed.includes(key)) throw new UsageError('conflict', `${key} does not apply to ${mode}`);
  }
}

/** Parse `argv` (without `node` and the script). Throws a {@link UsageError}. */
export function parseArgs(argv: readonly string[]): Command {
  if (argv[0] === 'help') return { kind: 'help', topic: argv[1] === 'demo' ? 'demo' : 'main' };
  if (argv[0] === 'demo') {
    const raw = scan(argv.slice(1));
    if (raw.switches.has('--help')) return { kind: 'help', topic: 'demo' };
    only(raw, ['--seed'], 'demo');
    if (raw.positionals.length > 0 || raw.servers.length > 0) {
      throw new UsageError('extra-argument', `demo takes no arguments but --seed N, got "${raw.servers.length > 0 ? '@…' : raw.positionals[0] ?? ''}"`);
    }
    const seed = raw.values.get('--seed');
    return { kind: 'demo', seed: seed === undefined ? undefined : integer('--seed', seed, 0, 2 ** 32 - 1) };
  }
  const raw = scan(argv);
  if (raw.switches.has('--help')) return { kind: 'help', topic: 'main' };
  if (raw.switches.has('--version')) return { kind: 'version' };
  if (argv.length === 0) throw new UsageError('missing-name', 'no name to look up (sansdns name [type], or sansdns --help)');
  const flags = flagsOf(raw);
  const file = raw.values.get('-f');
  const reverse = raw.values.get('-x');
  const typeOption = raw.values.get('-t');
  if (raw.values.has('--seed')) throw new UsageError('conflict', '--seed applies to demo; use --simulate seed=N');
  if (file !== undefined) return bulk(raw, file, typeOption, reverse, flags);
  if (raw.values.has('--concurrency')) throw new UsageError('conflict', '--concurrency applies to bulk mode (-f FILE)');
  if (reverse !== undefined) {
    const name = reverseName(reverse);
    if (name === undefined) throw new UsageError('bad-value', `-x needs an IPv4 or IPv6 address, got "${reverse}"`);
    if (raw.positionals.length > 0) throw new UsageError('extra-argument', `-x takes the address; unexpected "${raw.positionals[0] ?? ''}"`);
    return { kind: 'query', name, type: typeOption === undefined ? 'PTR' : checkType(typeOption), flags };
  }
  const [name, type, extra] = raw.positionals;
  if (name === undefined) throw new UsageError('missing-name', 'no name to look up (sansdns [@server] name [type])');
  if (extra !== undefined || (type !== undefined && typeOption !== undefined)) {
    throw new UsageError('extra-argument', `unexpected argument "${extra ?? type ?? ''}" (sansdns [@server] name [type] [options])`);
  }
  return { kind: 'query', name: checkName(name), type: checkType(type ?? typeOption ?? 'A'), flags };
}

function bulk(raw: Raw, file: string, typeOption: string | undefined, reverse: string | undefined, flags: QueryFlags): Command {
  if (reverse !== undefined) throw new UsageError('conflict', '-x and -f cannot be combined');
  const [type, extra] = raw.positionals;
  if (extra !== undefined || (type !== undefined && typeOption !== undefined)) {
    throw new UsageError('extra-argument', `unexpected argument "${extra ?? type ?? ''}": with -f the names come from the file (sansdns -f FILE [type])`);
  }
  const c = raw.values.get('--concurrency');
  const concurrency = c === undefined ? DEFAULT_CONCURRENCY : integer('--concurrency', c, 1, 100_000);
  return { kind: 'bulk', file, type: checkType(type ?? typeOption ?? 'A'), concurrency, flags };
}

/** The text of `sansdns demo --help`. */
export const DEMO_USAGE = `usage:
  sansdns demo [--seed N]

Starts an authoritative server for a small embedded zone and a relay in front
of it that drops 20% of datagrams each way, both on 127.0.0.1, then resolves a
handful of names through the relay with the Node driver and prints each
query's timeline (sends, timers, retries, TCP after truncation, NXDOMAIN).
Nothing leaves this machine.

options:
  --seed N           the seed of the relay's drops (0 to 4294967295; default 7)
  -h, --help         this text
`;

/** The text of `sansdns --help` (also `sansdns help`). */
export const USAGE = `usage:
  sansdns [@server ...] name [type] [options]      one question, dig-like output
  sansdns -x ADDR [@server ...] [options]           reverse lookup (PTR)
  sansdns -f FILE [@server ...] [type] [options]    bulk: one name per line, - for stdin
  sansdns demo [--seed N]                           the demo: a lossy network on loopback
  sansdns help [demo]                               this text, or the demo's

servers (repeatable; default: the nameservers of /etc/resolv.conf):
  @192.0.2.1  @192.0.2.1:5353  @[2001:db8::1]:53  @host:port  @https://dns.example/dns-query

options:
  -t TYPE            the type (default A; any type the core knows, or TYPEn)
  +tcp, --tcp        TCP only
  --timeout MS       overall deadline of each query (default 5000)
  --tries N          rounds over the servers
  --no-edns          no EDNS0 OPT record
  --cookies, --no-cookies, --0x20
                     DNS cookies (on by default with EDNS) and 0x20 case randomisation
  --json             one JSON object per question
  --trace            the timeline of each query as the core saw it
  --simulate SPEC    resolve in the simulator on virtual time: loss=0.3,latency=20,jitter=0,
                     duplicate=0,reorder=0,seed=7 (names under sansdns.test, e.g. www, big, txt)
  --concurrency N    bulk: queries in flight at once (default ${DEFAULT_CONCURRENCY})
  -h, --help         this text
  -v, --version      the version

exit status: 0 when a response arrived (any rcode), 9 when none did, 1 for a usage error;
bulk: 0 unless the input could not be read.
`;
