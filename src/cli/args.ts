/**
 * The command line of `sansdns`, as a pure function from `argv` to a
 * {@link Command}, or a {@link UsageError} that says what was wrong.
 *
 * ```
 * sansdns [@server ...] [-p PORT] name [type] [class] [+opts] [name [type] [class] [+opts] ...]
 * sansdns -x ADDR [@server ...] [+opts]
 * sansdns -f FILE [@server ...] [type] [+opts] [--concurrency N] [--rate N] [--unordered]
 * sansdns demo [--seed N]
 * sansdns help [main|bulk|demo|help]
 * ```
 *
 * Arguments are read in order, as dig reads them: `+options` before the
 * first name are every question's defaults, after a name that question's
 * (`questions.ts`). `--long` options are the command's; `--tcp`,
 * `--no-edns`, `--cookies`/`--no-cookies` and `--tries N` are spelled-out
 * forms of `+tcp`, `+noedns`, `+[no]cookie` and `+tries=N`.
 */
import type { DigGlobals } from './dig-options.js';
import { QuestionReader, type QuestionDefaults } from './questions.js';
import { parseServerArg, type ServerArg } from './server-arg.js';
import { defaultAsk, defaultDisplay, type Question } from './settings.js';
import { parseSimulateSpec, type SimulateSpec } from './simulate-spec.js';
import { UsageError } from './usage-error.js';

/** The command's own options (shared by every question). */
export interface Flags {
  readonly servers: readonly ServerArg[];
  /** `-p PORT`: the port of servers given without one. */
  readonly port: number | undefined;
  /** `-4`/`-6`: servers of that family only. */
  readonly family: 4 | 6 | undefined;
  /** `+[no]cmd` and `+[no]short`, global as in dig. */
  readonly globals: DigGlobals;
  /** The greeting, when `+cmd` was on at the first name (`questions.ts`). */
  readonly greeting: { readonly short: boolean } | undefined;
  /** `--timeout MS`: the overall deadline of each question. */
  readonly timeout: number | undefined;
  /** `--0x20`: randomise the case of names (the output shows them as typed). */
  readonly caseRandomization: boolean;
  /** `--no-cache` turns the core's cache and coalescing off: every question goes to the network. */
  readonly cache: boolean;
  readonly json: boolean;
  /** `--trace`: the core's timeline of each question. */
  readonly trace: boolean;
  /** `--simulate SPEC`: resolve in the simulator instead of on the network. */
  readonly simulate: SimulateSpec | undefined;
}

/** How bulk mode runs. */
export interface BulkOptions {
  /** `-f FILE`; `-` is stdin. */
  readonly file: string;
  /** `--concurrency N`: questions in flight at most. */
  readonly concurrency: number;
  /** `--unordered`: print each result when it comes, not in input order. */
  readonly unordered: boolean;
  /** `--rate N`: questions started per second at most. */
  readonly rate: number | undefined;
  /** One line per result, a JSON object per result (`--json`), or dig's text (`--dig`). */
  readonly output: 'line' | 'json' | 'dig';
  /** `--progress`/`--no-progress`; `undefined`: only when stderr is a terminal. */
  readonly progress: boolean | undefined;
}

/** What `sansdns help` can explain. */
export type HelpTopic = 'main' | 'bulk' | 'demo' | 'help';

/** What the command line asks for. */
export type Command =
  | { readonly kind: 'help'; readonly topic: HelpTopic }
  | { readonly kind: 'version' }
  | { readonly kind: 'demo'; readonly seed: number | undefined }
  | { readonly kind: 'query'; readonly questions: readonly Question[]; readonly flags: Flags }
  | { readonly kind: 'bulk'; readonly bulk: BulkOptions; readonly defaults: QuestionDefaults; readonly flags: Flags };

/** Bulk questions in flight unless `--concurrency` says otherwise. */
export const DEFAULT_CONCURRENCY = 100;

const TOPICS: readonly HelpTopic[] = ['main', 'bulk', 'demo', 'help'];

