/**
 * No socket error escapes the Node driver (issue 18 "Crashes", issue 12 first
 * bullet): every error Node can raise on a UDP or TCP socket ends the queries
 * on it with a typed, Node-shaped rejection, and nothing reaches the process
 * as an uncaught exception or an unhandled rejection. Errors are injected at
 * the socket layer (`dgram.Socket.prototype`) where the kernel cannot be
 * made to produce them on loopback; the closed port and the unroutable
 * server (in a network namespace, when `unshare` is allowed) are real.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import dgram from 'node:dgram';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isDnsError } from '../../../../src/core/errors.js';
import { NODE_MAX_IN_FLIGHT, NodeResolver as Resolver } from '../../../../src/node.js';
import { rejection } from '../../../helpers/rejection.js';

const escaped: unknown[] = [];
const onEscape = (e: unknown): void => {
  escaped.push(e);
};
const cleanups: (() => unknown)[] = [];
beforeEach(() => {
  escaped.length = 0;
  process.on('uncaughtException', onEscape);
  process.on('unhandledRejection', onEscape);
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanups.splice(0).reverse()) await c();
  // Whatever a broken socket did, it had a turn to do it before the listeners go.
  await new Promise((res) => setTimeout(res, 20));
  process.off('uncaughtException', onEscape);
  process.off('unhandledRejection', onEscape);
  expect(escaped).toEqual([]);
});

/** A UDP socket on loopback that counts what it receives and never answers, and a resolver on it. */
async function silentSetup(options: ConstructorParameters<typeof Resolver>[0] = {}): Promise<{ srv: { received: number }; r: Resolver }> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((res) => sock.bind(0, '127.0.0.1', res));
  const srv = { received: 0 };
  sock.on('message', () => srv.received++);
  const r = new Resolver({
    resolvConf: false, hostsFile: false, timeout: 200, tries: 2, ...options, servers: [`127.0.0.1:${sock.address().port}`],
  });
  cleanups.push(() => new Promise<void>((res) => sock.close(() => res())), () => r.close());
  return { srv, r };
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`injected ${code}`), { code });
}

type Send = dgram.Socket['send'];
const realSend = dgram.Socket.prototype.send;

/** Make every `send` of every UDP socket do `inject` instead. */
function onSend(inject: (socket: dgram.Socket, send: () => void) => void): void {
  vi.spyOn(dgram.Socket.prototype, 'send').mockImplementation(function (this: dgram.Socket, ...args: Parameters<Send>) {
    inject(this, () => realSend.apply(this, args));
  } as Send);
}

/** The rejection of `p`: Node-shaped, with the core's DnsError as its cause. */
/**
 * The core's code of a rejection (its `cause`), after checking its Node
 * shape: `code` is Node's, which calls every failed connection
 * `ECONNREFUSED` (as c-ares does; differential-hostile.test.ts and Node in
 * an unrouted namespace show it).
 */
async function typedRejection(p: Promise<unknown>): Promise<string> {
  const e = await rejection(p);
  expect(e).toBeInstanceOf(Error);
  expect(e).toMatchObject({ syscall: 'queryA' });
  expect(isDnsError(e.cause)).toBe(true);
  const core = (e.cause as { code: string }).code;
  expect(e.code).toBe(core === 'ECONNRESET' || core === 'ENETUNREACH' ? 'ECONNREFUSED' : core);
  return core;
}

