/**
 * What the command touches of its process: output streams, stdin and
 * whether stderr is a terminal. Passed in, so tests can run the command in
 * process and capture everything.
 */
import type { Readable } from 'node:stream';

/** The command's view of its process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly stdin: Readable;
  /** Show a progress bar on stderr (bulk mode) only when this is true. */
  readonly stderrIsTTY: boolean;
}

/** The real process. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdin: process.stdin,
    stderrIsTTY: process.stderr.isTTY === true,
  };
}
