/**
 * The README's simulator example runs as written, and is deterministic: the
 * same seed prints the same line every time.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const example = (seed: number) => run(process.execPath, ['--import', 'tsx', 'examples/sim-under-loss.ts', String(seed)]);

describe('examples/sim-under-loss.ts', () => {
  it('is in the README verbatim', () => {
    expect(readFileSync('README.md', 'utf8')).toContain('```ts\n' + readFileSync('examples/sim-under-loss.ts', 'utf8') + '```');
  });

  it('prints the same result for the same seed, in virtual time', async () => {
    const [a, b, c] = await Promise.all([example(2), example(2), example(4)]);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.trim()).toBe('192.0.2.10 at 840 ms virtual time, after 3 datagrams');
    expect(c.stdout.trim()).toBe('192.0.2.10 at 40 ms virtual time, after 1 datagrams');
  });
});
