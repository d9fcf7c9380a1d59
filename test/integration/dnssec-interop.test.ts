/**
 * DNSSEC interop: our validator against BIND's delv, over a private signed
 * hierarchy signed by BIND (`dnssec-bind.ts`), with our root key as the
 * only trust anchor of both. Every verdict must agree (0 disagreements),
 * except the opt-out denials where RFC 5155 §9.2 forbids AD and delv says
 * secure: those must be insecure, as unbound has them, and are listed as
 * delv's known disagreement (`dnssec-questions.ts`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { questions } from './dnssec-questions.js';
import { buildHierarchy, missingTool, startNamed, ZONES } from './dnssec-bind.js';
import { removeHierarchy, type Daemon, type Hierarchy } from './dnssec-hierarchy.js';
import { judge, withDelv } from './dnssec-compare.js';
import { NodeResolver } from '../../src/drivers/node/resolver.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/helpers.js';

const missing = missingTool();
if (missing !== undefined) console.warn(missing);

describe.skipIf(missing !== undefined)('DNSSEC interop with BIND (delv as the reference validator)', () => {
  let h: Hierarchy;
  let named: Daemon;

  beforeAll(async () => {
    h = buildHierarchy();
    named = await startNamed(h);
  }, 120_000);

  afterAll(async () => {
    await named?.stop();
    if (h !== undefined) removeHierarchy(h);
  });

  it('agrees with delv on every verdict (secure, insecure, bogus) over every algorithm and break, but the opt-out denials of RFC 5155 §9.2', async () => {
    const qs = questions(ZONES);
    const j = judge(await withDelv(h, named.port, qs), 'delv');
    console.log(`DNSSEC interop (BIND-signed): ${qs.length} questions, verdicts ${JSON.stringify(j.counts)}, ${j.disagreements.length} disagreements with delv; ${j.known.length} known (opt-out denials, delv secure, RFC 5155 §9.2 no AD): ${j.known.join(', ')}`);
    expect(j.disagreements).toEqual([]);
    expect(j.unexpected).toEqual([]);
    expect(j.known.length).toBe(qs.filter((q) => q.optOutDenial).length);
    expect(j.counts['secure']).toBeGreaterThan(50);
    expect(j.counts['insecure']).toBeGreaterThan(3);
    expect(j.counts['bogus']).toBeGreaterThan(10);
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
