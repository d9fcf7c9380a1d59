/**
 * A small hostile DNS server on loopback for the differential tests: it
 * answers each question by the first label of its name with one kind of
 * broken, odd or plain answer (see {@link BEHAVIOURS}), over UDP, and over
 * TCP when asked to listen there too. It records every query it receives,
 * so a test can see what each resolver sent (EDNS, cookies, retries).
 * It imports nothing from `src/`: messages are built by hand here.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { listenTcp } from '../../../src/cli/loopback-server.js';

/** A parsed query: enough to answer it. */
export interface Query {
  readonly raw: Buffer;
  readonly id: number;
  /** First label, lower-cased: the behaviour. */
  readonly label: string;
  /** The whole name, dotted and lower-cased, without the root's dot. */
  readonly name: string;
  /** The question section's bytes (name, type, class). */
  readonly question: Buffer;
  readonly qtype: number;
  /** Whether an OPT record (EDNS, RFC 6891) came with it. */
  readonly edns: boolean;
  /** Whether the OPT record carries a COOKIE option (RFC 7873, option 10). */
  readonly cookie: boolean;
  readonly transport: 'udp' | 'tcp';
}

/** Parse a query; `undefined` for anything that is not one question. */
export function parseQuery(raw: Buffer, transport: 'udp' | 'tcp'): Query | undefined {
  if (raw.length < 17 || raw.readUInt16BE(4) !== 1) return undefined;
  let i = 12;
  const labels: string[] = [];
  while (i < raw.length && raw[i] !== 0) {
    labels.push(raw.subarray(i + 1, i + 1 + (raw[i] as number)).toString('latin1').toLowerCase());
    i += (raw[i] as number) + 1;
  }
  if (i + 5 > raw.length) return undefined;
  const question = raw.subarray(12, i + 5);
  const rest = raw.subarray(i + 5);
  const edns = raw.readUInt16BE(10) > 0 && rest.length >= 11 && rest[0] === 0 && rest.readUInt16BE(1) === 41;
  const cookie = edns && optionCodes(rest.subarray(11)).includes(10);
  return { raw, id: raw.readUInt16BE(0), label: labels[0] ?? '', name: labels.join('.'), question, qtype: raw.readUInt16BE(i + 1), edns, cookie, transport };
}

function optionCodes(rdata: Buffer): number[] {
  const codes: number[] = [];
  for (let j = 0; j + 4 <= rdata.length; j += 4 + rdata.readUInt16BE(j + 2)) codes.push(rdata.readUInt16BE(j));
  return codes;
}

const u16 = (n: number): Buffer => Buffer.from([n >> 8, n & 0xff]);
const u32 = (n: number): Buffer => Buffer.from([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
/** A record whose owner is a pointer to the question name (offset 12). */
export const rr = (type: number, ttl: number, rdata: Buffer, owner: Buffer = Buffer.from([0xc0, 12])): Buffer =>
  Buffer.concat([owner, u16(type), u16(1), u32(ttl), u16(rdata.length), rdata]);
const name = (text: string): Buffer =>
  Buffer.concat([...text.split('.').filter((l) => l !== '').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])), Buffer.from([0])]);

/** A reply to `q`: QR, RD copied, RA; `rcode`; the given sections (raw records) and counts. */
export function reply(q: Query, opts: { rcode?: number; answers?: Buffer[]; authority?: Buffer[]; flags?: number; counts?: number[] } = {}): Buffer {
  const answers = opts.answers ?? [];
  const authority = opts.authority ?? [];
  const flags = opts.flags ?? (0x8000 | 0x0400 | ((q.raw[2] as number) & 1) << 8 | 0x80 | (opts.rcode ?? 0));
  const [qd, an, ns] = opts.counts ?? [1, answers.length, authority.length];
  const header = Buffer.concat([u16(q.id), u16(flags), u16(qd ?? 1), u16(an ?? 0), u16(ns ?? 0), u16(0)]);
  return Buffer.concat([header, q.question, ...answers, ...authority]);
}

