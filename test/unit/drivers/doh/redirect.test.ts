/**
 * DohResolver with the real `fetch` of Node against loopback HTTP servers:
 * a POST answered with 307 or 308 is POSTed again with its body (it used to
 * fail with "detached ArrayBuffer"), a 302 fails saying it was redirected,
 * and the core's copy of a query survives a fetch for the next server.
 */
import http from 'node:http';
import packet from 'dns-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { DohResolver, type DohServerError } from '../../../../src/doh.js';
import { rejection } from '../../../helpers/rejection.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Seen { method: string; url: string; body: Buffer }

async function server(handle: (seen: Seen, res: http.ServerResponse) => void): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const s = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const one = { method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks) };
      seen.push(one);
      handle(one, res);
    });
  });
  await new Promise<void>((f) => s.listen(0, '127.0.0.1', f));
  cleanups.push(() => new Promise((f) => s.close(f)));
  return { base: `http://127.0.0.1:${(s.address() as { port: number }).port}`, seen };
}

function answer(body: Buffer, res: http.ServerResponse): void {
  const q = packet.decode(body);
  const out = packet.encode({
    id: q.id, type: 'response', flags: 0, questions: q.questions,
    answers: [{ name: q.questions![0]!.name, type: 'A', ttl: 60, class: 'IN', data: '192.0.2.3' }],
  } as packet.Packet);
  res.writeHead(200, { 'content-type': 'application/dns-message', 'content-length': out.length });
  res.end(out);
}

describe('DoH over fetch: redirects', () => {
  it.each([307, 308])('re-POSTs the query after a %i', async (status) => {
    const { base, seen } = await server((s, res) => {
      if (s.url === '/old') {
        res.writeHead(status, { location: '/dns-query' });
        res.end();
      } else {
        answer(s.body, res);
      }
    });
    // One try and a long per-try timeout: a slow machine must not hedge with a second POST.
    const r = new DohResolver({ servers: [`${base}/old`], tries: 1, timeout: 5000 });
    cleanups.push(() => r.close());
    expect(await r.resolve4('a.test')).toEqual(['192.0.2.3']);
    expect(seen.map((s) => [s.method, s.url])).toEqual([['POST', '/old'], ['POST', '/dns-query']]);
    expect(seen[1]!.body).toEqual(seen[0]!.body);
  });

  it('fails a 302 (which fetch follows with a GET) saying so, and asks the next server with the whole query', async () => {
    const moved = await server((s, res) => {
      if (s.url === '/old') {
        res.writeHead(302, { location: '/new' });
        res.end();
      } else {
        res.writeHead(400);
        res.end('no dns parameter');
      }
    });
    const good = await server((s, res) => answer(s.body, res));
    const failures: DohServerError[] = [];
    const r = new DohResolver({ servers: [`${moved.base}/old`, `${good.base}/dns-query`], tries: 1, timeout: 5000, onServerError: (e) => failures.push(e) });
    cleanups.push(() => r.close());
    expect(await r.resolve4('b.test')).toEqual(['192.0.2.3']);
    expect(failures[0]).toMatchObject({ reason: 'status', status: 400 });
    expect(failures[0]!.message).toMatch(/after a redirect to .*\/new/);
    expect(packet.decode(good.seen[0]!.body).questions).toEqual(packet.decode(moved.seen[0]!.body).questions);
  });

  it('puts what failed in the error of a query that fails', async () => {
    const { base } = await server((_s, res) => {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('busy');
    });
    const r = new DohResolver({ servers: [`${base}/dns-query`], tries: 1 });
    cleanups.push(() => r.close());
    const e = await rejection(r.resolve4('c.test'));
    expect(e.code).toBe('EBADRESP');
    expect((e.cause as Error).message).toMatch(/HTTP status 503/);
  });
});
