/**
 * Random caller input, differentially: the same generated arguments given to
 * node:dns and to sansdns/node (the callback `Resolver` and
 * `promises.Resolver`, constructors, `resolve*`, `reverse`, `setServers`,
 * `setLocalAddress`) must throw the same thing synchronously (class, code,
 * message, keys), or neither may throw. When neither throws, `getServers()`
 * must agree afterwards, and what was started is cancelled; a promise's
 * rejection is observed, never left unhandled.
 *
 * Both resolvers point at a loopback port nobody answers, and every query is
 * cancelled at once, so no test waits on the network.
 */
import * as nodeDns from 'node:dns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as ours from '../../src/node.js';
import { errorShape } from '../integration/differential/outcome.js';

interface AnyResolver {
  [method: string]: ((...args: unknown[]) => unknown) | undefined;
  cancel(): void;
  getServers(): string[];
  setServers(servers: unknown): void;
  setLocalAddress(address: unknown): void;
}
const SERVERS = ['127.0.0.1:9'];
/** Scale of the runs (env CALLER_RUNS=10 for a campaign ten times longer). */
const SCALE = Number(process.env.CALLER_RUNS ?? 1);
const METHODS = ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx', 'resolveNaptr',
  'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse'] as const;

/** What a synchronous call did. */
function outcome(call: () => unknown): unknown {
  try {
    const v = call();
    if (v instanceof Promise) v.catch(() => undefined);
    return { returned: v instanceof Promise ? 'promise' : typeof v };
  } catch (e) {
    return { threw: typeof e === 'object' && e !== null ? errorShape(e as Record<string, unknown>) : e };
  }
}

const names = fc.oneof(
  fc.string({ maxLength: 20 }), fc.constantFrom('', '.', 'a..b', 'x'.repeat(300), 'example.test', '127.0.0.1', '::1', 'ñandú.test'),
  fc.anything({ maxDepth: 1 }),
);
const rrtypes = fc.oneof(
  fc.constantFrom('A', 'AAAA', 'ANY', 'CAA', 'CNAME', 'MX', 'NAPTR', 'NS', 'PTR', 'SOA', 'SRV', 'TXT', 'a', 'BAD', 'toString', '__proto__', 'TLSA'),
  fc.anything({ maxDepth: 1 }),
);
const callOptions = fc.oneof(fc.constant(undefined), fc.record({ ttl: fc.anything({ maxDepth: 0 }) }, { requiredKeys: [] }), fc.anything({ maxDepth: 1 }));
const callbacks = fc.oneof(fc.constant('function'), fc.constant('function'), fc.anything({ maxDepth: 0 }));
/** Node 20's options (`timeout`, `tries`); sansdns's own, such as `maxTimeout`, are checked by sansdns's rules (README). */
const resolverOptions = fc.oneof(
  fc.constant(undefined),
  fc.record({
    timeout: fc.oneof(fc.integer({ min: -3, max: 2 ** 31 }), fc.double(), fc.anything({ maxDepth: 0 })),
    tries: fc.oneof(fc.integer({ min: -1, max: 2 ** 31 }), fc.double(), fc.anything({ maxDepth: 0 })),
  }, { requiredKeys: [] }),
  fc.anything({ maxDepth: 1 }),
);
const serverLists = fc.oneof(
  fc.array(fc.oneof(
    fc.constantFrom('127.0.0.1', '127.0.0.1:53', '[::1]:53', '::1', '1.2.3.4:', '1.2.3.4:53:53', '[::1]', '[::1]:', 'bad', '', '0.0.0.0', '256.1.1.1', '1.2.3.4:65536', '[1.2.3.4]:53', '1.2.3.4:99999999999'),
    fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 12 }), fc.anything({ maxDepth: 0 }),
  ), { maxLength: 4 }),
  fc.anything({ maxDepth: 1 }),
);

/**
 * Node 20 aborts the whole process (a failed C++ assertion in cares_wrap's
 * SetServers) on a server whose port is 0 modulo 2³², such as `1.2.3.4:0`:
 * such lists are not given to Node (sansdns takes them as the default port).
 */