describe('UDP socket errors end queries with typed rejections', () => {
  // What each error emitted by a socket becomes: the core's code, as the rejection's code.
  const emitted: [string, string][] = [
    ['ECONNREFUSED', 'ECONNREFUSED'], ['EHOSTUNREACH', 'ENETUNREACH'], ['ENETUNREACH', 'ENETUNREACH'],
    ['EMFILE', 'ENETUNREACH'], ['ENOBUFS', 'ENETUNREACH'], ['ECONNRESET', 'ECONNRESET'],
  ];
  // With a 30 s deadline, a query the error did not end would time out only after the test failed.
  it.each(emitted)('%s emitted on the socket rejects with %s at once', async (code, want) => {
    const { r } = await silentSetup({ timeout: 30_000 });
    onSend((socket) => process.nextTick(() => socket.emit('error', errno(code))));
    const codes = await Promise.all(Array.from({ length: 20 }, (_, i) => typedRejection(r.resolve4(`e${i}.test`))));
    expect(new Set(codes)).toEqual(new Set([want]));
  });

  it('a send that throws ERR_SOCKET_DGRAM_NOT_RUNNING (a closed socket) rejects, and the socket is never used again', async () => {
    const { r } = await silentSetup();
    const broken = new Set<dgram.Socket>();
    let reused = 0;
    onSend((socket) => {
      if (broken.has(socket)) reused++;
      broken.add(socket);
      throw Object.assign(new Error('Not running'), { code: 'ERR_SOCKET_DGRAM_NOT_RUNNING' });
    });
    const codes = await Promise.all(Array.from({ length: 50 }, (_, i) => typedRejection(r.resolve4(`n${i}.test`))));
    expect(new Set(codes)).toEqual(new Set(['ENETUNREACH']));
    expect(reused).toBe(0);
  });

  it('a socket closed underneath while sending: the real send throws, the query rejects', async () => {
    const { r } = await silentSetup();
    onSend((socket, send) => {
      socket.close();
      send();
    });
    expect(await typedRejection(r.resolve4('closed.test'))).toBe('ENETUNREACH');
  });

  it('an error after the channel broke is absorbed, and a later query gets a fresh socket', async () => {
    const { r, srv } = await silentSetup({ timeout: 50, tries: 1 });
    let first = true;
    onSend((socket, send) => {
      if (!first) return send();
      first = false;
      process.nextTick(() => {
        socket.emit('error', errno('ECONNREFUSED'));
        socket.emit('error', errno('EHOSTUNREACH'));
      });
    });
    expect(await typedRejection(r.resolve4('first.test'))).toBe('ECONNREFUSED');
    expect(await typedRejection(r.resolve4('second.test'))).toBe('ETIMEOUT');
    expect(srv.received).toBe(1);
  });

  it('a connect() that fails (an unroutable server) rejects instead of sending on an unconnected socket', async () => {
    const { r } = await silentSetup();
    vi.spyOn(dgram.Socket.prototype, 'connect').mockImplementation(function (this: dgram.Socket, ...args: unknown[]) {
      const cb = args.find((a) => typeof a === 'function') as (e: Error) => void;
      process.nextTick(() => cb(errno('EADDRNOTAVAIL')));
    } as dgram.Socket['connect']);
    expect(await typedRejection(r.resolve4('unroutable.test'))).toBe('ENETUNREACH');
  });

  it('a connect() that throws (ERR_SOCKET_BAD_PORT) rejects', async () => {
    const { r } = await silentSetup();
    vi.spyOn(dgram.Socket.prototype, 'connect').mockImplementation(() => {
      throw Object.assign(new RangeError('Port should be > 0 and < 65536.'), { code: 'ERR_SOCKET_BAD_PORT' });
    });
    expect(await typedRejection(r.resolve4('badport.test'))).toBe('ENETUNREACH');
  });

  it('EMFILE from the implicit bind of connect() (the error event, no connect callback) rejects', async () => {
    const { r } = await silentSetup();
    vi.spyOn(dgram.Socket.prototype, 'connect').mockImplementation(function (this: dgram.Socket) {
      process.nextTick(() => this.emit('error', errno('EMFILE')));
    } as dgram.Socket['connect']);
    expect(await typedRejection(r.resolve4('emfile.test'))).toBe('ENETUNREACH');
  });

  it('errors under load, with retransmissions due while the broken socket is failed, never hand it out again', async () => {
    const { r } = await silentSetup({ timeout: 10, tries: 4, udpRotateAfter: 1000 });
    const broken = new Set<dgram.Socket>();
    let reused = 0;
    let n = 0;
    onSend((socket, send) => {
      if (broken.has(socket)) reused++;
      send();
      if (++n % 7 !== 0) return;
      setImmediate(() => {
        broken.add(socket);
        socket.emit('error', errno('ECONNREFUSED'));
      });
    });
    const codes = await Promise.all(Array.from({ length: 600 }, (_, i) => typedRejection(r.resolve4(`l${i}.test`))));
    expect(new Set(codes).size).toBeGreaterThan(0);
    expect(codes.every((c) => c === 'ECONNREFUSED' || c === 'ETIMEOUT')).toBe(true);
    expect(reused).toBe(0);
  });
});