/** Options that take a value, with what the value is called in messages. */
const VALUED: Readonly<Record<string, string>> = {
  '--timeout': 'MS', '--tries': 'N', '--concurrency': 'N', '--simulate': 'SPEC', '--seed': 'N', '--rate': 'N',
  '-t': 'TYPE', '-c': 'CLASS', '-q': 'NAME', '-x': 'ADDR', '-f': 'FILE', '-p': 'PORT',
};
const ALIASES: Readonly<Record<string, string>> = {
  '--type': '-t', '--class': '-c', '--file': '-f', '--port': '-p', '-h': '--help', '-v': '--version',
};
const SWITCHES = new Set([
  '--tcp', '--no-edns', '--cookies', '--no-cookies', '--0x20', '--json', '--trace', '--no-cache', '--unordered',
  '--dig', '--progress', '--no-progress', '-4', '-6', '--help', '--version',
]);
/** Spelled-out forms of `+options`. */
const AS_PLUS: Readonly<Record<string, string>> = { '--tcp': '+tcp', '--no-edns': '+noedns', '--cookies': '+cookie', '--no-cookies': '+nocookie' };

/** An integer option's value in `min..max`. */
export function integer(option: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) {
    throw new UsageError('bad-value', `${option} needs an integer in ${min}..${max}, got "${text}"`);
  }
  return n;
}

/** Everything but the questions, as scanned. */
interface Scanned {
  readonly servers: ServerArg[];
  readonly values: Map<string, string>;
  readonly switches: Set<string>;
}

/** Reads argv in order, handing question words and `+options` to a {@link QuestionReader}. */
class Scanner {
  readonly scanned: Scanned = { servers: [], values: new Map(), switches: new Set() };
  private i = 0;
  private rest = false;

  constructor(private readonly argv: readonly string[], readonly reader: QuestionReader) {}

  run(): Scanned {
    while (this.i < this.argv.length) this.one(this.argv[this.i++] as string);
    return this.scanned;
  }

  private one(arg: string): void {
    if (this.rest || arg === '-' || !/^[-+@]./.test(arg)) return this.reader.word(arg);
    if (arg === '--') this.rest = true;
    else if (arg.startsWith('@')) this.scanned.servers.push(parseServerArg(arg.slice(1)));
    else if (arg.startsWith('+')) this.reader.plus(arg);
    else this.option(arg);
  }

  private option(arg: string): void {
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    // dig's single-letter options take their value attached too: -tMX, -p5300.
    const attached = !arg.startsWith('--') && arg.length > 2 && VALUED[arg.slice(0, 2)] !== undefined;
    const name = attached ? arg.slice(0, 2) : eq < 0 ? arg : arg.slice(0, eq);
    const option = ALIASES[name] ?? name;
    if (VALUED[option] !== undefined) {
      const value = attached ? arg.slice(2) : eq < 0 ? this.argv[this.i++] : arg.slice(eq + 1);
      if (value === undefined) throw new UsageError('missing-value', `${option} needs a value (${option} ${VALUED[option] ?? 'VALUE'})`);
      return this.valued(option, value);
    }
    if (!SWITCHES.has(option) || eq >= 0) throw new UsageError('unknown-option', `unknown option ${arg} (see sansdns --help)`);
    const plus = AS_PLUS[option];
    if (plus !== undefined) this.reader.plus(plus);
    else this.scanned.switches.add(option);
  }

  private valued(option: string, value: string): void {
    switch (option) {
      case '-t': return this.reader.type(value);
      case '-c': return this.reader.klass(value);
      case '-q': return this.reader.name(value);
      case '-x': return this.reader.reverse(value);
      case '--tries': return this.reader.plus(`+tries=${integer('--tries', value, 1, 100)}`);
      default:
        if (this.scanned.values.has(option)) throw new UsageError('conflict', `${option} is given twice`);
        this.scanned.values.set(option, value);
    }
  }
}

function flagsOf(s: Scanned, reader: QuestionReader): Flags {
  const v = s.values;
  const has = (x: string): boolean => s.switches.has(x);
  if (has('-4') && has('-6')) throw new UsageError('conflict', '-4 and -6 contradict each other');
  const num = (o: string, min: number, max: number): number | undefined => (v.has(o) ? integer(o, v.get(o) as string, min, max) : undefined);
  const simulate = v.get('--simulate');
  const flags: Flags = {
    servers: s.servers,
    port: num('-p', 1, 65_535),
    family: has('-4') ? 4 : has('-6') ? 6 : undefined,
    globals: reader.globals,
    greeting: reader.greeting,
    timeout: num('--timeout', 1, 86_400_000),
    caseRandomization: has('--0x20'),
    cache: !has('--no-cache'),
    json: has('--json'),
    trace: has('--trace'),
    simulate: simulate === undefined ? undefined : parseSimulateSpec(simulate),
  };
  checkServers(flags);
  return flags;
}