function abortsNode(servers: unknown): boolean {
  return Array.isArray(servers) && servers.some((x) => typeof x === 'string' && /:(\d+)$/.test(x) && Number(BigInt(/:(\d+)$/.exec(x)![1]!) % 2n ** 32n) === 0);
}

/**
 * Node 20 also aborts on `new Resolver({ timeout: -0 })`: -0 passes its
 * int32 check but not the C++ `IsInt32()` assertion of ChannelWrap::New
 * (sansdns takes it as 0, the default). Such options are not given to Node.
 */
function abortsNodeResolver(options: unknown): boolean {
  return typeof options === 'object' && options !== null && Object.is((options as { timeout?: unknown }).timeout, -0);
}

/** The same for `lookup` with a family of -0 (as the argument or the option) and `lookupService` with port -0. */
function hasMinusZero(value: unknown): boolean {
  return Object.is(value, -0) || (typeof value === 'object' && value !== null && Object.values(value).some((v) => Object.is(v, -0)));
}

/** One Resolver of each library, callback or promise flavour, built with `options` (or the build's throw). */
function build(kind: 'callback' | 'promise', options: unknown): { node: unknown; ours: unknown; resolvers?: [AnyResolver, AnyResolver] } {
  const make = (lib: typeof nodeDns): AnyResolver => {
    const R = (kind === 'callback' ? lib.Resolver : lib.promises.Resolver) as unknown as new (o: unknown) => AnyResolver;
    return options === undefined ? new R(undefined) : new R(options);
  };
  let n: AnyResolver | undefined;
  let o: AnyResolver | undefined;
  const node = outcome(() => (n = make(nodeDns)));
  const mine = outcome(() => (o = make(ours as unknown as typeof nodeDns)));
  if (n === undefined || o === undefined) return { node, ours: mine };
  n.setServers(SERVERS);
  o.setServers(SERVERS);
  return { node, ours: mine, resolvers: [n, o] };
}

