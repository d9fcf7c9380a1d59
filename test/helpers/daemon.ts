/**
 * Test daemons, written once for every integration helper: a child process
 * whose output is kept (the last 64 KiB) and which is stopped by its pid.
 * (A TCP listener on a UDP socket's port is `listenTcp` of
 * src/cli/loopback-server.ts.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/** A spawned daemon: its output so far, its exit, and a stop that kills it by pid. */
export interface KeptChild {
  readonly child: ChildProcess;
  /** Settles when the process has exited (or failed to spawn). */
  readonly exited: Promise<void>;
  /** The last 64 KiB of stdout and stderr, interleaved; a spawn error is appended. */
  log(): string;
  /** SIGTERM, SIGKILL after 3 s, then remove `removeDir` if given; idempotent. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Where and how to run a kept child. */
export interface SpawnKeptOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** A directory `stop()` removes once the child has exited. */
  readonly removeDir?: string;
}

/** Spawn `bin args`, keeping its output; every child still alive when the test process exits is killed. */
export function spawnKept(bin: string, args: readonly string[], { cwd, env = process.env, removeDir }: SpawnKeptOptions): KeptChild {
  const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let output = '';
  const append = (chunk: Buffer | string): void => {
    output = (output + chunk.toString()).slice(-65_536);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => { live.delete(child); resolve(); });
    child.once('error', (e) => { append(`\nspawn error: ${e.message}`); live.delete(child); resolve(); });
  });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      if (removeDir !== undefined) rmSync(removeDir, { recursive: true, force: true });
    })();
    return stopped;
  };
  return { child, exited, log: () => output, stop };
}
