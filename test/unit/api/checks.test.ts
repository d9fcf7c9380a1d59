/**
 * The promise API's injected argument checks (`src/api/checks.ts`): the DoH
 * driver's plain ones throw Node's codes and classes without Node's message
 * builders, and leave every name to the core; `PromiseResolver` keeps Node's.
 */
import { describe, expect, it } from 'vitest';
import { PLAIN_CHECKS } from '../../../src/api/checks.js';
import { NODE_CHECKS } from '../../../src/api/node-checks.js';
import { DohResolver } from '../../../src/doh.js';
import { dnsResponse, FakeFetch } from '../drivers/doh/fake-fetch.js';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('plain checks', () => {
  it('throw Node\'s codes and classes', () => {
    const type = thrown(() => PLAIN_CHECKS.string(1, 'name'));
    expect(type).toBeInstanceOf(TypeError);
    expect(type).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: 'The "name" argument must be of type string' });
    expect(PLAIN_CHECKS.invalidValue('rrtype', 'BOGUS')).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE', message: 'The argument \'rrtype\' is invalid' });
    expect(thrown(() => PLAIN_CHECKS.int32('x', 'options.tries', 1))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: expect.stringContaining('"options.tries" property') as string });
    for (const bad of [0, 1.5, 2 ** 31]) {
      const range = thrown(() => PLAIN_CHECKS.int32(bad, 'options.tries', 1));
      expect(range).toBeInstanceOf(RangeError);
      expect(range).toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
    }
    expect(() => PLAIN_CHECKS.int32(-1, 'options.timeout', -1)).not.toThrow();
    expect(() => PLAIN_CHECKS.string('x', 'name')).not.toThrow();
  });

  it('leave names to the core, where Node\'s refuse what c-ares would not send', () => {
    expect(PLAIN_CHECKS.sendable('a b.example')).toBe(true);
    expect(NODE_CHECKS.sendable('a b.example')).toBe(false);
    expect(NODE_CHECKS.sendable('_dmarc.example')).toBe(true);
  });
});

describe('DohResolver with the plain checks', () => {
  const url = 'https://a.example/dns-query';

  it('throws Node\'s codes for caller mistakes', () => {
    const r = new DohResolver({ servers: [url], fetch: new FakeFetch(() => 'hang').fetch });
    expect(() => r.resolve4(1 as unknown as string)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    expect(() => r.resolve('x', 'BOGUS')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
    expect(() => new DohResolver({ servers: [url], timeout: -2 })).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(() => new DohResolver({ servers: [url], tries: 'x' as unknown as number })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    r.close();
  });

  it('asks the server for a name c-ares would not send', async () => {
    const fake = new FakeFetch((req) => dnsResponse(req.query, [], 3));
    const r = new DohResolver({ servers: [url], fetch: fake.fetch });
    await expect(r.resolve4('a b.example')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(fake.seen).toHaveLength(1);
    expect(fake.seen[0]?.query.questions[0]?.name).toBe('a\\032b.example');
  });
});
