/**
 * Bulk mode (`-f FILE`, `-` for stdin), for lists of millions of names.
 *
 * Each line is a dig command line (`bulk-line.ts`), read as it is needed
 * (`bulk-input.ts`): the first question goes out before the input is read
 * to its end. At most `--concurrency` questions are in flight, and results
 * come out in input order through a bounded reorder buffer
 * (`bulk-window.ts`; `--unordered` prints them as they come). `--rate N`
 * spaces the starts. Memory depends on the options, never on the input.
 * One line per result (`format-line.ts`), a JSON object per result with
 * `--json`, or dig's text with `--dig`; then a summary by outcome. A
 * progress bar on stderr when it is a terminal.
 *
 * Without `--trace` or `--dig`, outcomes come straight from the promise
 * API, without a mirror of the core: the fast path. Exit status as dig's:
 * 0 when every question got a response, 9 when one did not, 1 when a line
 * could not be read, 8 when the input could not be opened.
 */
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { BulkOptions, Command, Flags } from './args.js';
import { ask } from './ask.js';
import { serverInputs, type HostLookup } from './backend.js';
import { BackendPool } from './backend-pool.js';
import { inputLines, type InputLine } from './bulk-input.js';
import { parseLine } from './bulk-line.js';
import { BulkSummary, summaryJson, summaryText } from './bulk-summary.js';
import { Window, type WindowStats } from './bulk-window.js';
import type { DigGlobals } from './dig-options.js';
import { digText } from './dig-run.js';
import { outcomeJson } from './format-json.js';
import { formatLine } from './format-line.js';
import { formatTimeline } from './format-trace.js';
import type { CliIo } from './io.js';
import type { ErrorOutcome, Outcome } from './outcome.js';
import { Pacer } from './pacer.js';
import { Progress } from './progress.js';
import type { QuestionDefaults } from './questions.js';
import type { Question } from './settings.js';

/** One unit of work: a question, or a line that could not be read. */
type Item = { readonly question: Question; readonly globals: DigGlobals } | { readonly bad: ErrorOutcome };

/** What a run did (the exit status, and for tests and the bench, the window's high-water marks). */
export interface BulkResult {
  readonly status: number;
  readonly window: WindowStats;
  readonly reorder: number;
  readonly summary: BulkSummary;
}

/** The items of one line. */
export function itemsOf(line: InputLine, defaults: QuestionDefaults): Item[] {
  const bad = (code: string, message: string): Item[] => [{
    bad: { kind: 'error', name: `line ${line.number}`, type: '-', code, message, elapsed: 0, sent: 0, timeline: undefined, reply: undefined },
  }];
  if (line.text === undefined) return bad('EUSAGE', 'line too long');
  const work = parseLine(line.text, defaults);
  if (work.kind === 'blank') return [];
  if (work.kind === 'bad') return bad(work.code, work.message);
  return work.questions.map((question) => ({ question, globals: work.globals }));
}

/** Buffers output and writes it in large pieces (one write per 64 KiB, or per turn of the event loop). */
class Output {
  private parts: string[] = [];
  private size = 0;
  private scheduled = false;

  constructor(private readonly write: (text: string) => void) {}

  push(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 65_536) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.parts.length === 0) return;
    this.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

/** Everything a run shares. */
interface Run {
  readonly flags: Flags;
  readonly bulk: BulkOptions;
  readonly pool: BackendPool;
  readonly window: Window;
  readonly summary: BulkSummary;
  readonly progress: Progress;
  readonly total: number | undefined;
  readonly started: number;
  offset: number;
}

function render(o: Outcome, item: Item, run: Run): string {
  if (run.bulk.output === 'json') return `${JSON.stringify(outcomeJson(run.flags.trace ? o : { ...o, timeline: undefined }))}\n`;
  const trace = run.flags.trace && o.timeline !== undefined ? formatTimeline(o) : '';
  if (run.bulk.output === 'line' || !('question' in item)) return `${trace}${formatLine(o)}\n`;
  const q = item.question;
  const view = {
    display: q.display, short: item.globals.short, typed: q.name, cookieSent: q.ask.edns && q.ask.cookie !== false,
    when: run.flags.simulate === undefined ? new Date() : undefined, notes: undefined,
  };
  return `${trace}${digText(o, view, undefined)}`;
}

