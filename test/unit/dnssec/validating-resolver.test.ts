/** The validating resolver's surface, driven by hand against the simulator's signed hierarchy. */
import { describe, expect, it } from 'vitest';
import { ValidatingResolver } from '../../../src/core/dnssec/validating-resolver.js';
import { Resolver } from '../../../src/core/resolver.js';
import { ROOT_ANCHORS } from '../../../src/core/dnssec/anchors.js';
import { EDE, extendedErrors } from '../../../src/core/dnssec/ede.js';
import type { ValidatingResolverOptions } from '../../../src/core/dnssec/options.js';
import { snapshot } from '../../../src/core/snapshot.js';
import { EPOCH, signedHierarchy } from '../../../src/sim/dnssec/hierarchy.js';
import { ValidatingSimulation } from '../../../src/sim/dnssec/validating-simulation.js';
import type { Message } from '../../../src/core/codec/types.js';

const H = signedHierarchy(21);

function sim(resolver: Partial<ValidatingResolverOptions> = {}, seed = 21, latency = 0): ValidatingSimulation {
  return new ValidatingSimulation({ seed, epoch: EPOCH, servers: [H.server], network: { latency }, resolver: { trustAnchors: H.anchor, ...resolver } });
}

function finals(s: ValidatingSimulation): Record<string, unknown>[] {
  return s.outputs.flatMap((o) => o.output.events).filter((e) => e.kind !== 'trace') as never;
}

const base = { servers: ['192.0.2.1'], random: (b: Uint8Array) => b.fill(1), unixTime: () => EPOCH };

describe('ValidatingResolver options', () => {
  it('needs unixTime and checks every DNSSEC option (EBADOPTION)', () => {
    expect(() => new ValidatingResolver({ servers: ['192.0.2.1'], random: (b: Uint8Array) => b } as never)).toThrow(/unixTime/);
    expect(() => new ValidatingResolver({ ...base, unixTime: () => Number.NaN })).toThrow(/unixTime/);
    expect(() => new ValidatingResolver({ ...base, maxVerifications: 0 })).toThrow(/maxVerifications/);
    expect(() => new ValidatingResolver({ ...base, sha1: 'no' as never })).toThrow(/sha1/);
    expect(() => new ValidatingResolver({ ...base, trustAnchors: 3 as never })).toThrow(/trustAnchors/);
    expect(() => new ValidatingResolver({ ...base, negativeTrustAnchors: 'a' as never })).toThrow(/negativeTrustAnchors/);
    expect(() => new ValidatingResolver({ ...base, negativeTrustAnchors: [3 as never] })).toThrow(/negative/);
    expect(() => new ValidatingResolver({ ...base, verifier: {} as never })).toThrow(/verifier/);
    expect(() => new ValidatingResolver({ ...base, core: 'Resolver' as never })).toThrow(/option core/);
    expect(() => new ValidatingResolver(null as never)).toThrow(/options/);
  });
  it('wraps the core its core option builds, with the options it was given', () => {
    let given: unknown;
    const r = new ValidatingResolver({ ...base, trustAnchors: ROOT_ANCHORS, core: (o) => (given = o, new Resolver(o)) });
    expect(given).toMatchObject({ servers: ['192.0.2.1'], trustAnchors: ROOT_ANCHORS });
    r.query(0, 'a.test');
    expect(r.poll().transmits).toHaveLength(1);
  });
  it('parses anchors: DS and DNSKEY, comments, parentheses; refuses garbage', () => {
    const text = `; the root
. 86400 IN DS 20326 8 2 ( E06D44B80B8F1D39A95C0B0D7C65D084
   58E880409BBC683457104237C7F8EC8D )
example. IN DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=`;
    expect(() => new ValidatingResolver({ ...base, trustAnchors: `${ROOT_ANCHORS}\n${text}` })).not.toThrow();
    for (const bad of ['. IN DS 1 8 2 zz', '. IN DNSKEY 257 3 8 !!', '. IN A 1.2.3.4', '. IN DS x 8 2 00', '. IN DS 1 8 2 ( 00', 'a..b IN DS 1 8 2 00']) {
      expect(() => new ValidatingResolver({ ...base, trustAnchors: bad }), bad).toThrow(/trust anchor/);
    }
  });
});

