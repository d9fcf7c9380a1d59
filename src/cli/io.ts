/**
 * What the command touches of its process: output streams, stdin, and
 * whether stdout and stderr are terminals. Passed in, so tests can run the
 * command in process and capture everything.
 */
import { fstatSync } from 'node:fs';
import type { Readable } from 'node:stream';

/** The command's view of its process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly stdin: Readable;
  /** Bytes on stdin when it is a regular file (`< names.txt`), for bulk mode's progress. */
  readonly stdinSize?: number | undefined;
  /** `+idnout` is on by default only when this is true (as dig). */
  readonly stdoutIsTTY?: boolean;
  /** Show a progress bar on stderr (bulk mode) only when this is true. */
  readonly stderrIsTTY: boolean;
}

function stdinFileSize(): number | undefined {
  try {
    const s = fstatSync(0);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

/** The real process. Writes to a pipe or a file are synchronous on Linux, so output never piles up in memory. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdin: process.stdin,
    stdinSize: stdinFileSize(),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
  };
}
