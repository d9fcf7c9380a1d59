/**
 * The shape of node:dns, differentially: every module-level function, the
 * callback `Resolver`, the `promises` namespace and node:dns/promises, called
 * the same way on `node:dns` and on `sansdns/node` (both pointed at the same
 * loopback server), with good and bad arguments: the same synchronous
 * throws (class, code, message), the same callback arguments, the same
 * results and rejections. Also the constants, the error codes and the names
 * each namespace exports.
 *
 * Host names given to `lookup` are loopback ones (`localhost`, `127.0.0.1`,
 * `::1`): the test process lets node:dns look up nothing else
 * (test/setup/loopback-only.ts).
 */
import nodeDnsDefault from 'node:dns';
import * as nodeDns from 'node:dns';
import * as nodeDnsPromises from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oursNs from '../../src/node.js';
import * as oursPromisesNs from '../../src/node-promises.js';
import { startHostileServer, type HostileServer } from './differential/hostile-server.js';
import { errorShape } from './differential/outcome.js';

type Dns = typeof nodeDns;
type Cb = (...args: unknown[]) => void;
const ours = oursNs.default as unknown as Dns;
// The default export: node:dns's setServers rebinds the functions of that object, not of the ESM namespace.
const node = nodeDnsDefault as unknown as Dns;

/** What a call did: threw at once, returned (and then called back or settled), with what. */
async function run(call: (dns: Dns, cb: Cb) => unknown, dns: Dns): Promise<unknown> {
  let called: ((args: unknown[]) => void) | undefined;
  const back = new Promise<unknown[]>((resolve) => { called = resolve; });
  const cb: Cb = (...args) => called?.(args);
  let value: unknown;
  try {
    value = call(dns, cb);
  } catch (error) {
    return { threw: errorShape(error as Record<string, unknown>) };
  }
  if (value instanceof Promise) {
    return value.then((v) => ({ resolved: v }), (e: unknown) => ({ rejected: errorShape(e as Record<string, unknown>) }));
  }
  const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('no callback'), 3000).unref());
  const args = await Promise.race([back, timeout]);
  if (!Array.isArray(args)) return { returned: typeof value, callback: args };
  return { returned: typeof value, callback: args.map((a) => (a instanceof Error ? errorShape(a as unknown as Record<string, unknown>) : a)) };
}

let server: HostileServer;
let addr: string;
const H = 'hostile.test';