const A = (ip: string): Buffer => Buffer.from(ip.split('.').map(Number));
const SOA = rr(6, 60, Buffer.concat([name('ns.hostile.test'), name('h.hostile.test'), u32(1), u32(60), u32(60), u32(60), u32(60)]));
const txt = (...s: string[]): Buffer => Buffer.concat(s.map((x) => Buffer.concat([Buffer.from([x.length]), Buffer.from(x, 'latin1')])));

/** What the server sends for a query: zero, one or several datagrams. */
type Behaviour = (q: Query) => Buffer[];
const one = (f: (q: Query) => Buffer): Behaviour => (q) => [f(q)];
const plain = (q: Query): Buffer => reply(q, { answers: [rr(1, 60, A('192.0.2.1'))] });

/** IPv6 addresses whose text forms differ between writers (RFC 5952 vs inet_ntop's IPv4 forms). */
const V6_FORMS = [
  '00000000000000000000000000000002', '00000000000000000000000000000001', '00000000000000000000000000000000',
  '00000000000000000000ffff01020304', '00000000000000000000000100000053', '000000000000000000000000ffff0001',
  '00000000000000000001000000000000', '20010db8000000010000000000000000', '00000000000000000000fffe01020304',
  '00000000000000000000ffff00000000', '0000000000000000ffff000001020304', '20010db8000000000001000000000001',
  '00000000000000000000000001020304', '00000000000000000000000000010000', '0000000000000000000000000000ffff',
].map((hex) => rr(28, 60, Buffer.from(hex, 'hex')));

/**
 * A name whose labels hold the bytes `from` .. `from + count - 1` (what every
 * escape rule meets). Kept short enough that its escaped text stays within
 * 255 characters, which c-ares requires (beyond, it fails EFORMERR).
 */
function byteName(from: number, count: number): Buffer {
  const bytes = Array.from({ length: count }, (_, i) => from + i);
  const labels = [bytes.slice(0, 63), bytes.slice(63, 126), bytes.slice(126)].filter((l) => l.length > 0);
  return Buffer.concat([...labels.map((l) => Buffer.from([l.length, ...l])), name('bytes.test')]);
}

/** Queries seen so far per name, for `drop4`. */
const asked = new Map<string, number>();

