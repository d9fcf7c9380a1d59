/**
 * Tiny UDP servers on 127.0.0.1 for what a real authoritative server will
 * not send on demand: any rcode, EDNS options (NSID, EDE, padding, ...),
 * records of unknown types, silence, and a closed port. Each answers from
 * the query's own bytes (ID, RD, question echoed), so dig and sansdns can
 * ask the same server and compare what they print.
 */
import dgram from 'node:dgram';

/** A running fake server. */
export interface FakeServer {
  readonly port: number;
  /** Queries received. */
  readonly received: () => number;
  close(): Promise<void>;
}

/** The query's parts a fake answer is made from. */
export interface QueryView {
  readonly id: Buffer;
  readonly rd: boolean;
  /** The question, wire format (name, type, class). */
  readonly question: Buffer;
  /** The first label of the name, lower case. */
  readonly label: string;
  /** True when the query has records in its additional section (an OPT). */
  readonly edns: boolean;
}

/** Read what a fake needs of a query, or `undefined` for garbage. */
export function viewQuery(q: Buffer): QueryView | undefined {
  if (q.length < 12) return undefined;
  let i = 12;
  while (i < q.length && q[i] !== 0) i += 1 + (q[i] as number);
  if (i + 5 > q.length) return undefined;
  const first = q[12] ?? 0;
  return {
    id: q.subarray(0, 2), rd: ((q[2] ?? 0) & 1) !== 0, question: q.subarray(12, i + 5),
    label: q.subarray(13, 13 + first).toString('latin1').toLowerCase(), edns: q.readUInt16BE(10) > 0,
  };
}

/** An OPT record: payload 1232, the extended rcode bits, DO, options. */
export function opt(rcode = 0, options: Buffer = Buffer.alloc(0), dnssecOk = false): Buffer {
  const head = Buffer.alloc(11);
  head.writeUInt16BE(41, 1);
  head.writeUInt16BE(1232, 3);
  head[5] = rcode >> 4;
  head.writeUInt16BE(dnssecOk ? 0x8000 : 0, 7);
  head.writeUInt16BE(options.length, 9);
  return Buffer.concat([head, options]);
}

/** One EDNS option. */
export function option(code: number, data: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(code, 0);
  head.writeUInt16BE(data.length, 2);
  return Buffer.concat([head, data]);
}

/** A record owned by the question's name (a compression pointer to it). */
export function record(type: number, data: Buffer, ttl = 300, klass = 1): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt16BE(klass, 4);
  head.writeUInt32BE(ttl, 6);
  head.writeUInt16BE(data.length, 10);
  return Buffer.concat([head, data]);
}

/** A response: flags QR (+AA, RD as asked), the rcode's low bits, the question, answers, additional records. */
export function response(q: QueryView, rcode: number, answers: readonly Buffer[], additional: readonly Buffer[], aa = true): Buffer {
  const h = Buffer.alloc(12);
  q.id.copy(h, 0);
  h.writeUInt16BE(0x8000 | (aa ? 0x0400 : 0) | (q.rd ? 0x0100 : 0) | (rcode & 15), 2);
  h.writeUInt16BE(1, 4);
  h.writeUInt16BE(answers.length, 6);
  h.writeUInt16BE(additional.length, 10);
  return Buffer.concat([h, q.question, ...answers, ...additional]);
}

/** Start a UDP server answering with `answer` (no reply when it gives `undefined`; later when it gives a promise). */
export async function startFake(answer: (q: QueryView) => Buffer | undefined | Promise<Buffer | undefined>): Promise<FakeServer> {
  const socket = dgram.createSocket('udp4');
  let received = 0;
  socket.on('message', (msg, from) => {
    received++;
    const q = viewQuery(msg);
    const reply = q === undefined ? undefined : answer(q);
    const send = (r: Buffer | undefined): void => {
      if (r !== undefined) socket.send(r, from.port, from.address);
    };
    if (reply instanceof Promise) void reply.then(send);
    else send(reply);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    received: () => received,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** The rcode named by the first label (`r5.test` → REFUSED), with the extended bits in an OPT. */
export const rcodeAnswer = (q: QueryView): Buffer => {
  const rcode = Number(/^r(\d+)$/.exec(q.label)?.[1] ?? '0');
  return response(q, rcode, [], [opt(rcode)]);
};

/** NOERROR, no answer, and an OPT with NSID, two EDEs, padding, an unknown option and TCP keepalive. */
export const optionsAnswer = (q: QueryView): Buffer => {
  const u16 = (n: number): Buffer => Buffer.from([n >> 8, n & 255]);
  const options = Buffer.concat([
    option(3, Buffer.from('ns1.test')), option(15, Buffer.concat([u16(18), Buffer.from('blocked here')])), option(15, u16(3)),
    option(12, Buffer.alloc(3)), option(65001, Buffer.from([1, 2, 0x41, 0x42])), option(11, u16(300)),
  ]);
  return response(q, 0, [], [opt(0, options, true)]);
};

/** Records of a type no one knows (TYPE65400, short, long and empty), SPF, and a TTL of 2^31-1. */
export const unknownTypesAnswer = (q: QueryView): Buffer => response(q, 0, [
  record(65400, Buffer.from([0xde, 0xad, 0xbe, 0xef])),
  record(65400, Buffer.from(Array.from({ length: 60 }, (_, i) => i))),
  record(65400, Buffer.alloc(0)),
  record(99, Buffer.concat([Buffer.from([11]), Buffer.from('v=spf1 -all')])),
  record(1, Buffer.from([1, 2, 3, 4]), 2 ** 31 - 1),
], [opt()]);

/** A port nothing listens on (bound, then closed: ICMP port unreachable, "connection refused"). */
export async function closedPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** The answerer of {@link startWorkerAnswerer}, as plain JavaScript for a worker thread. */
const WORKER_SOURCE = `
const dgram = require('node:dgram');
const { parentPort } = require('node:worker_threads');
const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 << 20 });
const a = Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 192, 0, 2, 1]);
const opt = Buffer.from([0, 0, 41, 4, 208, 0, 0, 0, 0, 0, 0]);
socket.on('message', (q, from) => {
  if (q.length < 12) return;
  let i = 12;
  while (i < q.length && q[i] !== 0) i += 1 + q[i];
  if (i + 5 > q.length) return;
  const edns = q.readUInt16BE(10) > 0;
  const head = Buffer.from(q.subarray(0, 12));
  head.writeUInt16BE(0x8400 | (q[2] & 1) << 8, 2);
  head.writeUInt16BE(1, 6);
  head.writeUInt16BE(0, 8);
  head.writeUInt16BE(edns ? 1 : 0, 10);
  socket.send(Buffer.concat(edns ? [head, q.subarray(12, i + 5), a, opt] : [head, q.subarray(12, i + 5), a]), from.port, from.address);
});
socket.bind(0, '127.0.0.1', () => parentPort.postMessage(socket.address().port));
parentPort.on('message', () => socket.close(() => process.exit(0)));
`;

/** A server in a worker thread (so it has a core of its own) answering every A question with 192.0.2.1, TTL 300. */
export async function startWorkerAnswerer(): Promise<{ readonly port: number; close(): Promise<void> }> {
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    port,
    close: async () => {
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}