function checkServers(f: Flags): void {
  const doh = f.servers.filter((x) => x.kind === 'doh').length;
  if (f.simulate !== undefined && f.servers.length > 0) {
    throw new UsageError('conflict', '--simulate resolves against its own simulated servers; leave out @server');
  }
  if (doh > 0 && doh < f.servers.length) throw new UsageError('conflict', 'DoH URLs and UDP/TCP servers cannot be mixed in one command');
}

/** Refuse options that do not apply to a mode. */
function only(s: Scanned, forbidden: readonly string[], mode: string): void {
  for (const key of [...s.values.keys(), ...s.switches]) {
    if (forbidden.includes(key)) throw new UsageError('conflict', `${key} ${mode}`);
  }
}

const BULK_ONLY = ['--concurrency', '--rate', '--unordered', '--dig', '--progress', '--no-progress'];

function demo(argv: readonly string[]): Command {
  const reader = new QuestionReader({ ask: defaultAsk(), display: defaultDisplay(false), globals: { cmd: true, short: false } });
  const s = new Scanner(argv, reader).run();
  if (s.switches.has('--help')) return { kind: 'help', topic: 'demo' };
  for (const key of [...s.values.keys(), ...s.switches]) {
    if (key !== '--seed') throw new UsageError('conflict', `${key} does not apply to demo`);
  }
  if (reader.hasQuestion || s.servers.length > 0) {
    throw new UsageError('extra-argument', `demo takes no arguments but --seed N, got "${s.servers.length > 0 ? '@…' : argv.find((a) => !a.startsWith('-')) ?? ''}"`);
  }
  const seed = s.values.get('--seed');
  return { kind: 'demo', seed: seed === undefined ? undefined : integer('--seed', seed, 0, 2 ** 32 - 1) };
}

function help(topic: string | undefined): Command {
  if (topic === undefined || topic === '--help' || topic === '-h') return { kind: 'help', topic: topic === undefined ? 'main' : 'help' };
  if (!TOPICS.includes(topic as HelpTopic)) throw new UsageError('bad-value', `no help on "${topic}" (topics: ${TOPICS.join(', ')})`);
  return { kind: 'help', topic: topic as HelpTopic };
}

function bulk(s: Scanned, reader: QuestionReader, flags: Flags): Command {
  if (reader.hasQuestion) throw new UsageError('extra-argument', 'with -f the names come from the file (sansdns -f FILE [type] [+options])');
  const v = s.values;
  const rate = v.get('--rate');
  return {
    kind: 'bulk',
    flags,
    defaults: reader.defaults(),
    bulk: {
      file: v.get('-f') as string,
      concurrency: v.has('--concurrency') ? integer('--concurrency', v.get('--concurrency') as string, 1, 100_000) : DEFAULT_CONCURRENCY,
      unordered: s.switches.has('--unordered'),
      rate: rate === undefined ? undefined : integer('--rate', rate, 1, 10_000_000),
      output: flags.json ? 'json' : s.switches.has('--dig') ? 'dig' : 'line',
      progress: s.switches.has('--progress') ? true : s.switches.has('--no-progress') ? false : undefined,
    },
  };
}

/** Parse `argv` (without `node` and the script). `stdoutIsTTY` is `+idnout`'s default, as dig's. Throws a {@link UsageError}. */
export function parseArgs(argv: readonly string[], stdoutIsTTY = false): Command {
  if (argv[0] === 'help') return help(argv[1]);
  if (argv[0] === 'demo') return demo(argv.slice(1));
  const reader = new QuestionReader({ ask: defaultAsk(), display: defaultDisplay(stdoutIsTTY), globals: { cmd: true, short: false } });
  const s = new Scanner(argv, reader).run();
  if (s.switches.has('--help')) return { kind: 'help', topic: s.values.has('-f') ? 'bulk' : 'main' };
  if (s.switches.has('--version')) return { kind: 'version' };
  if (s.values.has('--seed')) throw new UsageError('conflict', '--seed applies to demo; use --simulate seed=N');
  const flags = flagsOf(s, reader);
  if (s.values.has('-f')) return bulk(s, reader, flags);
  only(s, BULK_ONLY, 'applies to bulk mode (-f FILE)');
  const questions = reader.questions();
  if (questions.length === 0) throw new UsageError('missing-name', 'no name to look up (sansdns [@server] name [type], or sansdns --help)');
  return { kind: 'query', questions, flags };
}
