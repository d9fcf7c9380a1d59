/**
 * DNSSEC interop: our validator against BIND's delv, over a private signed
 * hierarchy signed by BIND (`dnssec-bind.ts`), with our root key as the
 * only trust anchor of both. Every verdict must agree: 0 disagreements.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { questions } from './dnssec-questions.js';
import { buildHierarchy, delv, missingTool, removeHierarchy, startNamed, type Hierarchy, type Named } from './dnssec-bind.js';
import { LoopResolver, verdictOf } from './dnssec-loop.js';
import { NodeResolver } from '../../src/drivers/node/resolver.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/helpers.js';

const missing = missingTool();
if (missing !== undefined) console.warn(missing);

describe.skipIf(missing !== undefined)('DNSSEC interop with BIND (delv as the reference validator)', () => {
  let h: Hierarchy;
  let named: Named;
  let ours: LoopResolver;

  beforeAll(async () => {
    h = buildHierarchy();
    named = await startNamed(h);
    ours = new LoopResolver(named.port, { trustAnchors: h.anchorText, cache: false });
  }, 120_000);

  afterAll(async () => {
    ours?.close();
    await named?.stop();
    if (h !== undefined) removeHierarchy(h);
  });

  it('agrees with delv on every verdict (secure, insecure, bogus) over every algorithm and break', async () => {
    const rows: string[] = [];
    const disagreements: string[] = [];
    const counts: Record<string, number> = {};
    for (const [name, type] of questions()) {
      const [mine, theirs] = await Promise.all([ours.ask(name, type), delv(h, named.port, name, type)]);
      const v = verdictOf(mine);
      counts[v] = (counts[v] ?? 0) + 1;
      const why = mine.kind === 'error' ? mine.error.message : (mine.extendedError?.text ?? '');
      rows.push(`${name} ${type}: ours ${v}, delv ${theirs.verdict}`);
      if (v !== theirs.verdict) disagreements.push(`${name} ${type}: ours ${v} (${why}), delv ${theirs.verdict}\n${theirs.text.split('\n').filter((l) => !l.startsWith(';; fetch')).slice(0, 6).join('\n')}`);
    }
    console.log(`DNSSEC interop: ${rows.length} questions, verdicts ${JSON.stringify(counts)}, ${disagreements.length} disagreements with delv`);
    expect(disagreements).toEqual([]);
    expect(counts['secure']).toBeGreaterThan(50);
    expect(counts['insecure']).toBeGreaterThan(3);
    expect(counts['bogus']).toBeGreaterThan(10);
  }, 300_000);

  it('sansdns/node with dnssec: secure, insecure and bogus through the promise API (node:crypto verifier)', async () => {
    const r = new NodeResolver({ servers: [`127.0.0.1:${named.port}`], resolvConf: false, hostsFile: false, dnssec: { trustAnchors: h.anchorText } });
    try {
      await expect(r.query('www.alg8.tld', 'A')).resolves.toMatchObject({ security: 'secure' });
      await expect(r.query('nope.alg16.tld', 'A')).resolves.toMatchObject({ security: 'secure', rcode: 3 });
      await expect(r.query('www.unsigned.nsec', 'A')).resolves.toMatchObject({ security: 'insecure' });
      await expect(r.resolve4('www.expired.tld')).rejects.toMatchObject({ code: 'EBOGUS' });
      await expect(r.resolve4('www.alg14.tld')).resolves.toEqual(['192.0.2.1']);
    } finally {
      r.close();
    }
  }, 60_000);

  it('the sansdns command with --validate: the status under the header, exit 9 when bogus, a --trace line per verdict, JSON and bulk', async () => {
    const anchors = join(mkdtempSync(join(tmpdir(), 'sansdns-anchors-')), 'anchors.txt');
    writeFileSync(anchors, h.anchorText);
    const at = [`@127.0.0.1:${named.port}`, '--trust-anchors', anchors];
    const secure = await runCli([...at, 'www.alg8.tld', 'A']);
    expect(secure.stdout).toMatch(/^;; flags: qr[^;]*; QUERY: 1.*\n(;; WARNING.*\n)?;; validation: secure$/m);
    expect(secure.stdout).toMatch(/^www\.alg8\.tld\.\s+\d+\s+IN\s+A\s+192\.0\.2\.1$/m);
    expect(secure.status).toBe(0);
    const insecure = await runCli([...at, 'www.unsigned.nsec', 'A']);
    expect(insecure.stdout).toMatch(/^;; validation: insecure/m);
    expect(insecure.status).toBe(0);
    const bogus = await runCli([...at, 'www.expired.tld', 'A']);
    expect(bogus.stdout).toMatch(/^;; validation: bogus \(EDE \d+: .+\)$/m);
    expect(bogus.status).toBe(9);
    const traced = await runCli([...at, '--trace', 'www.alg8.tld', 'A']);
    const verdicts = traced.stdout.split('\n').filter((l) => /^;; +\+[\d.]+ dnssec /.test(l));
    expect(verdicts.length).toBeGreaterThan(0);
    expect(verdicts.join('\n')).toMatch(/alg8\.tld/);
    const json = await runCli([...at, '--json', 'www.alg8.tld', 'www.expired.tld']);
    const [a, b] = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).toMatchObject({ name: 'www.alg8.tld', security: 'secure' });
    expect(b).toMatchObject({ name: 'www.expired.tld', security: 'bogus', extendedError: { code: expect.any(Number) } });
    const bulk = await runCli(['-f', '-', ...at], 'www.alg8.tld\nwww.unsigned.nsec\nwww.expired.tld\n');
    const lines = bulk.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^www\.alg8\.tld\tA\tNOERROR\/secure\t192\.0\.2\.1/);
    expect(lines[1]).toMatch(/^www\.unsigned\.nsec\tA\tNOERROR\/insecure\t/);
    expect(lines[2]).toMatch(/^www\.expired\.tld\tA\tEBOGUS\t/);
    expect(bulk.status).toBe(9);
    const unreadable = await runCli([...at.slice(0, 2), `${anchors}.missing`, 'www.alg8.tld']);
    expect(unreadable.status).toBe(1);
    expect(unreadable.stderr).toMatch(/--trust-anchors: cannot read .*ENOENT/);
    writeFileSync(anchors, '. IN DS 1 8 2 zz');
    const garbage = await runCli([...at, 'www.alg8.tld']);
    expect(garbage.status).toBe(1);
    expect(garbage.stderr).toMatch(/--trust-anchors: .*trust anchor/);
  }, 60_000);
});
