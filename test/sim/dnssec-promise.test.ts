import { describe, expect, it } from 'vitest';
import { SimResolver } from '../../src/drivers/sim/resolver.js';
import { EPOCH, signedHierarchy } from '../../src/sim/dnssec/hierarchy.js';

describe('SimResolver with dnssec', () => {
  it('answers with security, rejects bogus answers with EBOGUS, and leaves validation off by default', async () => {
    const h = signedHierarchy(11);
    h.bad.breaks.add('expired');
    const r = new SimResolver({ seed: 11, servers: [h.server], epoch: EPOCH, dnssec: { trustAnchors: h.anchor } });
    await expect(r.query('www.example.test')).resolves.toMatchObject({ security: 'secure', rcode: 0 });
    await expect(r.query('host.insecure.test')).resolves.toMatchObject({ security: 'insecure' });
    await expect(r.resolve4('www.example.test')).resolves.toEqual(['192.0.2.1', '192.0.2.2']);
    await expect(r.resolve4('www.bad.test')).rejects.toMatchObject({ code: 'EBOGUS' });
    const plain = new SimResolver({ seed: 11, servers: [h.server] });
    const result = await plain.query('www.bad.test');
    expect(result.security).toBeUndefined();
  });
  it('refuses a bad dnssec option and trace with dnssec', () => {
    const h = signedHierarchy(12);
    expect(() => new SimResolver({ seed: 1, servers: [h.server], dnssec: 'yes' as never })).toThrow(/dnssec/);
    expect(() => new SimResolver({ seed: 1, servers: [h.server], dnssec: true, trace: () => {} })).toThrow(/trace/);
  });
});
