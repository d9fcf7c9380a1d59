#!/usr/bin/env node
/**
 * The `sansdns` command's entry: run {@link main} on this process's
 * arguments and exit with its status. Everything else lives in `run.ts`.
 * @packageDocumentation
 */
import { processIo } from './io.js';
import { main } from './run.js';

main(process.argv.slice(2), processIo()).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`sansdns: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 10;
  },
);