/** Each case: a label and the call, made on node:dns and on sansdns/node alike. */
const CASES: [string, (dns: Dns, cb: Cb) => unknown][] = [
  // lookup
  ['lookup(null)', (d, cb) => d.lookup(null as never, cb)],
  ['lookup(undefined, {all})', (d, cb) => d.lookup(undefined as never, { all: true }, cb)],
  ['lookup("", 6)', (d, cb) => d.lookup('', 6, cb)],
  ['lookup(123)', (d, cb) => d.lookup(123 as never, cb)],
  ['lookup family 5', (d, cb) => d.lookup('localhost', { family: 5 } as never, cb)],
  ['lookup family "x"', (d, cb) => d.lookup('localhost', { family: 'x' } as never, cb)],
  ['lookup family argument 7', (d, cb) => d.lookup('localhost', 7 as never, cb)],
  ['lookup hints -1', (d, cb) => d.lookup('localhost', { hints: -1 }, cb)],
  ['lookup hints "x"', (d, cb) => d.lookup('localhost', { hints: 'x' } as never, cb)],
  ['lookup hints 1024', (d, cb) => d.lookup('localhost', { hints: 1024 }, cb)],
  ['lookup all "yes"', (d, cb) => d.lookup('localhost', { all: 'yes' } as never, cb)],
  ['lookup verbatim "x"', (d, cb) => d.lookup('localhost', { verbatim: 'x' } as never, cb)],
  ['lookup order bad', (d, cb) => d.lookup('localhost', { order: 'bad' } as never, cb)],
  ['lookup options "s"', (d, cb) => d.lookup('localhost', 's' as never, cb)],
  ['lookup options "s", no callback', (d) => (d.lookup as (...a: unknown[]) => unknown)('localhost', 's')],
  ['lookup without callback', (d) => (d.lookup as (...a: unknown[]) => unknown)('localhost')],
  ['lookup callback not a function', (d) => d.lookup('localhost', {}, 'nope' as never)],
  ['lookup an IPv4 literal', (d, cb) => d.lookup('127.0.0.1', cb)],
  ['lookup an IPv4 literal, family 6', (d, cb) => d.lookup('127.0.0.1', 6, cb)],
  ['lookup an IPv6 literal, all', (d, cb) => d.lookup('::1', { all: true }, cb)],
  ['lookup an IPv6 literal, family IPv6', (d, cb) => d.lookup('::1', { family: 'IPv6' } as never, cb)],
  // lookupService
  ['lookupService not an address', (d, cb) => d.lookupService('x', 80, cb)],
  ['lookupService port "x"', (d, cb) => d.lookupService('127.0.0.1', 'x' as never, cb)],
  ['lookupService port 70000', (d, cb) => d.lookupService('127.0.0.1', 70000, cb)],
  ['lookupService port -1', (d, cb) => d.lookupService('127.0.0.1', -1, cb)],
  ['lookupService missing arguments', (d) => (d.lookupService as (...a: unknown[]) => unknown)('127.0.0.1')],
  ['lookupService callback not a function', (d) => d.lookupService('127.0.0.1', 80, 'x' as never)],
  ['lookupService address 1', (d, cb) => d.lookupService(1 as never, 80, cb)],
  // resolve*
  ['resolve4(123)', (d, cb) => d.resolve4(123 as never, cb)],
  ['resolve4 without callback', (d) => (d.resolve4 as (...a: unknown[]) => unknown)('x')],
  ['resolve4 ok', (d, cb) => d.resolve4(`ok.${H}`, cb)],
  ['resolve4 ok ttl', (d, cb) => d.resolve4(`ok.${H}`, { ttl: true }, cb)],
  ['resolve4 ttl "x"', (d, cb) => d.resolve4(`ok.${H}`, { ttl: 'x' } as never, cb)],
  ['resolve6 nodata', (d, cb) => d.resolve6(`nodata.${H}`, cb)],
  ['resolveMx nxdomain', (d, cb) => d.resolveMx(`nxdomain.${H}`, cb)],
  ['resolveTxt servfail', (d, cb) => d.resolveTxt(`servfail.${H}`, cb)],
  ['resolve rrtype BAD', (d, cb) => d.resolve('x', 'BAD' as never, cb)],
  ['resolve rrtype 5', (d, cb) => d.resolve('x', 5 as never, cb)],
  ['resolve rrtype "a"', (d, cb) => d.resolve('x', 'a' as never, cb)],
  ['resolve rrtype toString', (d, cb) => d.resolve('x', 'toString' as never, cb)],
  ['resolve without callback', (d) => (d.resolve as (...a: unknown[]) => unknown)('x', 'A')],
  ['resolve default A', (d, cb) => d.resolve(`ok.${H}`, cb)],
  ['resolve MX nodata', (d, cb) => d.resolve(`nodata.${H}`, 'MX', cb)],
  ['resolve name 1', (d, cb) => d.resolve(1 as never, 'A', cb)],
  ['reverse(1)', (d, cb) => d.reverse(1 as never, cb)],
  ['reverse not an address', (d, cb) => d.reverse('notip', cb)],
  ['reverse refused', (d, cb) => d.reverse('192.0.2.5', cb)],
  // servers, order
  ['setServers("x")', (d) => d.setServers('x' as never)],
  ['setServers([1])', (d) => d.setServers([1] as never)],
  ['setServers(["bad"])', (d) => d.setServers(['bad'])],
  ['setServers(["1.2.3.4:"])', (d) => d.setServers(['1.2.3.4:'])],
  ['setServers(["1.2.3.4:53:53"])', (d) => d.setServers(['1.2.3.4:53:53'])],
  ['setDefaultResultOrder bad', (d) => d.setDefaultResultOrder('bad' as never)],
  ['setDefaultResultOrder 1', (d) => d.setDefaultResultOrder(1 as never)],
  // Resolver
  ['new Resolver timeout "x"', (d) => new d.Resolver({ timeout: 'x' } as never)],
  ['new Resolver timeout -2', (d) => new d.Resolver({ timeout: -2 })],
  ['new Resolver timeout 1.5', (d) => new d.Resolver({ timeout: 1.5 })],
  ['new Resolver timeout 2**31', (d) => new d.Resolver({ timeout: 2 ** 31 })],
  ['new Resolver tries 0', (d) => new d.Resolver({ tries: 0 })],
  ['new Resolver tries 1e10', (d) => new d.Resolver({ tries: 1e10 })],
  ['Resolver setLocalAddress "x"', (d) => new d.Resolver().setLocalAddress('x')],
  ['Resolver setLocalAddress 1', (d) => new d.Resolver().setLocalAddress(1 as never)],
  ['Resolver setLocalAddress two IPv4', (d) => new d.Resolver().setLocalAddress('127.0.0.1', '127.0.0.2')],
  ['Resolver setLocalAddress two IPv6', (d) => new d.Resolver().setLocalAddress('::1', '::1')],
  ['Resolver setLocalAddress IPv6 first', (d) => new d.Resolver().setLocalAddress('::1')],
  ['Resolver setLocalAddress IPv4 then IPv6', (d) => new d.Resolver().setLocalAddress('127.0.0.1', '::1')],
  ['Resolver setServers holes, getServers', (d) => { const r = new d.Resolver(); r.setServers([, '192.0.2.1'] as never); return r.getServers(); }],
  ['Resolver setServers([]), getServers', (d) => { const r = new d.Resolver(); r.setServers([]); return r.getServers(); }],
  ['Resolver mixed forms, getServers', (d) => {
    const r = new d.Resolver();
    r.setServers(['[::1]:53', '192.0.2.1:5353', '::1', '192.0.2.1', '[2001:db8::1]', '[::ffff:192.0.2.1]:53', '192.0.2.1:53', '[192.0.2.2]', '[::1]:x', '[fe80::1%lo]:53']);
    return r.getServers();
  }],
  ['Resolver setServers port 99999, getServers', (d) => { const r = new d.Resolver(); r.setServers(['192.0.2.1:99999']); return r.getServers(); }],
  ['Resolver resolve4 ok', (d, cb) => { const r = new d.Resolver(); r.setServers([addr]); r.resolve4(`ok.${H}`, cb); }],
  ['Resolver resolve(name, "TXT") wrongtype', (d, cb) => { const r = new d.Resolver(); r.setServers([addr]); r.resolve(`wrongtype.${H}`, 'TXT', cb); }],
  ['Resolver reverse not an address', (d, cb) => { const r = new d.Resolver(); r.setServers([addr]); r.reverse('x', cb); }],
  ['Resolver resolveAny name 1', (d, cb) => { const r = new d.Resolver(); r.setServers([addr]); r.resolveAny(1 as never, cb); }],
  ['Resolver cancel', (d, cb) => { const r = new d.Resolver(); r.setServers([addr]); r.resolve4(`silent.${H}`, cb); r.cancel(); }],
  // promises
  ['promises.lookup(123)', (d) => d.promises.lookup(123 as never)],
  ['promises.lookup family 5', (d) => d.promises.lookup('localhost', { family: 5 } as never)],
  ['promises.lookup family "IPv6" literal', (d) => d.promises.lookup('::1', { family: 'IPv6' } as never)],
  ['promises.lookup("")', (d) => d.promises.lookup('')],
  ['promises.lookup("", {all})', (d) => d.promises.lookup('', { all: true })],
  ['promises.lookup literal all', (d) => d.promises.lookup('127.0.0.1', { all: true })],
  ['promises.lookup options "s"', (d) => d.promises.lookup('localhost', 's' as never)],
  ['promises.resolve4(1)', (d) => d.promises.resolve4(1 as never)],
  ['promises.resolve4 ok', (d) => d.promises.resolve4(`ok.${H}`)],
  ['promises.resolve BAD', (d) => d.promises.resolve('x', 'BAD' as never)],
  ['promises.resolve 5', (d) => d.promises.resolve('x', 5 as never)],
  ['promises.reverse not an address', (d) => d.promises.reverse('notip')],
  ['promises.lookupService not an address', (d) => d.promises.lookupService('x', 80)],
  ['promises.lookupService missing port', (d) => (d.promises.lookupService as (...a: unknown[]) => unknown)('127.0.0.1')],
  ['promises.lookupService port "x"', (d) => d.promises.lookupService('127.0.0.1', 'x' as never)],
  ['promises.setServers(["bad"])', (d) => d.promises.setServers(['bad'])],
  ['promises.Resolver resolveTxt ok', (d) => { const r = new d.promises.Resolver(); r.setServers([addr]); return r.resolveTxt(`binarytxt.${H}`); }],
  ['promises.Resolver reverse refused', (d) => { const r = new d.promises.Resolver(); r.setServers([addr]); return r.reverse('192.0.2.5'); }],
  ['promises.Resolver setLocalAddress "x"', (d) => new d.promises.Resolver().setLocalAddress('x')],
  ['promises.Resolver timeout "x"', (d) => new d.promises.Resolver({ timeout: 'x' } as never)],
];

