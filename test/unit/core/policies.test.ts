/**
 * policies.ts, through the public API: the DoH resolver's default core is
 * built without the cookie, 0x20, search and udp policies; it refuses the
 * options and servers that need them, and otherwise resolves as before.
 * `core: recordingCore` gives it every policy.
 */
import { describe, expect, it } from 'vitest';
import { DohResolver, type DohResolverOptions } from '../../../src/doh.js';
import { recordingCore } from '../../../src/trace.js';
import { aRecord, dnsResponse, FakeFetch } from '../drivers/doh/fake-fetch.js';

const URL_A = 'https://a.example/dns-query';

function doh(options: Partial<DohResolverOptions>, answer = (name: string): boolean => name === 'www.corp.example') {
  const fake = new FakeFetch((r) => {
    const name = r.query.questions[0]?.name ?? '';
    return answer(name) ? dnsResponse(r.query, [aRecord(r.query, '192.0.2.7')]) : dnsResponse(r.query, [], 3);
  });
  return { fake, resolver: new DohResolver({ servers: [URL_A], fetch: fake.fetch, ...options }) };
}

describe('a DoH resolver: its default core has no cookie, 0x20, search or udp policy', () => {
  it.each([
    ['192.0.2.1', 'a DoH resolver only speaks to http(s):// URLs'],
    ['not an address', 'a DoH resolver only speaks to http(s):// URLs'],
    [{ address: '192.0.2.1' }, 'a DoH resolver only speaks to http(s):// URLs'],
    [7, 'a DoH resolver only speaks to http(s):// URLs'],
    [null, 'a DoH resolver only speaks to http(s):// URLs'],
    [{ url: URL_A, transport: 'udp' }, "a server with a url has transport 'doh'"],
    ['https://', 'a DoH server is an http(s):// URL'],
  ] as const)('refuses the server %j with EBADSERVER', (server, why) => {
    expect(() => new DohResolver({ servers: [server as never] })).toThrow(
      expect.objectContaining({ code: 'EBADSERVER', message: `bad server ${JSON.stringify(server)}: ${why}` }) as Error,
    );
  });

  it.each([
    [{ search: ['corp.example'] }, 'search'],
    [{ case0x20: true }, 'case0x20'],
    [{ case0x20: [0] }, 'case0x20'],
    [{ case0x20: [] }, 'case0x20'],
  ] as const)('refuses %j with EBADOPTION: the option needs its policy', (options, name) => {
    expect(() => new DohResolver({ servers: [URL_A], ...options })).toThrow(
      expect.objectContaining({ code: 'EBADOPTION', message: expect.stringContaining(`option ${name} needs the ${name} policy`) }) as Error,
    );
  });

  it('takes the options that leave them off, and asks the name as given', async () => {
    const { fake, resolver } = doh({ search: [], case0x20: false, cookies: true }, (name) => name === 'www');
    expect(await resolver.resolve4('www')).toEqual(['192.0.2.7']);
    expect((await resolver.query('www')).question.name).toBe('www');
    // Every request asks the name as given (a slow machine may hedge with a second one).
    expect(new Set(fake.seen.map((r) => r.query.questions[0]?.name))).toEqual(new Set(['www']));
    expect(fake.seen[0]?.query.edns?.options).toEqual([]);
  });

  it('with core: recordingCore has every policy: the search list runs over DoH, in one query', async () => {
    const { fake, resolver } = doh({ search: ['corp.example'], core: recordingCore });
    const result = await resolver.query('www');
    expect(result.question.name).toBe('www.corp.example');
    expect(new Set(fake.seen.map((r) => r.query.questions[0]?.name))).toEqual(new Set(['www.corp.example']));
  });

  it('cancels a query by its handle, without a search policy', async () => {
    const { resolver } = doh({}, () => false);
    const controller = new AbortController();
    const pending = resolver.resolve4('slow.example', { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ECANCELLED' });
  });
});
