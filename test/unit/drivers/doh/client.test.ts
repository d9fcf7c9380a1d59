/** The DoH client over a fake `fetch`: request shapes, checks, failover through the core, deadlines. */
import { describe, expect, it } from 'vitest';
import { DohResolver, DohServerError, type DohResolverOptions } from '../../../../src/doh.js';
import { aRecord, dnsResponse, FakeFetch, sleep, type FetchHandler } from './fake-fetch.js';
import { recordingCore, type TraceRecord } from '../../../../src/trace.js';
import { snapshot, restore, type ResolverSnapshot } from '../../../../src/index.js';

const A = 'https://a.example/dns-query';
const B = 'https://b.example/dns-query';

function setup(handler: FetchHandler, options: Partial<DohResolverOptions> = {}) {
  const fake = new FakeFetch(handler);
  const errors: DohServerError[] = [];
  const resolver = new DohResolver({
    servers: [A, B], fetch: fake.fetch, onServerError: (e) => errors.push(e), ...options,
  });
  return { fake, errors, resolver };
}

describe('DoH client: requests', () => {
  it('POSTs the query as application/dns-message with ID 0 (RFC 8484 §4.1)', async () => {
    const { fake, resolver } = setup((r) => dnsResponse(r.query, [aRecord(r.query, '192.0.2.1')]));
    expect(await resolver.resolve4('www.example.test')).toEqual(['192.0.2.1']);
    const [req] = fake.seen;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe(A);
    expect(req?.headers.get('content-type')).toBe('application/dns-message');
    expect(req?.headers.get('accept')).toBe('application/dns-message');
    expect(req?.query.id).toBe(0);
    expect(req?.query.questions[0]).toMatchObject({ name: 'www.example.test', type: 1, class: 1 });
  });

  it('GETs with the query as unpadded base64url in dns=', async () => {
    const { fake, resolver } = setup((r) => dnsResponse(r.query, [aRecord(r.query, '192.0.2.2')]), { method: 'GET', headers: { 'x-api-key': 'k' } });
    expect(await resolver.resolve4('example.test', { ttl: true })).toEqual([{ address: '192.0.2.2', ttl: 300 }]);
    const [req] = fake.seen;
    expect(req?.method).toBe('GET');
    expect(req?.url).toMatch(/^https:\/\/a\.example\/dns-query\?dns=[A-Za-z0-9_-]+$/);
    expect(req?.headers.get('x-api-key')).toBe('k');
    expect(req?.headers.get('content-type')).toBeNull();
    expect(req?.query.id).toBe(0);
  });

  it('matches concurrent answers by token, whatever order they come back in', async () => {
    const { resolver } = setup(async (r) => {
      const name = r.query.questions[0]?.name ?? '';
      await sleep(name.startsWith('first') ? 30 : 1);
      return dnsResponse(r.query, [aRecord(r.query, name.startsWith('first') ? '192.0.2.1' : '192.0.2.2')]);
    });
    const [one, two] = await Promise.all([resolver.resolve4('first.example'), resolver.resolve4('second.example')]);
    expect(one).toEqual(['192.0.2.1']);
    expect(two).toEqual(['192.0.2.2']);
  });

  it('shapes like Node: TXT, NXDOMAIN as ENOTFOUND, query() with the whole message', async () => {
    const { resolver } = setup((r) => {
      const q = r.query;
      const name = q.questions[0]?.name ?? '';
      if (name === 'nx.example') return dnsResponse(q, [], 3);
      return dnsResponse(q, [{ name, type: 'TXT', class: 1, ttl: 60, data: [new TextEncoder().encode('hello')] }]);
    });
    expect(await resolver.resolveTxt('t.example')).toEqual([['hello']]);
    await expect(resolver.resolve4('nx.example')).rejects.toMatchObject({ code: 'ENOTFOUND', syscall: 'queryA', hostname: 'nx.example' });
    const result = await resolver.query('nx.example', 'AAAA');
    expect(result.rcode).toBe(3);
    expect(result.server).toEqual({ transport: 'doh', url: A });
    expect(resolver.getServers()).toEqual([A, B]);
  });

  it('accepts only DoH servers', () => {
    expect(() => new DohResolver({ servers: ['192.0.2.1'] })).toThrow(expect.objectContaining({ code: 'EBADSERVER' }));
    expect(() => new DohResolver({ servers: [] })).toThrow(expect.objectContaining({ code: 'EBADSERVER' }));
    const r = new DohResolver({ servers: [A] });
    r.setServers([B, { url: A, transport: 'doh' }]);
    expect(r.getServers()).toEqual([B, A]);
    expect(() => r.setServers(['ftp://x'])).toThrow(expect.objectContaining({ code: 'EBADSERVER' }));
    r.close();
  });
});

