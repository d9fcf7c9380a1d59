/**
 * Every program in examples/ runs, against the demo zone served on loopback
 * (the simulator's ZoneServer behind real sockets), so none can rot. The two
 * examples that README.md quotes have their own tests (core-dgram,
 * sim-under-loss); this file checks that every example has a test.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ZONE } from '../../src/cli/demo-zone.js';
import { serveZones, type LoopbackServer } from '../../src/cli/loopback-server.js';

const exec = promisify(execFile);
const runExample = (file: string, args: string[]) => exec(process.execPath, ['--import', 'tsx', file, ...args], { timeout: 20_000 });

let server: LoopbackServer;
let at = '';
beforeAll(async () => {
  server = await serveZones([DEMO_ZONE]);
  at = `127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

describe('examples/', () => {
  it('every example has a test', () => {
    const tested = readdirSync('test/examples').filter((f) => f.endsWith('.test.ts')).map((f) => readFileSync(`test/examples/${f}`, 'utf8')).join('\n');
    for (const file of readdirSync('examples').filter((f) => f.endsWith('.ts'))) expect(tested, file).toContain(`examples/${file}`);
  });

  it('examples/node-resolver.ts: resolve4 with TTLs, query() with the whole answer, ENOTFOUND', async () => {
    const { stdout } = await runExample('examples/node-resolver.ts', [at, 'www.sansdns.test']);
    expect(stdout).toBe(
      "A [ { address: '192.0.2.10', ttl: 300 } ]\n"
      + "AAAA rcode 0 [ '2001:db8::10' ] 1 sent true\n"
      + 'nothere: ENOTFOUND\n');
  });

  it('examples/doh-client.ts: the DoH client through the bridge', async () => {
    const { stdout } = await runExample('examples/doh-client.ts', [at, 'www.sansdns.test']);
    expect(stdout).toBe("[ '192.0.2.10' ]\n[ 'www.sansdns.test 300 AAAA 2001:db8::10' ]\n");
  });
});
