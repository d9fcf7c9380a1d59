/**
 * The `sansdns` command: parse, dispatch, print, and choose the exit status
 * as dig does: 0 when a response arrived (any rcode), 9 when none did, 1
 * for a usage error, 8 when a bulk input cannot be opened, 10 for a name
 * that is not legal or a server that cannot be found (dig's fatal errors).
 */
import { isDnsError } from '../index.js';
import { parseArgs } from './args.js';
import { lookupHost, type HostLookup } from './backend.js';
import { runBulk } from './bulk.js';
import { runDemo } from './demo.js';
import { runQuestions } from './dig-run.js';
import type { DnssecNotes } from './format-dig.js';
import type { CliIo } from './io.js';
import { helpText } from './usage.js';
import { isUsageError } from './usage-error.js';
import { version } from './version.js';

/** Options of {@link main} beyond the process: for tests. */
export interface MainOptions {
  /** Resolves `@host` server names (default: through sansdns itself). */
  readonly lookupHost?: HostLookup;
  /** DNSSEC status lines after each header (the hook for a validator; none by default). */
  readonly dnssecNotes?: DnssecNotes;
}

/** Exit status of a refused command line: 10 for dig's fatal errors, else 1. */
function usageStatus(code: string): number {
  return code === 'bad-name' || code === 'no-server' ? 10 : 1;
}

/** Run the command with `argv` (without `node` and the script). Resolves with the exit status. */
export async function main(argv: readonly string[], io: CliIo, options: MainOptions = {}): Promise<number> {
  const lookup = options.lookupHost ?? lookupHost;
  try {
    const cmd = parseArgs(argv, io.stdoutIsTTY === true);
    switch (cmd.kind) {
      case 'help': io.stdout(helpText(cmd.topic)); return 0;
      case 'version': io.stdout(`sansdns ${version()}\n`); return 0;
      case 'demo': return await runDemo(io, cmd.seed);
      case 'bulk': return await runBulk(cmd, io, lookup);
      case 'query': {
        const notes = options.dnssecNotes;
        return await runQuestions(cmd.questions, { flags: cmd.flags, argv, io, lookup, ...(notes === undefined ? {} : { notes }) });
      }
    }
  } catch (error) {
    // Usage errors, and caller mistakes the core refuses (a bad server or option).
    if (isUsageError(error)) {
      io.stderr(`sansdns: ${error.message}\n`);
      return usageStatus(error.code);
    }
    if (!isDnsError(error)) throw error;
    io.stderr(`sansdns: ${error.message}\n`);
    return 1;
  }
}
