/**
 * Caller input that used to cost superlinear time or throw untyped errors
 * (issue 18): a shared AbortSignal, non-string names, names of any length.
 * Messages are compared with what `node:dns` itself throws for the same value.
 */
import { describe, expect, it } from 'vitest';
import dns from 'node:dns';
import { getEventListeners } from 'node:events';
import { PromiseResolver } from '../../../src/api/promise-resolver.js';
import { createLookup, lookupAll, type LookupContext } from '../../../src/api/lookup.js';
import { recordingCore } from '../../../src/trace/recorder.js';
import { serversFromNode } from '../../../src/api/servers.js';
import { specificType as received } from '../../../src/api/node-args.js';
import { rejection } from '../../helpers/rejection.js';
import { FakeTransport } from './fake-transport.js';

let seed = 7;
const random = (b: Uint8Array): void => {
  for (let i = 0; i < b.length; i++) b[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
};

function make(options: ConstructorParameters<typeof PromiseResolver>[0] = {}) {
  let t!: FakeTransport;
  const r = new PromiseResolver({ cache: false, coalesce: false, ...options }, () => (t = new FakeTransport()), random, ['192.0.2.1'], serversFromNode, recordingCore);
  const ctx: LookupContext = { resolver: r, hosts: () => new Map() };
  return { r, t: () => t, ctx, lookup: createLookup(() => ctx) };
}

/** What `f` throws (its message and code). */
function thrown(f: () => unknown): { message: string; code: unknown } {
  try {
    f();
  } catch (e) {
    return { message: (e as Error).message, code: (e as { code?: unknown }).code };
  }
  throw new Error('did not throw');
}

class Foo {}
function named(): void {}
const NON_STRINGS: unknown[] = [42, 1.5, Infinity, true, Symbol('s'), 10n, named, () => 1, {}, [], new Foo(), Object.create(null), new Map(), /x/];

describe('a shared AbortSignal', () => {
  it('holds one listener however many queries share it, and none once they settle', async () => {
    const { r, t } = make();
    const ac = new AbortController();
    const all = Array.from({ length: 5000 }, (_, i) => r.resolve4(`s${i}.test`, { signal: ac.signal }));
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    for (const tx of t().sent.slice(0, 10)) t().answer(tx, (q) => ({ answers: [{ name: q.questions?.[0]?.name as string, type: 'A', ttl: 5, class: 'IN', data: '192.0.2.1' }] }));
    expect(await Promise.all(all.slice(0, 10))).toEqual(Array.from({ length: 10 }, () => ['192.0.2.1']));
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    ac.abort();
    const rest = await Promise.all(all.slice(10).map((p) => rejection(p)));
    expect(new Set(rest.map((e) => e.code))).toEqual(new Set(['ECANCELLED']));
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    expect(r.stats.cancelled).toBe(4990);
  });

  it('drops its listener when the last query on it ends, and adds one again for the next', async () => {
    const { r, t } = make();
    const ac = new AbortController();
    const p = r.resolve4('one.test', { signal: ac.signal });
    t().answer(t().last(), () => ({ answers: [] }));
    await rejection(p);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    const q = r.resolve4('two.test', { signal: ac.signal });
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    ac.abort();
    expect(await rejection(q)).toMatchObject({ code: 'ECANCELLED' });
  });
});

describe('non-string names get Node\'s ERR_INVALID_ARG_TYPE, word for word', () => {
  const nodeResolver = new dns.promises.Resolver();
  nodeResolver.setServers(['127.0.0.1']); // never the system's servers, even for calls that throw first
  it.each(NON_STRINGS.map((v) => [received(v), v]))('resolve4(%s)', (_label, v) => {
    const { r } = make();
    expect(thrown(() => r.resolve4(v as string))).toEqual(thrown(() => nodeResolver.resolve4(v as string)));
  });

  it.each(NON_STRINGS.map((v) => [received(v), v]))('lookup(%s, cb)', (_label, v) => {
    const { lookup } = make();
    expect(thrown(() => lookup(v as string, { all: true }, () => undefined))).toEqual(thrown(() => dns.lookup(v as string, { all: true }, () => undefined)));
  });

  it('resolve(name, rrtype) and null or undefined names, as Node', () => {
    const { r } = make();
    for (const v of [null, undefined]) expect(thrown(() => r.resolve4(v as unknown as string))).toEqual(thrown(() => nodeResolver.resolve4(v as unknown as string)));
    expect(thrown(() => r.resolve('x', 5 as unknown as string))).toEqual(thrown(() => nodeResolver.resolve('x', 5 as unknown as string)));
    expect(thrown(() => make({ timeout: 'x' as unknown as number }))).toEqual(thrown(() => new dns.promises.Resolver({ timeout: 'x' as unknown as number })));
  });

  it('lookupAll rejects a non-string typed, and answers a falsy name with [] (dns.promises.lookup with all)', async () => {
    const { ctx } = make();
    for (const v of [42, {}, Symbol('x')]) {
      expect(await rejection(lookupAll(ctx, v as unknown as string))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: expect.stringMatching(/Received/) as string });
    }
    for (const v of [null, undefined, '', 0, false]) expect(await lookupAll(ctx, v as unknown as string)).toEqual([]);
  });

  it('lookup(null) and other falsy names answer nothing at once, as Node', async () => {
    const { lookup } = make();
    const call = (v: unknown, o: object) => new Promise<unknown[]>((res) => lookup(v as string, o, (...args: unknown[]) => res(args)));
    expect(await call(null, { all: true })).toEqual([null, []]);
    expect(await call(0, { family: 6 })).toEqual([null, null, 6]);
  });
});

describe('names of any length', () => {
  it('resolve4 rejects EBADNAME and lookup ENOTFOUND for 5,000 to 200,000 characters, never a RangeError', async () => {
    const { r, t, ctx } = make();
    for (const n of [5_000, 20_000, 200_000]) {
      for (const name of ['a'.repeat(n), 'ü.'.repeat(n / 2), 'ü'.repeat(n)]) {
        expect(await rejection(r.resolve4(name))).toMatchObject({ code: 'EBADNAME', syscall: 'queryA' });
        const e = await rejection(lookupAll(ctx, name));
        expect(e).toMatchObject({ code: 'ENOTFOUND', syscall: 'getaddrinfo' });
        expect((e.cause as { code: string }).code).toBe('EBADNAME');
      }
    }
    expect(t().sent).toEqual([]);
  });
});

describe('errors of final events', () => {
  it('carry no captured stack (cheap at 100,000 failures), and leave Error.stackTraceLimit as it was', async () => {
    const { r, t } = make({ timeout: 100, tries: 1 });
    const limit = Error.stackTraceLimit;
    const p = rejection(r.resolve4('late.test'));
    t().advance(200);
    const e = await p;
    expect(e).toMatchObject({ code: 'ETIMEOUT' });
    expect(e.stack).toBe('Error: queryA ETIMEOUT late.test');
    expect((e.cause as Error).stack).toMatch(/^DnsError: queryA ETIMEOUT late\.test: no answer within 100 ms$/);
    expect(Error.stackTraceLimit).toBe(limit);
    // A caller mistake, thrown where the caller is, keeps its stack.
    expect(thrown(() => r.resolve4(1 as unknown as string))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
    let stack = '';
    try {
      r.resolve4(1 as unknown as string);
    } catch (err) {
      stack = (err as Error).stack ?? '';
    }
    expect(stack.split('\n').length).toBeGreaterThan(1);
  });
});
