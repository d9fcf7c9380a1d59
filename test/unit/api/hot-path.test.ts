/**
 * The promise API's hot path (issue 13): `addressesOf` gives what `ofType`
 * and the A/AAAA shapers it replaced gave, and `sendable` keeps verdicts of names
 * without changing any.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DnsRecord } from '../../../src/core/codec/types.js';
import { addressesOf, ofType } from '../../../src/api/shapes.js';
import { ntop6 } from '../../../src/api/node-text.js';
import { sendable } from '../../../src/api/sendable.js';
import { aresSends } from '../../../src/api/node-text.js';
import { Call } from '../../../src/api/call.js';
import { nodeDnsError } from '../../../src/api/errors.js';
import type { FinalEvent } from '../../../src/api/loop.js';
import { syscallOf } from '../../../src/api/outcome.js';

const recordArb: fc.Arbitrary<DnsRecord> = fc.oneof(
  fc.record({ name: fc.constant('a.test'), type: fc.constant('A' as const), class: fc.constant(1), ttl: fc.nat(1000), data: fc.ipV4() }),
  fc.record({ name: fc.constant('a.test'), type: fc.constant('AAAA' as const), class: fc.constant(1), ttl: fc.nat(1000), data: fc.constantFrom('::1', '::ffff:1.2.3.4', '2001:db8::1', '::1.2.3.4') }),
  fc.record({ name: fc.constant('a.test'), type: fc.constant('CNAME' as const), class: fc.constant(1), ttl: fc.nat(1000), data: fc.constant('b.test') }),
  fc.record({ name: fc.constant('a.test'), type: fc.constant('RRSIG' as const), class: fc.constant(1), ttl: fc.nat(1000), data: fc.constant(new Uint8Array(3)) }),
) as fc.Arbitrary<DnsRecord>;

describe('addressesOf', () => {
  it('equals ofType shaped as before (IPv6 as inet_ntop, TTLs capped by the CNAMEs), for any on-chain records', () => {
    fc.assert(fc.property(fc.array(recordArb, { maxLength: 8 }), fc.constantFrom('A' as const, 'AAAA' as const), fc.boolean(), (records, type, ttl) => {
      const { records: typed, cnameTtl } = ofType(records, type);
      // The shapers of A and AAAA that addressesOf replaced, verbatim.
      const address = (r: DnsRecord): string => (r.type === 'A' ? r.data : ntop6(r.data as string));
      const before = typed.map((r) => (ttl ? { address: address(r), ttl: Math.min(r.ttl, cnameTtl) } : address(r)));
      expect(addressesOf(records, type, ttl)).toEqual(before);
    }), { numRuns: 500 });
  });
});

describe('sendable', () => {
  it('gives the same verdict the first time and from memory, for good, bad and international names', () => {
    for (const name of ['ok.test', 'bad name.test', 'bücher.example', 'xn--bcher-kva.example', 'a\\032b.test', '\u00ad.test', 'ok.test']) {
      const first = sendable(name);
      expect(sendable(name)).toBe(first);
    }
    expect(sendable('ok.test')).toBe(true);
    expect(sendable('bad name.test')).toBe(false);
    expect(sendable('bücher.example')).toBe(aresSends('xn--bcher-kva.example'));
  });

  it('stays right past its bound (it starts over, it does not grow)', () => {
    for (let i = 0; i < 3000; i++) expect(sendable(i % 2 === 0 ? `h${i}.test` : `h ${i}.test`)).toBe(i % 2 === 0);
  });
});

describe('Call (one object per call, no closures)', () => {
  it('settles with its shaper\'s result or throw, builds the errors without stacks, and puts stackTraceLimit back', async () => {
    const limit = Error.stackTraceLimit;
    const event = {} as FinalEvent;
    const ok = new Call(() => ['192.0.2.1'], 'A', 'queryA', 'a.test', false);
    const bad = new Call((c) => {
      throw nodeDnsError('ENODATA', c.syscall, c.hostname);
    }, 'A', 'queryA', 'a.test', false);
    ok.settle(event);
    bad.settle(event);
    expect(Error.stackTraceLimit).toBe(limit);
    await expect(ok.promise).resolves.toEqual(['192.0.2.1']);
    const error = (await bad.promise.catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('queryA ENODATA a.test');
    expect(error.stack).toBe('Error: queryA ENODATA a.test');
    // Each call has a promise of its own, settled by its own event.
    expect(ok.promise).not.toBe(bad.promise);
  });

  it('names Node\'s syscall of each type without building it again', () => {
    expect(['A', 'AAAA', 'CNAME', 'A'].map(syscallOf)).toEqual(['queryA', 'queryAaaa', 'queryCname', 'queryA']);
  });
});