async function runItem(seq: number, item: Item, run: Run): Promise<void> {
  let text: string;
  try {
    const o = 'bad' in item ? item.bad : await ask(run.pool.get(item.question.ask), item.question);
    run.summary.add(o);
    text = render(o, item, run);
  } catch (error) {
    // Only a resolver that could not be built gets here (too many ways of asking): that line's result.
    const bad: ErrorOutcome = { kind: 'error', name: 'question', type: '-', code: 'EUSAGE', message: String((error as Error).message), elapsed: 0, sent: 0, timeline: undefined, reply: undefined };
    run.summary.add(bad);
    text = `${formatLine(bad)}\n`;
  }
  run.window.done(seq, text);
  run.progress.update(() => ({ done: run.summary.questions, offset: run.offset, total: run.total, elapsedMs: run.pool.now() - run.started, summary: run.summary }));
}

async function openInput(file: string, io: CliIo): Promise<{ stream: Readable; size: number | undefined }> {
  if (file === '-') return { stream: io.stdin, size: io.stdinSize };
  const handle = await open(file, 'r');
  const stat = await handle.stat();
  return { stream: handle.createReadStream(), size: stat.isFile() ? stat.size : undefined };
}

/** Feed every line's items through the window; resolves when the input is read (questions may still be in flight). */
async function feed(stream: Readable, run: Run, defaults: QuestionDefaults, pacer: Pacer | undefined): Promise<void> {
  let seq = 0;
  const settle = (): void => run.pool.settle();
  for await (const line of inputLines(stream)) {
    run.offset = line.offset;
    for (const item of itemsOf(line, defaults)) {
      const s = seq++;
      await run.window.admit(s, settle);
      if (pacer !== undefined && 'question' in item) await pacer.take();
      void runItem(s, item, run);
    }
  }
}

/** Run bulk mode; resolves with the exit status and what the window went through. */
export async function bulkRun(cmd: Extract<Command, { kind: 'bulk' }>, io: CliIo, lookup: HostLookup): Promise<BulkResult> {
  const { flags, bulk } = cmd;
  const summary = new BulkSummary();
  let input: { stream: Readable; size: number | undefined };
  try {
    input = await openInput(bulk.file, io);
  } catch (error) {
    io.stderr(`sansdns: couldn't open batch file ${bulk.file}: ${(error as Error).message}\n`);
    return { status: 8, window: { maxInFlight: 0, maxBuffered: 0 }, reorder: 0, summary };
  }
  const servers = await serverInputs(flags, lookup);
  const pool = new BackendPool(flags, servers, flags.trace || bulk.output === 'dig');
  const out = new Output(io.stdout);
  const window = new Window({ concurrency: bulk.concurrency, ordered: !bulk.unordered }, (t) => out.push(t));
  const progress = new Progress(io.stderr, bulk.progress ?? io.stderrIsTTY, () => performance.now());
  const run: Run = { flags, bulk, pool, window, summary, progress, total: input.size, started: pool.now(), offset: 0 };
  let status = 0;
  try {
    await feed(input.stream, run, cmd.defaults, bulk.rate === undefined ? undefined : new Pacer(bulk.rate, () => performance.now()));
  } catch (error) {
    io.stderr(`sansdns: error reading ${bulk.file === '-' ? 'stdin' : bulk.file}: ${(error as Error).message}\n`);
    status = 8;
  } finally {
    await window.drain(() => pool.settle());
    input.stream.destroy();
    progress.end();
  }
  const elapsed = pool.now() - run.started;
  const sent = pool.datagramsSent();
  pool.close();
  out.push(bulk.output === 'json' ? `${JSON.stringify(summaryJson(summary, elapsed, sent))}\n` : summaryText(summary, elapsed, sent));
  out.flush();
  return { status: Math.max(status, summary.status()), window: window.stats, reorder: window.reorder, summary };
}

/** Run bulk mode; resolves with the exit status. */
export async function runBulk(cmd: Extract<Command, { kind: 'bulk' }>, io: CliIo, lookup: HostLookup): Promise<number> {
  return (await bulkRun(cmd, io, lookup)).status;
}
