/**
 * One line of a bulk file as a dig command line: `name [type] [class]
 * [+options]`, `-x ADDR`, `-t TYPE`, `-c CLASS`, `-q NAME`, and several
 * questions on one line like on the command line (`questions.ts`). The
 * command line's defaults apply first. `#` or `;` start a comment; servers
 * and the command's own options belong on the command line, not here.
 */
import type { DigGlobals } from './dig-options.js';
import { QuestionReader, type QuestionDefaults } from './questions.js';
import type { Question } from './settings.js';
import { isUsageError } from './usage-error.js';

/** What a line asks: questions, nothing (blank or a comment), or a mistake that says why. */
export type LineWork =
  | { readonly kind: 'questions'; readonly questions: readonly Question[]; readonly globals: DigGlobals }
  | { readonly kind: 'blank' }
  | { readonly kind: 'bad'; readonly code: string; readonly message: string };

const LINE_OPTIONS = new Set(['-t', '-c', '-q', '-x']);

function apply(reader: QuestionReader, option: string, value: string): void {
  if (option === '-t') reader.type(value);
  else if (option === '-c') reader.klass(value);
  else if (option === '-q') reader.name(value);
  else reader.reverse(value);
}

function read(reader: QuestionReader, words: readonly string[]): void {
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w.startsWith('+') && w.length > 1) reader.plus(w);
    else if (w.startsWith('@')) throw new Error('servers go on the command line, not in the file');
    else if (w.startsWith('-') && w.length > 1) {
      const option = w.slice(0, 2);
      if (!LINE_OPTIONS.has(option)) throw new Error(`${w} does not apply to one line (-t, -c, -q, -x and +options do)`);
      const value = w.length > 2 ? w.slice(2) : words[++i];
      if (value === undefined) throw new Error(`${option} needs a value`);
      apply(reader, option, value);
    } else reader.word(w);
  }
}

/** Read one line. Never throws: a mistake is a `bad` line with the code `EBADNAME` or `EUSAGE`. */
export function parseLine(text: string, defaults: QuestionDefaults): LineWork {
  const words = text.replace(/[#;].*$/, '').trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return { kind: 'blank' };
  const reader = new QuestionReader(defaults);
  try {
    read(reader, words);
  } catch (error) {
    const code = isUsageError(error) && error.code === 'bad-name' ? 'EBADNAME' : 'EUSAGE';
    return { kind: 'bad', code, message: error instanceof Error ? error.message : String(error) };
  }
  const questions = reader.questions();
  if (questions.length === 0) return { kind: 'bad', code: 'EUSAGE', message: 'no name on this line' };
  return { kind: 'questions', questions, globals: reader.globals };
}
