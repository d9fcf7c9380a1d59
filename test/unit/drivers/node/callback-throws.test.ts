/**
 * A callback that throws surfaces as from node:dns: an uncaught exception,
 * never an unhandled rejection of a promise the caller cannot see. Each case
 * runs in a child process (test/fixtures/callback-throws.ts, under the
 * loopback-only guard) on node:dns and on sansdns/node.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('../../../fixtures/callback-throws.ts', import.meta.url));
/** The child loads the same loopback-only guard as every test process. */
const guard = fileURLToPath(new URL('../../../setup/loopback-only.ts', import.meta.url));

function run(lib: 'node' | 'ours', what: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', '--import', guard, fixture, lib, what], { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve(`${stdout.trim()}${error && stdout.trim() === '' ? ` (${stderr.trim().split('\n').slice(-3).join(' ')})` : ''}`);
    });
  });
}

describe('a callback that throws', () => {
  for (const what of ['Resolver.resolve', 'Resolver.reverse', 'resolve4', 'lookup', 'lookupService']) {
    it(`${what}: an uncaught exception, as node:dns`, async () => {
      const [theirs, mine] = await Promise.all([run('node', what), run('ours', what)]);
      expect(theirs).toBe('uncaughtException: thrown by the callback');
      expect(mine).toBe(theirs);
    }, 60_000);
  }
});
