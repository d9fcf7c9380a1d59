/**
 * The hosts file of the Node driver (issue 18): read asynchronously, only
 * when it changed, up to a size cap, and only if it is a regular file (a
 * FIFO at the path must not block the event loop).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostsFile, NodeResolver as Resolver } from '../../../../src/node.js';
import { hostsLookup } from '../../../../src/index.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sansdns-hosts-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const addresses = async (file: HostsFile, name: string): Promise<string[]> => hostsLookup(await file.get(), name).map((a) => a.address);

describe('HostsFile', () => {
  it('re-reads only when the inode, size or mtime changed', async () => {
    const path = join(tempDir(), 'hosts');
    writeFileSync(path, '192.0.2.1 a.test\n');
    utimesSync(path, 1e9, 1e9);
    const file = new HostsFile(path);
    expect(await addresses(file, 'a.test')).toEqual(['192.0.2.1']);
    // Same inode, size and mtime: not read again.
    writeFileSync(path, '192.0.2.2 a.test\n');
    utimesSync(path, 1e9, 1e9);
    expect(await addresses(file, 'a.test')).toEqual(['192.0.2.1']);
    writeFileSync(path, '192.0.2.33 a.test\n');
    expect(await addresses(file, 'a.test')).toEqual(['192.0.2.33']);
    rmSync(path);
    expect(await addresses(file, 'a.test')).toEqual([]);
  });

  it('shares one check among lookups that come together', async () => {
    const path = join(tempDir(), 'hosts');
    writeFileSync(path, '192.0.2.1 a.test\n');
    const file = new HostsFile(path);
    const [x, y] = [file.get(), file.get()];
    expect(x).toBe(y);
    expect(await x).toBe(await y);
  });

  it('reads at most maxBytes, up to the last whole line, and says so', async () => {
    const path = join(tempDir(), 'hosts');
    writeFileSync(path, '192.0.2.1 first.test\n192.0.2.2 second.test\n192.0.2.3 third.test\n');
    const file = new HostsFile(path, { maxBytes: 30 });
    expect(await addresses(file, 'first.test')).toEqual(['192.0.2.1']);
    expect(await addresses(file, 'second.test')).toEqual([]);
    expect(file.truncated).toBe(true);
    const whole = new HostsFile(path, { maxBytes: 1000 });
    expect(await addresses(whole, 'third.test')).toEqual(['192.0.2.3']);
    expect(whole.truncated).toBe(false);
    expect(() => new HostsFile(path, { maxBytes: 0 })).toThrowError(expect.objectContaining({ code: 'EBADOPTION' }) as Error);
  });

  it('treats a directory as no file', async () => {
    const dir = join(tempDir(), 'hosts');
    mkdirSync(dir);
    expect(await new HostsFile(dir).get()).toEqual(new Map());
  });

  const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;
  it.skipIf(!hasMkfifo)('a FIFO at the path is no file: lookup answers, and the event loop keeps turning', async () => {
    const path = join(tempDir(), 'hosts');
    expect(spawnSync('mkfifo', [path]).status).toBe(0);
    const r = new Resolver({ resolvConf: false, hostsFile: path, servers: ['127.0.0.1:9'], timeout: 50, tries: 1 });
    cleanups.push(() => r.close());
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    cleanups.push(() => clearInterval(timer));
    expect(await r.lookupAll('localhost')).toEqual([{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]);
    await new Promise((res) => setTimeout(res, 30));
    expect(ticks).toBeGreaterThan(0);
  });
});