/** Each behaviour by the first label of the question name. */
export const BEHAVIOURS: Readonly<Record<string, Behaviour>> = {
  ok: one(plain),
  silent: () => [],
  /** The first four queries of a name (Node's default tries) unanswered, then answers: loss a schedule has to outlast. */
  drop4: (q) => {
    const n = (asked.get(q.name) ?? 0) + 1;
    asked.set(q.name, n);
    return n > 4 ? [plain(q)] : [];
  },
  garbage: () => [Buffer.alloc(40, 0xff)],
  short: one((q) => plain(q).subarray(0, 11)),
  wrongid: one((q) => { const b = plain(q); b.writeUInt16BE(q.id ^ 0x5a5a, 0); return b; }),
  wrongname: one((q) => { const b = plain(q); b[13] = (b[13] as number) ^ 0x01; return b; }),
  qr0: one((q) => { const b = plain(q); b[2] = (b[2] as number) & 0x7f; return b; }),
  noquestion: one((q) => Buffer.concat([u16(q.id), u16(0x8580), u16(0), u16(1), u16(0), u16(0), rr(1, 60, A('192.0.2.1'), name('noquestion.hostile.test'))])),
  formerr: one((q) => reply(q, { rcode: 1 })),
  servfail: one((q) => reply(q, { rcode: 2 })),
  nxdomain: one((q) => reply(q, { rcode: 3, authority: [SOA] })),
  notimp: one((q) => reply(q, { rcode: 4 })),
  refused: one((q) => reply(q, { rcode: 5 })),
  yxdomain: one((q) => reply(q, { rcode: 6 })),
  notauth: one((q) => reply(q, { rcode: 9 })),
  nodata: one((q) => reply(q, { authority: [SOA] })),
  empty: one((q) => reply(q)),
  badrdlen: one((q) => reply(q, { answers: [rr(1, 60, Buffer.from([192, 0, 2, 1, 7]))] })),
  rdlenover: one((q) => reply(q, { answers: [rr(1, 60, A('192.0.2.1'))] }).subarray(0, -2)),
  ancountover: one((q) => reply(q, { answers: [rr(1, 60, A('192.0.2.1'))], counts: [1, 3, 0] })),
  ptrloop: one((q) => { const at = 12 + q.question.length; return reply(q, { answers: [rr(1, 60, A('192.0.2.1'), Buffer.from([0xc0 | (at >> 8), at & 0xff]))] }); }),
  ptrforward: one((q) => reply(q, { answers: [rr(1, 60, A('192.0.2.1'), Buffer.from([0xc0, 0xff]))] })),
  wrongtype: one((q) => reply(q, { answers: [rr(16, 60, txt('not an address'))] })),
  othername: one((q) => reply(q, { answers: [rr(1, 60, A('192.0.2.1'), name('elsewhere.hostile.test'))] })),
  dupes: one((q) => reply(q, { answers: [rr(1, 60, A('192.0.2.1')), rr(1, 60, A('192.0.2.1'))] })),
  cnameloop: one((q) => reply(q, { answers: [rr(5, 60, name('b.hostile.test')), rr(5, 60, Buffer.from([0xc0, 12]), name('b.hostile.test'))] })),
  negttl: one((q) => reply(q, { answers: [rr(1, 0x80000005, A('192.0.2.1'))] })),
  trailing: one((q) => Buffer.concat([plain(q), Buffer.alloc(10, 0xab)])),
  upper: one((q) => { const b = plain(q); b.write(b.subarray(12, 12 + q.question.length).toString('latin1').toUpperCase(), 12, 'latin1'); return b; }),
  garbagefirst: (q) => [Buffer.alloc(30, 0xee), plain(q)],
  spooffirst: (q) => { const b = plain(q); b.writeUInt16BE(q.id ^ 1, 0); return [b, plain(q)]; },
  twice: (q) => [plain(q), plain(q)],
  tc: one((q) => (q.transport === 'udp' ? reply(q, { flags: 0x8000 | 0x0400 | 0x0200 | 0x0100 | 0x80 }) : plain(q))),
  tcclose: one((q) => (q.transport === 'udp' ? reply(q, { flags: 0x8000 | 0x0400 | 0x0200 | 0x0100 | 0x80 }) : Buffer.alloc(0))),
  ednsformerr: one((q) => (q.edns ? reply(q, { rcode: 1 }) : plain(q))),
  aaaashort: one((q) => reply(q, { answers: [rr(28, 60, A('192.0.2.1'))] })),
  txtover: one((q) => reply(q, { answers: [rr(16, 60, Buffer.from([20, 0x61, 0x62]))] })),
  mxshort: one((q) => reply(q, { answers: [rr(15, 60, u16(10))] })),
  srvshort: one((q) => reply(q, { answers: [rr(33, 60, Buffer.concat([u16(1), u16(2)]))] })),
  soashort: one((q) => reply(q, { answers: [rr(6, 60, name('ns.hostile.test'))] })),
  caabad: one((q) => reply(q, { answers: [rr(257, 60, Buffer.from([0, 30, 0x69, 0x73]))] })),
  naptrbad: one((q) => reply(q, { answers: [rr(35, 60, Buffer.concat([u16(1), u16(2), Buffer.from([9, 0x55])]))] })),
  longlabel: one((q) => reply(q, { answers: [rr(5, 60, Buffer.concat([Buffer.from([0x45]), Buffer.alloc(0x45, 0x61), Buffer.from([0])]))] })),
  /** The HTTP clients' host: 127.0.0.2 (a loopback address no default resolves to), no AAAA. */
  web: one((q) => (q.qtype === 1 ? reply(q, { answers: [rr(1, 60, A('127.0.0.2'))] }) : reply(q, { authority: [SOA] }))),
  v6forms: one((q) => reply(q, { answers: V6_FORMS })),
  lowbytes: one((q) => reply(q, { answers: [rr(q.qtype === 12 ? 12 : 5, 60, byteName(0, 128))] })),
  bytes80: one((q) => reply(q, { answers: [rr(q.qtype === 12 ? 12 : 5, 60, byteName(0x80, 60))] })),
  bytesbc: one((q) => reply(q, { answers: [rr(q.qtype === 12 ? 12 : 5, 60, byteName(0xbc, 60))] })),
  bytesf8: one((q) => reply(q, { answers: [rr(q.qtype === 12 ? 12 : 5, 60, byteName(0xf8, 8))] })),
  naptresc: one((q) => reply(q, { answers: [rr(35, 60, Buffer.concat([u16(100), u16(10), txt('U', 'E2U+sip', '!^(.*)$!sip:\\1@x"y!'), name('.')]))] })),
  naptrhigh: one((q) => reply(q, { answers: [rr(35, 60, Buffer.concat([u16(100), u16(10), txt('U', 'E2U+sip', '!^.*$!sip:\u00e9@x!'), name('.')]))] })),
  caaesc: one((q) => reply(q, { answers: [rr(257, 60, Buffer.concat([Buffer.from([0, 5]), Buffer.from('issue', 'latin1'), Buffer.from('ca\\x;\u00ff"z', 'latin1')]))] })),
  binarytxt: one((q) => reply(q, { answers: [rr(16, 60, Buffer.from([4, 0x00, 0x7f, 0xc3, 0xff]))] })),
};

