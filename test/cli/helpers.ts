/** Run the command in process, capturing what it prints. */
import { Readable } from 'node:stream';
import { main, type MainOptions } from '../../src/cli/run.js';

export interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(argv: readonly string[], stdin = '', options: MainOptions = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (t: string) => void (stdout += t),
    stderr: (t: string) => void (stderr += t),
    stdin: Readable.from([Buffer.from(stdin)]),
    stderrIsTTY: false,
  };
  const status = await main(argv, io, options);
  return { status, stdout, stderr };
}
