/**
 * dig's `+keyword[=value]` options, one table. `+noKEYWORD` turns a switch
 * off; a keyword may be shortened to any prefix that names one option only
 * (`+norec`, `+nocl`, `+ans`), as dig allows.
 *
 * Query options (`+rec`, `+dnssec`, ...) change how a question is asked;
 * display options (`+answer`, `+stats`, ...) what is printed. `+cmd` and
 * `+short` are global in dig (wherever they appear), and so they are here.
 */
import type { Ask, Display } from './settings.js';
import { UsageError } from './usage-error.js';

/** The two options dig keeps for the whole command line. */
export interface DigGlobals {
  /** `+[no]cmd`: the `; <<>> ... <<>>` line and `;; global options`. */
  cmd: boolean;
  /** `+[no]short`: only the answers' rdata. */
  short: boolean;
}

/** What an option changes. */
export interface OptionTarget {
  readonly ask: Ask;
  readonly display: Display;
  readonly globals: DigGlobals;
}

type Apply = (t: OptionTarget, on: boolean, value: string | undefined, option: string) => void;

interface Entry {
  /** `switch`: `+x`/`+nox`, no value; `value`: `+x=V` only; `both`: either. */
  readonly kind: 'switch' | 'value' | 'both';
  readonly apply: Apply;
}

const SECTIONS = ['question', 'answer', 'authority', 'additional'] as const;

function integer(option: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n > max) {
    throw new UsageError('bad-value', `+${option} needs an integer in ${min}..${max}, got "${value ?? ''}"`);
  }
  return Math.max(min, n);
}

const display = (key: keyof Display): Entry => ({ kind: 'switch', apply: (t, on) => void (t.display[key] = on) });

const all: Apply = (t, on) => {
  for (const s of SECTIONS) t.display[s] = on;
  t.display.comments = on;
  t.display.stats = on;
  t.globals.cmd = on;
};

const short: Apply = (t, on) => {
  t.globals.short = on;
  if (!on) return;
  // As dig: +short also hides everything but the answer (so a later +noshort shows less).
  all(t, false, undefined, 'all');
  t.display.answer = true;
};

const tries: Apply = (t, _on, v, o) => void (t.ask.tries = integer(o, v, 1, 100));
const time: Apply = (t, _on, v, o) => void (t.ask.time = integer(o, v, 1, 86_400));

const edns: Apply = (t, on, v) => {
  if (on && v !== undefined && v !== '0') throw new UsageError('bad-value', `+edns=${v}: only EDNS version 0 is supported`);
  t.ask.edns = on;
};

const domain: Apply = (t, _on, v) => {
  if (v === undefined || v === '') throw new UsageError('missing-value', '+domain needs a name (+domain=example.com)');
  t.ask.domain = v;
  t.ask.search = true;
};

const bufsize: Apply = (t, _on, v, o) => {
  // The core advertises 512..65535 (RFC 6891 §6.2.5: values below 512 are treated as 512).
  t.ask.bufsize = integer(o, v, 0, 65_535) < 512 ? 512 : Number(v);
};

const trace: Apply = () => {
  throw new UsageError('unknown-option', '+trace (iterative resolution from the root) is not supported; --trace shows the core\'s timeline of each query');
};

/** Every option, by its full keyword. */
const TABLE: Readonly<Record<string, Entry>> = {
  all: { kind: 'switch', apply: all },
  short: { kind: 'switch', apply: short },
  cmd: { kind: 'switch', apply: (t, on) => void (t.globals.cmd = on) },
  comments: display('comments'),
  question: display('question'),
  answer: display('answer'),
  authority: display('authority'),
  additional: display('additional'),
  stats: display('stats'),
  class: display('class'),
  ttlid: display('ttlid'),
  idnout: display('idnout'),
  recurse: { kind: 'switch', apply: (t, on) => void (t.ask.rec = on) },
  rdflag: { kind: 'switch', apply: (t, on) => void (t.ask.rec = on) },
  dnssec: { kind: 'switch', apply: (t, on) => void (t.ask.dnssec = on) },
  cdflag: { kind: 'switch', apply: (t, on) => void (t.ask.cd = on) },
  tcp: { kind: 'switch', apply: (t, on) => void (t.ask.tcp = on) },
  vc: { kind: 'switch', apply: (t, on) => void (t.ask.tcp = on) },
  edns: { kind: 'both', apply: edns },
  cookie: { kind: 'switch', apply: (t, on) => void (t.ask.cookie = on) },
  search: { kind: 'switch', apply: (t, on) => void (t.ask.search = on) },
  defname: { kind: 'switch', apply: (t, on) => void (t.ask.search = on) },
  domain: { kind: 'value', apply: domain },
  ndots: { kind: 'value', apply: (t, _on, v, o) => void (t.ask.ndots = integer(o, v, 0, 15)) },
  bufsize: { kind: 'value', apply: bufsize },
  time: { kind: 'value', apply: time },
  timeout: { kind: 'value', apply: time },
  tries: { kind: 'value', apply: tries },
  retry: { kind: 'value', apply: (t, on, v, o) => tries(t, on, String(integer(o, v, 0, 99) + 1), o) },
  trace: { kind: 'switch', apply: trace },
};

const KEYWORDS = Object.keys(TABLE);

/** The full keyword for what was typed: itself, or the one keyword it is a prefix of. */
function keywordOf(typed: string, whole: string): string {
  if (Object.hasOwn(TABLE, typed)) return typed;
  const candidates = typed.length < 2 ? [] : KEYWORDS.filter((k) => k.startsWith(typed));
  if (candidates.length === 1) return candidates[0] as string;
  const hint = candidates.length > 1 ? ` (could be ${candidates.map((c) => `+${c}`).join(', ')})` : '';
  throw new UsageError('unknown-option', `invalid option: ${whole}${hint} (see sansdns --help)`);
}

/** Apply one `+keyword[=value]` argument. Throws a {@link UsageError} for an unknown or malformed one. */
export function applyPlusOption(arg: string, target: OptionTarget): void {
  const eq = arg.indexOf('=');
  const word = (eq < 0 ? arg.slice(1) : arg.slice(1, eq)).toLowerCase();
  const value = eq < 0 ? undefined : arg.slice(eq + 1);
  // `+nocookie` is "no" + "cookie"; `+ndots` and `+nsid` start with "n" only.
  const negated = word.startsWith('no') && !Object.hasOwn(TABLE, word);
  const keyword = keywordOf(negated ? word.slice(2) : word, arg);
  const entry = TABLE[keyword] as Entry;
  if (entry.kind === 'switch' && value !== undefined) throw new UsageError('bad-value', `+${keyword} takes no value (${arg})`);
  if (entry.kind === 'value' && negated) throw new UsageError('bad-value', `+${keyword} cannot be negated (${arg})`);
  if (entry.kind === 'value' && value === undefined) throw new UsageError('missing-value', `+${keyword} needs a value (+${keyword}=...)`);
  entry.apply(target, !negated, value, keyword);
}
