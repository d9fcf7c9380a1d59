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
});