describe('ValidatingResolver surface', () => {
  it('passes the core through: servers, stats, cache, held, snapshot', () => {
    const s = sim();
    const r = s.resolver;
    expect(r.getServers()).toHaveLength(1);
    s.query('www.example.test');
    expect(r.inFlight).toBe(1);
    s.run();
    expect(r.inFlight).toBe(0);
    expect(r.stats.answered).toBeGreaterThan(0);
    expect(r.cached.entries).toBeGreaterThan(0);
    expect(r.held.queries).toBe(0);
    expect(snapshot(r as never, s.now()).cache.length).toBe(r.cached.entries);
    r.clearCache();
    expect(r.cached.entries).toBe(0);
  });
  it('answers localhost locally as indeterminate, and keeps errors of the core as they are', () => {
    const s = sim({ deadline: 500 });
    const a = s.query('localhost');
    H.server.behaviour = { silent: 1 };
    const b = s.query('www.example.test', 'A');
    s.run();
    H.server.behaviour = {};
    const [ea, eb] = [finals(s).find((e) => e['handle'] === a), finals(s).find((e) => e['handle'] === b)];
    expect(ea).toMatchObject({ kind: 'answer', security: 'indeterminate', source: 'local' });
    expect(eb).toMatchObject({ kind: 'error', code: 'ETIMEOUT' });
  });
  it('ends a validation still waiting for its chain at the caller deadline (ETIMEOUT)', () => {
    const s = sim({ deadline: 2000 }, 21, 10);
    const h = s.query('www.example.test');
    // The answer arrives at 20 ms; then every chain query is lost.
    s.run(20);
    H.server.behaviour = { silent: 1 };
    s.run();
    H.server.behaviour = {};
    const e = finals(s).find((x) => x['handle'] === h);
    expect(e).toMatchObject({ kind: 'error', code: 'ETIMEOUT' });
    expect(s.now()).toBeLessThanOrEqual(2000);
  });
  it('cancels a query waiting for its chain, and refuses the handles of its own chain queries', () => {
    const s = sim({}, 21, 10);
    const h = s.query('www.example.test');
    s.run(20);
    const internal = s.outputs.flatMap((o) => o.output.transmits).map((t) => t.handle).find((x) => x !== h) as number;
    expect(() => s.resolver.cancel(s.now(), internal)).toThrow(/handle/);
    expect(s.resolver.cancel(s.now(), h)).toBe(true);
    expect(s.resolver.cancel(s.now(), h)).toBe(false);
    s.run();
    expect(finals(s).find((x) => x['handle'] === h)).toMatchObject({ kind: 'error', code: 'ECANCELLED' });
    const k = s.query('mail.example.test', 'MX');
    const l = s.query('nope.example.test');
    s.run(s.now() + 1);
    expect(s.resolver.cancelAll(s.now())).toBeGreaterThanOrEqual(1);
    s.run();
    expect(finals(s).filter((x) => x['handle'] === k || x['handle'] === l).map((x) => x['code'] ?? x['security'])).toHaveLength(2);
  });
  it('ends a validation at its own timeout while it shares a chain fetch started by a longer one (the validator\'s timer)', () => {
    const s = sim({ deadline: 5000 }, 21, 10);
    const long = s.query('www.example.test');
    const short = s.query('mail.example.test', 'MX', { timeout: 300 });
    s.run(20);
    H.server.behaviour = { silent: 1 };
    s.run(1000);
    H.server.behaviour = {};
    expect(finals(s).find((x) => x['handle'] === short)).toMatchObject({ kind: 'error', code: 'ETIMEOUT', error: { message: expect.stringMatching(/no chain within the deadline/) } });
    expect(finals(s).find((x) => x['handle'] === long)).toBeUndefined();
  });
  it('cancelAll ends validations waiting for their chain, and a failed chain transmit ends its validation', () => {
    const s = sim({}, 21, 10);
    const h = s.query('www.example.test');
    s.run(20);
    expect(s.resolver.cancelAll(s.now())).toBe(1);
    s.run();
    expect(finals(s).find((x) => x['handle'] === h)).toMatchObject({ kind: 'error', code: 'ECANCELLED' });
    const f = sim({}, 22, 10);
    const k = f.query('www.example.test');
    f.run(20);
    const chain = f.outputs.flatMap((o) => o.output.transmits).filter((t) => t.handle !== k).at(-1)!;
    f.resolver.handleError(f.now(), chain, 'ECONNREFUSED');
    f.run();
    expect(finals(f).find((x) => x['handle'] === k)).toMatchObject({ kind: 'error' });
  });
  it('a validation cancelled while it shares a chain fetch leaves the fetch to the other, which ends secure', () => {
    const s = sim({}, 21, 10);
    const a = s.query('www.example.test');
    const b = s.query('mail.example.test', 'MX');
    s.run(20);
    expect(s.resolver.cancel(s.now(), a)).toBe(true);
    s.run();
    expect(finals(s).find((x) => x['handle'] === a)).toMatchObject({ kind: 'error', code: 'ECANCELLED' });
    expect(finals(s).find((x) => x['handle'] === b)).toMatchObject({ kind: 'answer', security: 'secure' });
  });
  it('an RRSIG whose signer is above the closest trust anchor is bogus', () => {
    const s = sim({ trustAnchors: 'www.example.test. IN DS 1 13 2 00112233' });
    const h = s.query('www.example.test');
    s.run();
    expect(finals(s).find((x) => x['handle'] === h)).toMatchObject({ kind: 'error', code: 'EBOGUS', extendedError: { text: expect.stringMatching(/above the trust anchor www\.example\.test/) } });
  });
  it('keeps the proofs of at most keyCacheEntries negative answers: an older one from the cache has lost its proof', () => {
    const s = sim({ keyCacheEntries: 1 });
    s.query('nope.example.test');
    s.run();
    s.query('gone.example.test');
    s.run();
    const again = s.query('gone.example.test');
    const older = s.query('nope.example.test');
    s.run();
    expect(finals(s).find((x) => x['handle'] === again)).toMatchObject({ kind: 'answer', source: 'cache', security: 'secure' });
    expect(finals(s).find((x) => x['handle'] === older)).toMatchObject({ kind: 'error', code: 'EBOGUS', extendedError: { code: EDE.nsecMissing } });
  });
  it('validates NXDOMAIN from the core cache with the proofs kept from the network answer', () => {
    const s = sim();
    s.query('nope.example.test');
    s.run();
    const h = s.query('nope.example.test');
    s.run();
    expect(finals(s).find((x) => x['handle'] === h)).toMatchObject({ kind: 'answer', source: 'cache', security: 'secure' });
    const noKeys = sim({ keyCacheEntries: 0 });
    noKeys.query('nope.example.test');
    noKeys.run();
    const k = noKeys.query('nope.example.test');
    noKeys.run();
    expect(finals(noKeys).find((x) => x['handle'] === k)).toMatchObject({ kind: 'error', code: 'EBOGUS', extendedError: { code: EDE.nsecMissing } });
  });
  it('ends when a bound on fetches is reached', () => {
    const f = sim({ maxFetches: 2 });
    const g = f.query('www.example.test');
    f.run();
    expect(finals(f).find((x) => x['handle'] === g)).toMatchObject({ kind: 'error', code: 'EBOGUS' });
    expect(f.resolver.validation.bounded).toBe(1);
  });
  it('bounds the zone cuts below the anchor (maxChainDepth)', () => {
    const s = sim({ maxChainDepth: 1 });
    const h = s.query('www.example.test');
    s.run();
    expect(finals(s).find((x) => x['handle'] === h)).toMatchObject({ kind: 'error', code: 'EBOGUS', extendedError: { text: expect.stringMatching(/maxChainDepth/) } });
  });
  it('treats an anchor of an unsupported algorithm as insecure, and a DNSKEY anchor like a DS one', () => {
    const dsa = sim({ trustAnchors: '. IN DS 1 3 2 00112233' });
    const a = dsa.query('www.example.test');
    dsa.run();
    expect(finals(dsa).find((x) => x['handle'] === a)).toMatchObject({ kind: 'answer', security: 'insecure', extendedError: { code: EDE.unsupportedDnskeyAlgorithm } });
    const digest = sim({ trustAnchors: '. IN DS 1 15 3 00112233' });
    const d = digest.query('www.example.test');
    digest.run();
    expect(finals(digest).find((x) => x['handle'] === d)).toMatchObject({ security: 'insecure', extendedError: { code: EDE.unsupportedDsDigestType } });
    const key = H.root.ksk;
    const b64 = btoa(String.fromCharCode(...key.publicKey));
    const byKey = sim({ trustAnchors: `. IN DNSKEY 257 3 ${key.algorithm} ${b64}` });
    const k = byKey.query('www.example.test');
    byKey.run();
    expect(finals(byKey).find((x) => x['handle'] === k)).toMatchObject({ security: 'secure' });
  });
  it('decodes the Extended DNS Errors of a message (RFC 8914 §2)', () => {
    const m = { edns: { options: [{ code: 15, data: Uint8Array.of(0, 18, 0x68, 0x69, 0) }, { code: 15, data: Uint8Array.of(1) }, { code: 10, data: new Uint8Array(8) }] } } as unknown as Message;
    expect(extendedErrors(m)).toEqual([{ code: 18, text: 'hi' }]);
    expect(extendedErrors({ edns: undefined } as unknown as Message)).toEqual([]);
  });
});
