import { describe, expect, it } from 'vitest';
import { SimResolver } from '../../src/drivers/sim/resolver.js';
import { EPOCH, signedHierarchy } from '../../src/sim/dnssec/hierarchy.js';
import { replayTrace, type TraceRecord } from '../../src/trace.js';

describe('SimResolver with dnssec', () => {
  it('answers with security, rejects bogus answers with EBOGUS, and leaves validation off by default', async () => {
    const h = signedHierarchy(11);
    h.bad.breaks.add('expired');
    const r = new SimResolver({ seed: 11, servers: [h.server], epoch: EPOCH, dnssec: { trustAnchors: h.anchor } });
    await expect(r.query('www.example.test')).resolves.toMatchObject({ security: 'secure', rcode: 0 });
    await expect(r.query('host.insecure.test')).resolves.toMatchObject({ security: 'insecure' });
    await expect(r.resolve4('www.example.test')).resolves.toEqual(['192.0.2.1', '192.0.2.2']);
    await expect(r.resolve4('www.bad.test')).rejects.toMatchObject({ code: 'EBOGUS', extendedError: { code: expect.any(Number), text: expect.any(String) } });
    await expect(r.query('www.bad.test')).rejects.toMatchObject({ code: 'EBOGUS', extendedError: { code: expect.any(Number) } });
    const insecure = await r.query('host.insecure.test');
    expect(insecure.extendedError).toBeUndefined();
    const chained = new SimResolver({ seed: 11, servers: [h.server], epoch: EPOCH, dnssec: { trustAnchors: h.anchor, validationChain: true } });
    const withChain = await chained.query('www.example.test');
    expect(withChain.chain?.map((x) => x.type)).toEqual(expect.arrayContaining(['DNSKEY', 'DS', 'RRSIG']));
    const plain = new SimResolver({ seed: 11, servers: [h.server] });
    const result = await plain.query('www.bad.test');
    expect(result.security).toBeUndefined();
  });
  it('refuses a bad dnssec option', () => {
    const h = signedHierarchy(12);
    expect(() => new SimResolver({ seed: 1, servers: [h.server], dnssec: 'yes' as never })).toThrow(/dnssec/);
  });
  it('records the core behind the validator with trace: its DNSKEY and DS fetches too, replayed byte for byte', async () => {
    const h = signedHierarchy(13);
    const records: TraceRecord[] = [];
    const r = new SimResolver({ seed: 13, servers: [h.server], epoch: EPOCH, dnssec: { trustAnchors: h.anchor }, trace: (x) => records.push(x) });
    await expect(r.query('www.example.test')).resolves.toMatchObject({ security: 'secure' });
    const asked = records.flatMap((x) => (x.op === 'query' ? [`${x.name}/${x.type}`] : []));
    expect(asked[0]).toBe('www.example.test/A');
    expect(asked).toEqual(expect.arrayContaining(['./48', 'example.test/43', 'example.test/48'])); // DNSKEY 48, DS 43
    const replayed = replayTrace(records);
    expect(replayed.mismatches).toEqual([]);
    expect(replayed.outputs.length).toBeGreaterThan(0);
  });
});
