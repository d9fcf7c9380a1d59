/**
 * The `sansdns` command: parse, dispatch, print, and choose the exit status
 * (0 when a response arrived, 9 when none did, 1 for a usage error; bulk: 0
 * unless its input could not be read).
 */
import { isDnsError } from '../index.js';
import { parseArgs, DEMO_USAGE, USAGE, type Command, type QueryFlags } from './args.js';
import { ask, openBackend, type HostLookup } from './backend.js';
import { runBulk } from './bulk.js';
import { runDemo } from './demo.js';
import { formatDig } from './format-dig.js';
import { outcomeJson } from './format-json.js';
import { formatTimeline } from './format-trace.js';
import type { CliIo } from './io.js';
import { exitStatus } from './outcome.js';
import { isUsageError } from './usage-error.js';
import { version } from './version.js';

/** Options of {@link main} beyond the process: for tests. */
export interface MainOptions {
  /** Resolves `@host` server names (default: through sansdns itself). */
  readonly lookupHost?: HostLookup;
}

/** Warn about flags the core does not implement yet, rather than ignore them silently. */
async function runQuery(cmd: Extract<Command, { kind: 'query' }>, argv: readonly string[], io: CliIo, options: MainOptions): Promise<number> {
  const flags = cmd.flags;
  const backend = await openBackend(flags, true, true, options.lookupHost);
  let outcome;
  try {
    outcome = await ask(backend, cmd.name, cmd.type);
  } finally {
    backend.close();
  }
  const shown = flags.trace ? outcome : { ...outcome, timeline: undefined };
  if (flags.json) {
    io.stdout(`${JSON.stringify(outcomeJson(shown))}\n`);
  } else {
    if (flags.trace) io.stdout(`${formatTimeline(outcome)}\n`);
    io.stdout(formatDig(shown, argv.join(' '), version()));
  }
  return exitStatus(outcome);
}

/** Run the command with `argv` (without `node` and the script). Resolves with the exit status. */
export async function main(argv: readonly string[], io: CliIo, options: MainOptions = {}): Promise<number> {
  try {
    const cmd = parseArgs(argv);
    switch (cmd.kind) {
      case 'help': io.stdout(cmd.topic === 'demo' ? DEMO_USAGE : USAGE); return 0;
      case 'version': io.stdout(`sansdns ${version()}\n`); return 0;
      case 'demo': return await runDemo(io, cmd.seed);
      case 'bulk': return await runBulk(cmd, io, options.lookupHost);
      case 'query': return await runQuery(cmd, argv, io, options);
    }
  } catch (error) {
    // Usage errors, and caller mistakes the core refuses (a bad server or option).
    if (!isUsageError(error) && !isDnsError(error)) throw error;
    io.stderr(`sansdns: ${error.message}\n`);
    return 1;
  }
}