beforeAll(async () => {
  server = await startHostileServer({ tcp: true });
  addr = `${server.address}:${server.port}`;
  for (const d of [node, ours]) {
    d.setServers([addr]);
    d.promises.setServers([addr]);
  }
});
afterAll(async () => {
  await server.stop();
});

describe('node:dns API shape: sansdns/node vs node:dns', () => {
  for (const [label, call] of CASES) {
    it(label, async () => {
      const theirs = await run(call, node);
      const mine = await run(call, ours);
      expect(mine).toEqual(theirs);
    });
  }

  it('exports the names node:dns exports, with the same constants and error codes', () => {
    const skip = new Set(['default']);
    const names = Object.keys(nodeDns).filter((k) => !skip.has(k)).sort();
    for (const name of names) expect(Object.hasOwn(ours, name), name).toBe(true);
    for (const name of names.filter((n) => /^[A-Z_0-9]+$/.test(n))) {
      expect((ours as unknown as Record<string, unknown>)[name], name).toBe((nodeDns as unknown as Record<string, unknown>)[name]);
    }
  });

  it('promises and sansdns/node/promises export what node:dns/promises exports', () => {
    const names = Object.keys(nodeDnsPromises).filter((k) => k !== 'default').sort();
    for (const name of names) {
      expect(Object.hasOwn(ours.promises, name), `promises.${name}`).toBe(true);
      expect(Object.hasOwn(oursPromisesNs, name), `sansdns/node/promises ${name}`).toBe(true);
    }
  });

  it('getDefaultResultOrder starts as Node\'s and follows setDefaultResultOrder', () => {
    expect(ours.getDefaultResultOrder()).toBe(node.getDefaultResultOrder());
    ours.setDefaultResultOrder('ipv4first');
    expect(ours.getDefaultResultOrder()).toBe('ipv4first');
    expect(ours.promises.getDefaultResultOrder()).toBe('ipv4first');
    ours.setDefaultResultOrder('verbatim');
  });

  it('setServers sets the promise functions\' servers too; promises.setServers only theirs', () => {
    for (const d of [node, ours]) {
      d.setServers(['192.0.2.9']);
      expect(d.promises.getServers()).toEqual(['192.0.2.9']);
      d.promises.setServers(['192.0.2.10']);
      expect([d.getServers(), d.promises.getServers()]).toEqual([['192.0.2.9'], ['192.0.2.10']]);
      d.setServers([addr]);
      d.promises.setServers([addr]);
    }
  });
});
