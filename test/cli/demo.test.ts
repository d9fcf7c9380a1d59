/**
 * `npm start` runs the demo: it shows a retry, a truncated answer moving to
 * TCP and an NXDOMAIN through the real Node driver on loopback, and exits 0
 * on its own (nothing left open keeps the process alive).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);

describe('the demo', () => {
  it('is what npm start runs', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['start']).toBe('node --import tsx src/cli/main.ts demo');
  });

  it('runs in a few seconds, shows retry, TCP and NXDOMAIN, closes everything and exits 0', async () => {
    const started = Date.now();
    // execFile rejects on a non-zero exit or when the timeout kills a process that does not exit by itself.
    const { stdout, stderr } = await exec('npm', ['start', '--silent'], { timeout: 15_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^;; +\+\d+\.\d timeout +udp 127\.0\.0\.1:\d+ .*attempt timed out$/m);
    expect(stdout).toMatch(/^;; +\+\d+\.\d tcp-fallback +udp 127\.0\.0\.1:\d+ .*TC=1/m);
    expect(stdout).toMatch(/^;; +\+\d+\.\d send +tcp 127\.0\.0\.1:\d+/m);
    expect(stdout).toContain('=> NXDOMAIN');
    expect(stdout).toContain('=> NOERROR (NODATA)');
    expect(stdout).toContain('100 records via tcp');
  });
});