describe('DoH client: each bad response is a typed error for that server, and the core moves on', () => {
  const cases: Array<[string, (r: Parameters<FetchHandler>[0]) => Response, string]> = [
    ['a non-2xx status', () => new Response('busy', { status: 503 }), 'status'],
    ['a wrong content type', (r) => dnsResponse(r.query, [], 0, { headers: { 'content-type': 'text/html' } }), 'content-type'],
    ['an oversize body (Content-Length)', () => new Response(new Uint8Array(70000), { headers: { 'content-type': 'application/dns-message' } }), 'oversize'],
  ];
  for (const [what, bad, reason] of cases) {
    it(`${what}: fails over to the next server at once`, async () => {
      const { fake, errors, resolver } = setup((r) => (r.url === A ? bad(r) : dnsResponse(r.query, [aRecord(r.query, '192.0.2.9')])));
      const started = performance.now();
      expect(await resolver.resolve4('x.example')).toEqual(['192.0.2.9']);
      expect(performance.now() - started).toBeLessThan(500); // no per-attempt timeout waited for
      expect(fake.seen.map((s) => s.url)).toEqual([A, B]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(DohServerError);
      expect(errors[0]).toMatchObject({ code: 'EBADRESP', reason, url: A });
      if (reason === 'status') expect(errors[0]?.status).toBe(503);
    });
  }

  it('an oversize streamed body (no Content-Length) is cut off', async () => {
    const stream = (): Response => new Response(new ReadableStream({
      pull(c) { c.enqueue(new Uint8Array(1000)); },
    }), { headers: { 'content-type': 'application/dns-message' } });
    const { errors, resolver } = setup((r) => (r.url === A ? stream() : dnsResponse(r.query, [aRecord(r.query, '192.0.2.9')])), { maxResponseSize: 4000 });
    expect(await resolver.resolve4('x.example')).toEqual(['192.0.2.9']);
    expect(errors[0]).toMatchObject({ reason: 'oversize' });
  });

  it('a garbage body goes to the core, which counts it as malformed and fails that server', async () => {
    const { errors, resolver } = setup((r) => (r.url === A
      ? new Response(new Uint8Array([1, 2, 3]), { headers: { 'content-type': 'application/dns-message' } })
      : dnsResponse(r.query, [aRecord(r.query, '192.0.2.9')])));
    expect(await resolver.resolve4('x.example')).toEqual(['192.0.2.9']);
    expect(errors).toHaveLength(0);
    expect(resolver.stats.dropped.malformed).toBe(1);
    expect(resolver.stats.malformed['short-header']).toBe(1);
  });

  it('when every server fails, the query rejects with the last code', async () => {
    const { errors, resolver } = setup(() => new Response('', { status: 500 }));
    await expect(resolver.resolve4('x.example')).rejects.toMatchObject({ code: 'EBADRESP', syscall: 'queryA' });
    expect(errors.map((e) => e.url)).toEqual([A, B]);
  });

  it('a network error carries its code (ECONNREFUSED)', async () => {
    const { resolver } = setup(() => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    });
    await expect(resolver.resolve4('x.example')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('a SERVFAIL answer fails that server; the next one answers', async () => {
    const { resolver } = setup((r) => (r.url === A ? dnsResponse(r.query, [], 2) : dnsResponse(r.query, [aRecord(r.query, '192.0.2.3')])));
    expect(await resolver.resolve4('x.example')).toEqual(['192.0.2.3']);
  });
});

describe('DoH client: deadlines through AbortController', () => {
  it('a server that hangs is hedged by the next after the per-attempt timeout, then aborted', async () => {
    const { fake, resolver } = setup((r) => (r.url === A ? 'hang' : dnsResponse(r.query, [aRecord(r.query, '192.0.2.4')])), { timeout: 40 });
    expect(await resolver.resolve4('x.example')).toEqual(['192.0.2.4']);
    expect(fake.seen.map((s) => s.url)).toEqual([A, B]);
    expect(fake.seen[0]?.signal.aborted).toBe(true); // the query is over: its open exchange is aborted
    expect(fake.seen[1]?.signal.aborted).toBe(true); // and the answered one is released too
  });

  it('no query outlives its deadline: ETIMEOUT, and every exchange aborted', async () => {
    const { fake, resolver } = setup(() => 'hang', { timeout: 20, tries: 2 });
    const started = performance.now();
    await expect(resolver.resolve4('x.example')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(35);
    expect(took).toBeLessThan(1000);
    expect(fake.seen.length).toBeGreaterThanOrEqual(2);
    expect(fake.seen.every((s) => s.signal.aborted)).toBe(true);
  });

  it('a per-call signal cancels the query and aborts its exchange', async () => {
    const { fake, resolver } = setup(() => 'hang');
    const ac = new AbortController();
    const p = resolver.resolve4('x.example', { signal: ac.signal });
    await sleep(5);
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'ECANCELLED' });
    expect(fake.seen[0]?.signal.aborted).toBe(true);
  });

  it('close() aborts everything in flight and later calls reject ECANCELLED', async () => {
    const { fake, resolver } = setup(() => 'hang');
    const p = resolver.resolve4('x.example');
    await sleep(5);
    resolver.close();
    await expect(p).rejects.toMatchObject({ code: 'ECANCELLED' });
    expect(fake.seen[0]?.signal.aborted).toBe(true);
    await expect(resolver.resolve4('x.example')).rejects.toMatchObject({ code: 'ECANCELLED' });
  });
});

describe('DoH client: features a bundle leaves out unless imported', () => {
  it('traces with core: recordingCore; trace without it throws EBADOPTION', async () => {
    const records: TraceRecord[] = [];
    const { resolver } = setup((r) => dnsResponse(r.query, [aRecord(r.query, '192.0.2.9')]), { trace: (r) => records.push(r), core: recordingCore });
    expect(await resolver.resolve4('t.example')).toEqual(['192.0.2.9']);
    expect(records.map((r) => r.op)).toEqual(expect.arrayContaining(['init', 'query', 'datagrams', 'output']));
    expect(() => setup(() => new Response(null, { status: 500 }), { trace: () => undefined })).toThrowError(expect.objectContaining({ code: 'EBADOPTION' }) as Error);
  });

  it('snapshots and restores through withCore and the core functions', async () => {
    const { fake, resolver } = setup((r) => dnsResponse(r.query, [aRecord(r.query, '192.0.2.10')]));
    await resolver.resolve4('s.example');
    const saved = JSON.parse(JSON.stringify(resolver.withCore((core, now) => snapshot(core, now)))) as ResolverSnapshot;
    expect(saved.cache).toHaveLength(1);
    const other = setup(() => new Response(null, { status: 500 }));
    other.resolver.withCore((core, now) => restore(core, now, saved));
    expect(await other.resolver.resolve4('s.example')).toEqual(['192.0.2.10']);
    expect(other.fake.seen).toHaveLength(0);
    expect(fake.seen).toHaveLength(1);
  });
});