describe('real failures', () => {
  it('a closed loopback port with 800 queries in flight: every query rejects typed, nothing escapes', async () => {
    const dead = dgram.createSocket('udp4');
    await new Promise<void>((res) => dead.bind(0, '127.0.0.1', res));
    const port = dead.address().port;
    await new Promise<void>((res) => dead.close(() => res()));
    const r = new Resolver({ resolvConf: false, hostsFile: false, servers: [`127.0.0.1:${port}`], timeout: 100, tries: 3 });
    cleanups.push(() => r.close());
    const codes = await Promise.all(Array.from({ length: 800 }, (_, i) => typedRejection(r.resolve4(`c${i}.test`))));
    // The kernel rate-limits ICMP (per host, shared with whatever else runs): refused or timed out.
    expect(codes.every((c) => c === 'ECONNREFUSED' || c === 'ETIMEOUT')).toBe(true);
  });

  const canUnshare = spawnSync('unshare', ['--net', 'true']).status === 0;
  it.skipIf(!canUnshare)('an IPv6 server in a network namespace without routes rejects ECONNREFUSED, as Node (cause ENETUNREACH; unshare --net)', () => {
    const script = fileURLToPath(new URL('./unroutable.fixture.ts', import.meta.url));
    const out = spawnSync('unshare', ['--net', process.execPath, '--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    expect(out.stderr).toBe('');
    // Node's code, as Node's own resolver gives it there; the core's reason is the cause's.
    expect(JSON.parse(out.stdout)).toEqual({ code: 'ECONNREFUSED', cause: 'ENETUNREACH', syscall: 'queryA', uncaught: 0 });
  });
});

describe('bounds of the Node driver', () => {
  it('serves NODE_MAX_IN_FLIGHT queries by default; one more rejects ELIMIT; more with maxInFlight', async () => {
    const { r } = await silentSetup({ timeout: 10_000 });
    const all = Array.from({ length: NODE_MAX_IN_FLIGHT }, (_, i) => r.resolve4(`b${i}.test`).catch((e: { code: string }) => e.code));
    expect(await rejection(r.resolve4('one-more.test'))).toMatchObject({ code: 'ELIMIT', syscall: 'queryA' });
    r.cancel();
    expect(new Set(await Promise.all(all))).toEqual(new Set(['ECANCELLED']));
    const { r: big } = await silentSetup({ timeout: 10_000, maxInFlight: NODE_MAX_IN_FLIGHT + 1 });
    const two = [big.resolve4('x.test'), big.resolve4('y.test')].map((p) => p.catch((e: { code: string }) => e.code));
    big.cancel();
    expect(await Promise.all(two)).toEqual(['ECANCELLED', 'ECANCELLED']);
  });

  it('keeps at most udpMaxSockets UDP sockets open, rotation or not', async () => {
    const opened = new Set<dgram.Socket>();
    onSend((socket, send) => {
      opened.add(socket);
      send();
    });
    const { r } = await silentSetup({ udpRotateAfter: 1, udpPoolSize: 4, udpMaxSockets: 8, timeout: 10_000 });
    const all = Array.from({ length: 200 }, (_, i) => r.resolve4(`m${i}.test`).catch(() => undefined));
    await new Promise((res) => setTimeout(res, 50));
    expect(opened.size).toBeLessThanOrEqual(8);
    r.cancel();
    await Promise.all(all);
  });
});