describe('random caller input: sansdns/node throws what node:dns throws', () => {
  it('regressions this property found: each the same on both', () => {
    const callbackOf = (v: unknown) => (r: AnyResolver) => r.resolve!('', 'A', v);
    const calls: [string, (r: AnyResolver) => unknown][] = [
      ['null options (sansdns threw a TypeError reading them)', (r) => r.resolveSoa!('', null, () => undefined)],
      ['null options, resolve4', (r) => r.resolve4!('', null, () => undefined)],
      ...['\\', '\n', '\u0001', "a'b\"c", 'x'.repeat(28), 'x'.repeat(40), "'".repeat(30)].map((v) => [`callback ${JSON.stringify(v)} (quoted as Node 20 does)`, callbackOf(v)] as [string, (r: AnyResolver) => unknown]),
      ['callback with a null prototype and keys', callbackOf(Object.assign(Object.create(null) as object, { a: 1 }))],
      ['callback of an anonymous class', callbackOf(new (class {})())],
      ['callback whose constructor is a primitive', callbackOf({ constructor: 'abc' })],
    ];
    for (const [label, call] of calls) {
      const b = build('callback', undefined);
      const [n, o] = b.resolvers!;
      expect(outcome(() => call(o)), label).toEqual(outcome(() => call(n)));
      n.cancel();
      o.cancel();
    }
    for (const options of [{ tries: 101 }, { tries: -0 }, { timeout: 2 ** 31 - 1, tries: 2 ** 31 - 1 }, { timeout: 1e9 }]) {
      const b = build('promise', options);
      expect(b.ours, JSON.stringify(options)).toEqual(b.node);
      b.resolvers?.forEach((r) => r.cancel());
    }
  });

  it('constructors: the same synchronous throw for any options', () => {
    fc.assert(fc.property(fc.constantFrom('callback' as const, 'promise' as const), resolverOptions, (kind, options) => {
      fc.pre(!abortsNodeResolver(options));
      const b = build(kind, options);
      expect(b.ours).toEqual(b.node);
      b.resolvers?.forEach((r) => r.cancel());
    }), { numRuns: 300 * SCALE });
  });

  it('resolve*, reverse: the same synchronous throw for any arguments', () => {
    fc.assert(fc.property(
      fc.constantFrom('callback' as const, 'promise' as const), fc.constantFrom(...METHODS), names, rrtypes, callOptions, callbacks,
      (kind, method, name, rrtype, options, callback) => {
        const b = build(kind, undefined);
        const [n, o] = b.resolvers!;
        const args = (cb: unknown): unknown[] => {
          const a: unknown[] = [name];
          if (method === 'resolve') a.push(rrtype);
          else if (options !== undefined) a.push(options);
          if (kind === 'callback') a.push(cb);
          return a;
        };
        const cb = (): unknown => (callback === 'function' ? () => undefined : callback);
        const theirs = outcome(() => n[method]!(...args(cb())));
        const mine = outcome(() => o[method]!(...args(cb())));
        n.cancel();
        o.cancel();
        expect(mine).toEqual(theirs);
      },
    ), { numRuns: 1500 * SCALE });
  }, 60_000 * SCALE);

  it('setServers, setLocalAddress: the same throw, and the same getServers() after', () => {
    fc.assert(fc.property(
      fc.constantFrom('callback' as const, 'promise' as const), serverLists, fc.oneof(fc.constantFrom('127.0.0.1', '::1', 'x', ''), fc.anything({ maxDepth: 0 })),
      (kind, servers, local) => {
        fc.pre(!abortsNode(servers));
        const b = build(kind, undefined);
        const [n, o] = b.resolvers!;
        expect(outcome(() => o.setServers(servers))).toEqual(outcome(() => n.setServers(servers)));
        expect(o.getServers()).toEqual(n.getServers());
        expect(outcome(() => o.setLocalAddress(local))).toEqual(outcome(() => n.setLocalAddress(local)));
        n.cancel();
        o.cancel();
      },
    ), { numRuns: 1500 * SCALE });
  });

  it('lookup, lookupService: the same synchronous throw for any options (loopback names only)', () => {
    const family = fc.oneof(fc.constantFrom(0, 4, 6, 'IPv4', 'IPv6', 5, -1, '4'), fc.anything({ maxDepth: 0 }));
    const lookupOptions = fc.oneof(
      fc.constant(undefined), family,
      fc.record({
        family, hints: fc.oneof(fc.integer({ min: -1, max: 2048 }), fc.anything({ maxDepth: 0 })), all: fc.anything({ maxDepth: 0 }),
        verbatim: fc.anything({ maxDepth: 0 }), order: fc.oneof(fc.constantFrom('ipv4first', 'ipv6first', 'verbatim', 'x'), fc.anything({ maxDepth: 0 })),
      }, { requiredKeys: [] }),
      fc.anything({ maxDepth: 1 }),
    );
    const hosts = fc.oneof(fc.constantFrom('localhost', '127.0.0.1', '::1', ''), fc.anything({ maxDepth: 0 }).filter((x) => typeof x !== 'string'));
    const node = nodeDns as unknown as AnyResolver;
    const mine = ours as unknown as AnyResolver;
    fc.assert(fc.property(hosts, lookupOptions, callbacks, (host, options, callback) => {
      fc.pre(!hasMinusZero(options));
      const cb = callback === 'function' ? () => undefined : callback;
      const args = options === undefined ? [host, cb] : [host, options, cb];
      expect(outcome(() => mine.lookup!(...args))).toEqual(outcome(() => node.lookup!(...args)));
    }), { numRuns: 600 * SCALE });
    const ports = fc.oneof(fc.integer({ min: -2, max: 70_000 }), fc.constantFrom('80', '0x50', ' 80', '80.5', ''), fc.anything({ maxDepth: 0 }));
    fc.assert(fc.property(fc.oneof(fc.constantFrom('127.0.0.1', '::1', 'localhost', ''), fc.anything({ maxDepth: 0 })), ports, callbacks, (address, port, callback) => {
      fc.pre(!hasMinusZero(port));
      const cb = callback === 'function' ? () => undefined : callback;
      expect(outcome(() => mine.lookupService!(address, port, cb))).toEqual(outcome(() => node.lookupService!(address, port, cb)));
    }), { numRuns: 600 * SCALE });
  });
});
