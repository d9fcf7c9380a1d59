/**
 * A TCP stream that loses its framing (issue 18 "Streams that never
 * recover"): a hostile server on loopback answers with a length prefix that
 * does not match its message, or with bytes that are no response. The
 * connection must be closed at once, the queries on it must fail over at
 * once (EBADRESP, not a timeout: the deadline is 20 s), and the next query
 * must get a fresh connection that works.
 */
import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import packet from 'dns-packet';
import { NodeResolver as Resolver } from '../../../../src/node.js';
import { rejection } from '../../../helpers/rejection.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** What the server writes for one query: the framed bytes (a correct frame by default). */
type Framer = (answer: Buffer, query: Buffer, nth: number) => Buffer;

const frame = (m: Buffer, prefix = m.length): Buffer => Buffer.concat([Buffer.from([prefix >> 8, prefix & 255]), m]);
const correct: Framer = (answer) => frame(answer);

function answerTo(query: Buffer): Buffer {
  const q = packet.decode(query);
  const name = q.questions?.[0]?.name as string;
  return packet.encode({
    id: q.id, type: 'response', flags: packet.RECURSION_DESIRED, questions: q.questions,
    answers: [{ name, type: 'A', ttl: 60, class: 'IN', data: '192.0.2.7' }],
  });
}

/**
 * A TCP DNS server on loopback: reads well-framed queries, and answers the
 * `badAt`th query it receives (over all connections) as `bad` says, the
 * others correctly. On its first connection it answers only once `hold`
 * queries are in, in order. With `trickle`, every answer is written one
 * byte per turn.
 */
async function hostile(bad: Framer, badAt = 0, hold = 1, trickle = false) {
  const state = { connections: 0, queries: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    const first = ++state.connections === 1;
    sockets.add(sock);
    sock.setNoDelay(true);
    sock.on('error', () => undefined);
    sock.on('close', () => sockets.delete(sock));
    let buf = Buffer.alloc(0);
    const held: Buffer[] = [];
    let writing = Promise.resolve();
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const query = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + query.length);
        const nth = state.queries++;
        held.push((nth === badAt ? bad : correct)(answerTo(query), query, nth));
        if (held.length >= hold || !first) {
          for (const out of held.splice(0)) writing = writing.then(() => write(sock, out, trickle));
        }
      }
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as net.AddressInfo).port;
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((res) => server.close(() => res()));
  });
  // A query the broken stream did not fail over would end ETIMEOUT after 20 s, past the test's own limit.
  const r = new Resolver({ resolvConf: false, hostsFile: false, servers: [`tcp://127.0.0.1:${port}`], timeout: 20_000, tries: 1 });
  cleanups.push(() => r.close());
  return { r, state };
}

async function write(sock: net.Socket, out: Buffer, trickle: boolean): Promise<void> {
  if (!trickle) return void sock.write(out);
  for (let i = 0; i < out.length && !sock.destroyed; i++) {
    sock.write(out.subarray(i, i + 1));
    await new Promise((res) => setImmediate(res));
  }
}

const cases: [string, Framer][] = [
  ['a prefix longer than the message (and more bytes behind it)', (a) => Buffer.concat([frame(a, a.length + 5), Buffer.alloc(5, 0xab)])],
  ['a prefix shorter than the message', (a) => frame(a, a.length - 10)],
  ['a prefix shorter than a header', (a) => frame(a.subarray(0, 4))],
  ['a frame that is no response (the query echoed)', (_a, q) => frame(q)],
  ['a prefix of 60,000 in front of bytes that are no response header', (_a, q) => frame(q.subarray(0, 12), 60_000)],
  ['garbage', () => Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')],
];

describe('a TCP stream out of step is closed and replaced at once', () => {
  it.each(cases)('%s: the query fails over at once, the next one gets a new connection', async (_name, bad) => {
    const { r, state } = await hostile(bad);
    expect(await rejection(r.resolve4('first.test'))).toMatchObject({ code: 'EBADRESP', syscall: 'queryA' });
    expect(await r.resolve4('second.test')).toEqual(['192.0.2.7']);
    expect(await r.resolve4('third.test')).toEqual(['192.0.2.7']);
    expect(state.connections).toBe(2);
    expect(r.stats.answered).toBe(2);
  });

  it('every query pipelined on the broken connection fails over; later ones work', async () => {
    const { r, state } = await hostile((a) => frame(a, a.length + 3), 0, 3);
    const first = await Promise.all(['a', 'b', 'c'].map((n) => rejection(r.resolve4(`${n}.test`))));
    expect(first.map((e) => e.code)).toEqual(['EBADRESP', 'EBADRESP', 'EBADRESP']);
    expect(await Promise.all(['d', 'e'].map((n) => r.resolve4(`${n}.test`)))).toEqual([['192.0.2.7'], ['192.0.2.7']]);
    expect(state.connections).toBe(2);
  });

  it('answers trickled one byte at a time are read whole, and pipelined ones too', async () => {
    const { r, state } = await hostile(correct, -1, 1, true);
    expect(await r.resolve4('whole.test')).toEqual(['192.0.2.7']);
    expect(await Promise.all(['x', 'y', 'z'].map((n) => r.resolve4(`${n}.test`)))).toEqual([['192.0.2.7'], ['192.0.2.7'], ['192.0.2.7']]);
    expect(state.connections).toBe(1);
  });
});
