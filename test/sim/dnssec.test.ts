import { describe, expect, it } from 'vitest';
import { EDE } from '../../src/core/dnssec/ede.js';
import { EPOCH, finalOf, hierarchy, simulate } from './dnssec-world.js';
import { signedHierarchy } from '../../src/sim/dnssec/hierarchy.js';

function ask(seed: number, name: string, type = 'A', options: Parameters<typeof simulate>[2] = {}, q: Record<string, unknown> = {}): Record<string, unknown> {
  const sim = simulate(hierarchy(seed), seed, options);
  const h = sim.query(name, type, q);
  sim.run();
  return finalOf(sim, h);
}

describe('DNSSEC on the simulator: a signed hierarchy', () => {
  it('validates a positive answer from the root anchor down (secure)', () => {
    const e = ask(1, 'www.example.test');
    expect(e).toMatchObject({ kind: 'answer', security: 'secure' });
  });
  it('validates NXDOMAIN, NODATA, a wildcard, a CNAME and names with empty non-terminals', () => {
    expect(ask(1, 'nope.example.test')).toMatchObject({ kind: 'answer', security: 'secure', message: { rcode: 3 } });
    expect(ask(1, 'www.example.test', 'TXT')).toMatchObject({ kind: 'answer', security: 'secure', records: [] });
    expect(ask(1, 'x.y.wild.example.test', 'TXT')).toMatchObject({ kind: 'answer', security: 'secure' });
    expect(ask(1, 'x.y.wild.example.test', 'A')).toMatchObject({ kind: 'answer', security: 'secure' });
    expect(ask(1, 'alias.example.test')).toMatchObject({ kind: 'answer', security: 'secure' });
    expect(ask(1, 'b.example.test', 'A')).toMatchObject({ kind: 'answer', security: 'secure' });
    expect(ask(1, 'mail.example.test', 'MX')).toMatchObject({ kind: 'answer', security: 'secure' });
  });
  it('proves an unsigned delegation insecure; a signed CNAME the server did not follow out of its zone stays secure', () => {
    expect(ask(1, 'host.insecure.test')).toMatchObject({ kind: 'answer', security: 'insecure' });
    expect(ask(1, 'out.example.test')).toMatchObject({ kind: 'answer', security: 'secure', records: [{ type: 'RRSIG' }, { type: 'CNAME' }] });
  });
  it('is indeterminate without an anchor above the name, and insecure under a negative trust anchor', () => {
    expect(ask(1, 'www.example.test', 'A', { trustAnchors: 'other. IN DS 1 13 2 00' })).toMatchObject({ kind: 'answer', security: 'indeterminate' });
    expect(ask(1, 'www.example.test', 'A', { negativeTrustAnchors: ['example.test'] })).toMatchObject({ kind: 'answer', security: 'insecure' });
  });
  it('ends bogus with a wrong anchor', () => {
    expect(ask(1, 'www.example.test', 'A', { trustAnchors: '. IN DS 1 15 2 00112233' })).toMatchObject({ kind: 'error', code: 'EBOGUS', extendedError: { code: EDE.dnskeyMissing } });
  });
});

describe('DNSSEC on the simulator: broken zones end bogus with the right EDE', () => {
  const cases = [
    ['expired', EDE.signatureExpired], ['not-yet-valid', EDE.signatureNotYetValid], ['wrong-key', EDE.dnskeyMissing],
    ['missing-rrsig', EDE.rrsigsMissing], ['downgrade', EDE.unsupportedDnskeyAlgorithm],
  ] as const;
  for (const [brk, code] of cases) {
    it(`${brk}: EBOGUS, EDE ${code}; with checkingDisabled, an answer marked bogus`, () => {
      const h = hierarchy(2);
      h.bad.breaks.add(brk);
      const sim = simulate(h, 2);
      const a = sim.query('www.bad.test');
      sim.run();
      expect(finalOf(sim, a)).toMatchObject({ kind: 'error', code: 'EBOGUS', security: 'bogus', extendedError: { code } });
      const b = sim.query('www.bad.test', 'A', { checkingDisabled: true });
      sim.run();
      expect(finalOf(sim, b)).toMatchObject({ kind: 'answer', security: 'bogus', extendedError: { code } });
    });
  }
  it('bad-nsec: a denial that proves nothing is bogus', () => {
    const h = hierarchy(3);
    h.bad.breaks.add('bad-nsec');
    const sim = simulate(h, 3);
    const a = sim.query('zzz.bad.test');
    sim.run();
    expect(finalOf(sim, a)).toMatchObject({ kind: 'error', code: 'EBOGUS', extendedError: { code: EDE.dnssecBogus } });
  });
});