export interface HostileServer {
  readonly address: '127.0.0.1';
  readonly port: number;
  /** Every query received so far, in order. */
  readonly queries: Query[];
  /** The queries whose behaviour label is `label`. */
  received(label: string): Query[];
  stop(): Promise<void>;
}

function answer(raw: Buffer, transport: 'udp' | 'tcp', seen: Query[]): Buffer[] {
  const q = parseQuery(raw, transport);
  if (q === undefined) return [];
  seen.push(q);
  return (BEHAVIOURS[q.label] ?? BEHAVIOURS['ok'] as Behaviour)(q);
}

function serveTcp(socket: net.Socket, seen: Query[]): void {
  let buf = Buffer.alloc(0);
  socket.on('error', () => socket.destroy());
  socket.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
      buf = buf.subarray(2 + msg.length);
      for (const out of answer(msg, 'tcp', seen)) {
        if (out.length === 0) socket.destroy();
        else socket.write(Buffer.concat([u16(out.length), out]));
      }
    }
  });
}

/** Start the server on a free loopback port (UDP; and TCP on the same port when `tcp`). */
export async function startHostileServer(opts: { tcp?: boolean } = {}): Promise<HostileServer> {
  const queries: Query[] = [];
  const udp = dgram.createSocket('udp4');
  udp.on('message', (m, peer) => {
    for (const out of answer(m, 'udp', queries)) udp.send(out, peer.port, peer.address);
  });
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(0, '127.0.0.1', () => resolve());
  });
  const port = udp.address().port;
  let tcp: net.Server | undefined;
  if (opts.tcp === true) {
    const server = net.createServer((s) => serveTcp(s, queries));
    tcp = server;
    // The UDP port's number may be taken for TCP (another test's connection): then start again elsewhere.
    if (!(await listenTcp(server, '127.0.0.1', port))) {
      udp.close();
      return startHostileServer(opts);
    }
  }
  return {
    address: '127.0.0.1', port, queries,
    received: (label) => queries.filter((q) => q.label === label),
    stop: async () => {
      udp.close();
      if (tcp !== undefined) await new Promise((r) => tcp.close(r));
    },
  };
}
