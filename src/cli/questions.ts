/**
 * dig's way of reading questions: a name starts a question; a type or a
 * class after it (`MX`, `TYPE65400`, `CH`, `CLASS3`, or `-t`/`-c`) sets that
 * question's; `+options` before the first name are defaults for every
 * question, after a name they change that question only. So
 * `sansdns a.example A b.example MX +norec` asks two questions, the second
 * without RD. Used for the command line and for each line of a bulk file.
 */
import { domainToASCII } from 'node:url';
import { classFromInput, classToName, parseName } from '../codec.js';
import { applyPlusOption, type DigGlobals, type OptionTarget } from './dig-options.js';
import { reverseName } from '../node.js';
import type { Ask, Display, Question } from './settings.js';
import { typeCode, typeMnemonic } from './type-names.js';
import { UsageError } from './usage-error.js';

/** The type as dig prints it, or `undefined` when the text is not one. */
export function typeName(text: string): string | undefined {
  const code = typeCode(text);
  return code === undefined ? undefined : typeMnemonic(code);
}

/** The class as dig prints it, or `undefined` when the text is not one. */
export function className(text: string): string | undefined {
  try {
    return classToName(classFromInput(text));
  } catch {
    return undefined;
  }
}

function why(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /^bad name "(?:[^"\\]|\\.)*": (.*)$/.exec(message)?.[1] ?? message;
}

/** Check a name as dig does before asking it. Throws a `bad-name` {@link UsageError} that says why, once. */
export function checkName(text: string): string {
  // Unicode names go out as A-labels (RFC 5891); the core converts them itself.
  const ascii = /^[\x00-\x7f]*$/.test(text) ? text : domainToASCII(text);
  try {
    if (ascii === '') throw new Error('not a valid internationalised name');
    parseName(ascii);
  } catch (error) {
    throw new UsageError('bad-name', `'${text}' is not a legal name (${why(error)})`);
  }
  return text;
}

/** What a question starts from: the defaults in force before the first name. */
export interface QuestionDefaults {
  readonly ask: Ask;
  readonly display: Display;
  readonly type: string | undefined;
  readonly class: string | undefined;
  readonly globals: DigGlobals;
}

interface Draft {
  name: string;
  type: string | undefined;
  class: string | undefined;
  ask: Ask;
  display: Display;
}

/** Reads the question part of a command line, argument by argument. */
export class QuestionReader {
  private readonly drafts: Draft[] = [];
  private readonly base: { ask: Ask; display: Display };
  private defaultType: string | undefined;
  private defaultClass: string | undefined;
  readonly globals: DigGlobals;
  /**
   * dig writes its greeting (`; <<>> ... <<>>`) when it reads the first
   * name, if `+cmd` is on then: so a later `+nocmd` hides it from answers
   * but not from a failure, and an earlier `+short` hides it from both.
   */
  greeting: { readonly short: boolean } | undefined;

  /** Start from `defaults` (copied: the reader never changes them). */
  constructor(defaults: Omit<QuestionDefaults, 'type' | 'class'> & Partial<Pick<QuestionDefaults, 'type' | 'class'>>) {
    this.base = { ask: { ...defaults.ask }, display: { ...defaults.display } };
    this.globals = { ...defaults.globals };
    this.defaultType = defaults.type;
    this.defaultClass = defaults.class;
  }

  /** The defaults as they stand (for the lines of a bulk file). */
  defaults(): QuestionDefaults {
    return { ask: { ...this.base.ask }, display: { ...this.base.display }, type: this.defaultType, class: this.defaultClass, globals: { ...this.globals } };
  }

  private get current(): Draft | undefined {
    return this.drafts.at(-1);
  }

  private target(): OptionTarget {
    const d = this.current ?? this.base;
    return { ask: d.ask, display: d.display, globals: this.globals };
  }

  /** `+keyword[=value]`. */
  plus(arg: string): void {
    applyPlusOption(arg, this.target());
  }

  /** A name: starts a question. */
  name(text: string): void {
    if (this.drafts.length === 0 && this.globals.cmd) this.greeting = { short: this.globals.short };
    this.drafts.push({
      name: checkName(text), type: undefined, class: undefined,
      ask: { ...this.base.ask }, display: { ...this.base.display },
    });
  }

  /** `-x ADDR`: the reverse name, type PTR (RFC 1035 §3.5, RFC 3596 §2.5). */
  reverse(text: string): void {
    const name = reverseName(text);
    if (name === undefined) throw new UsageError('bad-value', `-x needs an IPv4 or IPv6 address, got "${text}"`);
    this.name(name);
    (this.current as Draft).type = 'PTR';
  }

  /** `-t TYPE` (or a type word). */
  type(text: string): void {
    const type = typeName(text);
    if (type === undefined) throw new UsageError('bad-type', `unknown type "${text}" (A, AAAA, MX, TXT, ..., or TYPEn)`);
    if (this.current === undefined) this.defaultType = type;
    else this.current.type = type;
  }

  /** `-c CLASS` (or a class word). */
  klass(text: string): void {
    const klass = className(text);
    if (klass === undefined) throw new UsageError('bad-value', `unknown class "${text}" (IN, CH, HS, ANY, or CLASSn)`);
    if (this.current === undefined) this.defaultClass = klass;
    else this.current.class = klass;
  }

  /** A word that is not an option: a type, a class, else a name (as dig reads it). */
  word(text: string): void {
    // A word with a dot is a name (no type or class has one): most words, and the cheap test first.
    if (text.includes('.')) this.name(text);
    else if (typeName(text) !== undefined) this.type(text);
    else if (className(text) !== undefined) this.klass(text);
    else this.name(text);
  }

  /** True once a name was given. */
  get hasQuestion(): boolean {
    return this.drafts.length > 0;
  }

  /** The questions read, with defaults filled in. */
  questions(): Question[] {
    return this.drafts.map((d) => ({
      name: d.name, type: d.type ?? this.defaultType ?? 'A', class: d.class ?? this.defaultClass ?? 'IN', ask: d.ask, display: d.display,
    }));
  }
}