describe('DNSSEC on the simulator: time, caching, loss, determinism', () => {
  it('expires to the second on virtual time', () => {
    const h = hierarchy(4, { inception: EPOCH - 10, expiration: EPOCH + 100 });
    const sim = simulate(h, 4);
    sim.run(100_000);
    const a = sim.query('www.example.test');
    sim.run();
    expect(finalOf(sim, a)).toMatchObject({ security: 'secure' });
    sim.run(101_000);
    const b = sim.query('www.example.test');
    sim.run();
    expect(finalOf(sim, b)).toMatchObject({ kind: 'error', code: 'EBOGUS', extendedError: { code: EDE.signatureExpired } });
  });
  it('fetches a chain once: a second name under the same zone costs no fetch and one verification', () => {
    const sim = simulate(hierarchy(5), 5);
    sim.query('www.example.test');
    sim.run();
    const { fetches, verifications } = sim.resolver.validation;
    expect(fetches).toBe(5);
    const h = sim.query('mail.example.test', 'MX');
    sim.run();
    expect(finalOf(sim, h)).toMatchObject({ security: 'secure' });
    expect(sim.resolver.validation.fetches).toBe(fetches);
    expect(sim.resolver.validation.verifications).toBe(verifications + 1);
  });
  it('shares fetches between queries in flight (coalescing)', () => {
    const sim = simulate(hierarchy(6), 6);
    const a = sim.query('www.example.test');
    const b = sim.query('mail.example.test', 'MX');
    sim.run();
    expect(finalOf(sim, a)).toMatchObject({ security: 'secure' });
    expect(finalOf(sim, b)).toMatchObject({ security: 'secure' });
    expect(sim.resolver.validation.fetches).toBe(5);
  });
  it('validates under 30% loss, and the same seed gives the same transcript', () => {
    const run = (): string => {
      const sim = simulate(hierarchy(7), 7, { deadline: 30_000, attempts: 20 }, { network: { loss: 0.3 } });
      const h = sim.query('www.example.test');
      sim.run();
      expect(finalOf(sim, h)).toMatchObject({ security: 'secure' });
      return JSON.stringify(sim.outputs.map((o) => [o.now, o.output.transmits.map((t) => Array.from(t.data))]));
    };
    expect(run()).toBe(run());
  });
  it('returns the validation chain on request, and explains each verdict in traces', () => {
    const sim = simulate(hierarchy(8), 8, { validationChain: true, trace: true });
    const h = sim.query('www.example.test');
    sim.run();
    const e = finalOf(sim, h) as unknown as { chain: { type: string; name: string }[] };
    expect(e.chain.filter((r) => r.type === 'DNSKEY').map((r) => r.name)).toEqual(expect.arrayContaining(['.', 'test', 'example.test']));
    const lines = sim.outputs.flatMap((o) => o.output.events).filter((x) => x.kind === 'trace' && x.what === 'dnssec').map((x) => (x as { detail: string }).detail);
    expect(lines.join('\n')).toMatch(/secure: www\.example\.test\/A RRSIG ECDSAP256SHA256 key \d+ of example\.test/);
  });
});

describe('DNSSEC on the simulator: hostile zones end bogus within the bounds', () => {
  it('KeyTrap (CVE-2023-50387): 40 colliding keys and 20 bogus signatures cost at most maxVerifications', () => {
    const h = signedHierarchy(9, { keyTrap: { keys: 40, signatures: 20 } });
    const sim = simulate(h, 9);
    const a = sim.query('www.trap.test');
    sim.run();
    expect(finalOf(sim, a)).toMatchObject({ kind: 'error', code: 'EBOGUS', extendedError: { code: EDE.dnssecBogus } });
    expect(sim.resolver.validation.verifications).toBeLessThanOrEqual(48);
    const tight = simulate(h, 9, { maxVerifications: 10 });
    const b = tight.query('www.trap.test');
    tight.run();
    expect(finalOf(tight, b)).toMatchObject({ kind: 'error', code: 'EBOGUS' });
    expect(tight.resolver.validation.verifications).toBe(10);
    expect(tight.resolver.validation.bounded).toBe(1);
  });
  it('an honest zone with colliding keys still validates (the good signature is tried within the bound)', () => {
    const h = signedHierarchy(10, { keyTrap: { keys: 2, signatures: 0 } });
    const sim = simulate(h, 10);
    const a = sim.query('www.trap.test');
    sim.run();
    expect(finalOf(sim, a)).toMatchObject({ kind: 'answer', security: 'secure' });
  });
});
