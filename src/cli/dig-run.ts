/**
 * The questions of one command line, asked one after the other as dig asks
 * them, each through its own resolver (so nothing is cached between them,
 * as in dig) followed by a mirror, and printed as dig prints them (or as
 * JSON). The exit status is dig's: 0 when every question got a response
 * (any rcode), 9 when one got none.
 */
import type { Flags } from './args.js';
import { ask } from './ask.js';
import { openBackend, serverInputs, type HostLookup } from './backend.js';
import { eventLines, failureLine, greetingLines, replyLines, type DigView, type DnssecNotes } from './format-dig.js';
import { outcomeJson } from './format-json.js';
import { formatTimeline } from './format-trace.js';
import type { CliIo } from './io.js';
import { exitStatus, type Outcome } from './outcome.js';
import type { Question } from './settings.js';
import { version } from './version.js';

/** What a run needs besides the questions. */
export interface DigRun {
  readonly flags: Flags;
  /** The command line as typed, for the greeting. */
  readonly argv: readonly string[];
  readonly io: CliIo;
  readonly lookup: HostLookup;
  /** DNSSEC status lines (none until a validator provides them). */
  readonly notes?: DnssecNotes;
}

/** dig's greeting, not yet printed, and whether `+cmd` is on (at the end of the command line). */
export interface Greeting {
  readonly lines: readonly string[];
  readonly cmd: boolean;
}

/** dig's text of one outcome, after the greeting when one is pending and dig would print it there. */
export function digText(o: Outcome, view: DigView, greeting: Greeting | undefined): string {
  const reply = o.kind === 'answer' ? o : o.reply;
  const lines = eventLines(o);
  // dig prints its greeting before a response unless +short or +nocmd, and always before a failure.
  if (greeting !== undefined && (reply === undefined || (greeting.cmd && !view.short))) lines.push(...greeting.lines);
  if (reply !== undefined) lines.push(...replyLines(reply, o.elapsed, view));
  else if (o.kind === 'error') lines.push(failureLine(o));
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function viewOf(q: Question, flags: Flags, simulated: boolean, notes: DnssecNotes | undefined): DigView {
  return {
    display: q.display,
    short: flags.globals.short,
    typed: q.name,
    cookieSent: q.ask.edns && q.ask.cookie !== false,
    when: simulated ? undefined : new Date(),
    notes,
  };
}

/** Ask every question in order and print each; resolves with the exit status. */
export async function runQuestions(questions: readonly Question[], run: DigRun): Promise<number> {
  const { flags, io } = run;
  const servers = await serverInputs(flags, run.lookup);
  const found = flags.servers.length > 0 ? servers.length : 0;
  let greeting: Greeting | undefined = flags.greeting === undefined
    ? undefined : { lines: greetingLines(version(), run.argv, found, flags.greeting.short), cmd: flags.globals.cmd };
  let status = 0;
  for (const q of questions) {
    const backend = openBackend(flags, q.ask, { mirrored: true, traced: true, autoSettle: true, servers });
    let o: Outcome;
    try {
      o = await ask(backend, q);
    } finally {
      backend.close();
    }
    status = Math.max(status, exitStatus(o));
    if (flags.json) {
      io.stdout(`${JSON.stringify(outcomeJson(flags.trace ? o : { ...o, timeline: undefined }))}\n`);
      continue;
    }
    if (flags.trace) io.stdout(formatTimeline(o));
    io.stdout(digText(o, viewOf(q, flags, backend.simulated, run.notes), greeting));
    greeting = undefined; // dig prints it once, or drops it when it shows the first response without it
  }
  return status;
}
