/**
 * Hostile replies through the whole Node API: a loopback UDP server answers
 * every `resolve*` of `NodeResolver` with a well-formed reply for the type
 * asked (a CNAME and the type's records), then mutates it past the question:
 * bit flips, overwritten bytes, forged compression pointers, truncation,
 * sometimes in the header's flags and counts too. The mutation is drawn from
 * a seeded generator, so a failing seed replays. Every call must settle: with
 * a value of the shape Node documents for that method, or with an `Error`
 * carrying one of the query error codes, as Node's resolver rejects. Nothing may escape as an uncaught
 * exception or an unhandled rejection (vitest fails the run on either).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import packet from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeResolver } from '../../src/node.js';

const QUERY_CODES = new Set(['ETIMEOUT', 'ESERVFAIL', 'EREFUSED', 'EBADRESP', 'EFORMERR', 'ENOTIMP', 'ECONNREFUSED', 'ENOTFOUND', 'ENODATA', 'ECONNRESET']);
const TYPES = ['A', 'AAAA', 'MX', 'TXT', 'SRV', 'NAPTR', 'SOA', 'CAA', 'PTR', 'NS', 'CNAME', 'ANY'] as const;
type Type = (typeof TYPES)[number];

/** A 32-bit LCG: the mutation of each reply, from the seed of the run and the reply's name. */
function generator(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

/** The honest answer section for `name`/`type`: a CNAME to `alias.name`, then the alias's records. */
function answersFor(name: string, type: string): packet.Answer[] {
  const alias = `alias.${name}`;
  const cname = { name, type: 'CNAME', ttl: 60, data: alias } as packet.Answer;
  const records: Record<string, packet.Answer[]> = {
    A: [{ name: alias, type: 'A', ttl: 60, data: '192.0.2.1' }, { name: alias, type: 'A', ttl: 60, data: '192.0.2.2' }],
    AAAA: [{ name: alias, type: 'AAAA', ttl: 60, data: '2001:db8::1' }],
    MX: [{ name: alias, type: 'MX', ttl: 60, data: { preference: 10, exchange: 'mx.example.test' } }],
    TXT: [{ name: alias, type: 'TXT', ttl: 60, data: ['hello', 'world'] }],
    SRV: [{ name: alias, type: 'SRV', ttl: 60, data: { priority: 1, weight: 2, port: 443, target: 't.example.test' } }],
    NAPTR: [{ name: alias, type: 'NAPTR', ttl: 60, data: { order: 1, preference: 2, flags: 'S', services: 'SIP+D2U', regexp: '', replacement: '_sip._udp.example.test' } } as never],
    SOA: [{ name: alias, type: 'SOA', ttl: 60, data: { mname: 'ns.example.test', rname: 'h.example.test', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 } }],
    CAA: [{ name: alias, type: 'CAA', ttl: 60, data: { flags: 0, tag: 'issue', value: 'ca.example' } }],
    PTR: [{ name: alias, type: 'PTR', ttl: 60, data: 'p.example.test' }],
    NS: [{ name: alias, type: 'NS', ttl: 60, data: 'ns1.example.test' }],
  };
  if (type === 'CNAME') return [cname];
  if (type === 'ANY') return [cname, ...records.A!, ...records.MX!, ...records.TXT!, ...records.SOA!, ...records.CAA!];
  return [cname, ...records[type]!];
}

/** `b` mutated past `from` (or, one time in four, past the ID) by `rnd`. */
function mutate(b: Buffer, from: number, rnd: (n: number) => number): Buffer {
  const start = rnd(4) === 0 ? 2 : from;
  if (b.length <= start) return b;
  const kind = rnd(6);
  if (kind === 0) return b.subarray(0, start + rnd(b.length - start));
  for (let i = 1 + rnd(6); i > 0; i--) {
    const at = start + rnd(b.length - start);
    if (kind <= 2) b[at] = b[at]! ^ (1 << rnd(8));
    else if (kind === 3) b[at] = rnd(256);
    else if (kind === 4) b[at] = 0xc0 | rnd(4);
    else b[at] = [0, 0xff, 0x3f, 0x40, 0xc0][rnd(5)]!;
  }
  return b;
}

/** What Node documents each method to fulfil with; false for anything else. */
function shaped(type: Type, v: unknown): boolean {
  const strings = (x: unknown): boolean => Array.isArray(x) && x.every((s) => typeof s === 'string');
  const objects = (x: unknown, keys: Record<string, 'string' | 'number'>): boolean =>
    Array.isArray(x) && x.every((o) => typeof o === 'object' && o !== null && Object.entries(keys).every(([k, t]) => typeof (o as Record<string, unknown>)[k] === t));
  switch (type) {
    case 'A': return Array.isArray(v) && v.every((a) => net.isIPv4(a as string));
    case 'AAAA': return Array.isArray(v) && v.every((a) => net.isIPv6(a as string));
    case 'MX': return objects(v, { priority: 'number', exchange: 'string' });
    case 'TXT': return Array.isArray(v) && v.every(strings);
    case 'SRV': return objects(v, { priority: 'number', weight: 'number', port: 'number', name: 'string' });
    case 'NAPTR': return objects(v, { flags: 'string', service: 'string', regexp: 'string', replacement: 'string', order: 'number', preference: 'number' });
    case 'SOA': return objects([v], { nsname: 'string', hostmaster: 'string', serial: 'number', refresh: 'number', retry: 'number', expire: 'number', minttl: 'number' });
    case 'CAA': return objects(v, { critical: 'number' });
    case 'ANY': return objects(v, { type: 'string' });
    default: return strings(v);
  }
}

const METHOD: Record<Type, string> = {
  A: 'resolve4', AAAA: 'resolve6', MX: 'resolveMx', TXT: 'resolveTxt', SRV: 'resolveSrv', NAPTR: 'resolveNaptr',
  SOA: 'resolveSoa', CAA: 'resolveCaa', PTR: 'resolvePtr', NS: 'resolveNs', CNAME: 'resolveCname', ANY: 'resolveAny',
};

describe('hostile replies through NodeResolver', () => {
  let server: dgram.Socket;
  let seed = 0;
  beforeAll(async () => {
    server = dgram.createSocket('udp4');
    server.on('message', (msg, rinfo) => {
      let q: packet.Packet;
      try {
        q = packet.decode(msg);
      } catch {
        return;
      }
      const question = q.questions![0]!;
      const edns = (q.additionals ?? []).some((a) => a.type === 'OPT');
      const reply = Buffer.from(packet.encode({
        id: q.id, type: 'response', flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE, questions: [question],
        answers: answersFor(question.name, question.type), additionals: edns ? [{ type: 'OPT', name: '.', udpPayloadSize: 1232 } as never] : [],
      }));
      // The same name gets the same mutation however often it is asked (retries, 0x20 fallbacks).
      let h = seed;
      for (const c of question.name.toLowerCase()) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
      const questionEnd = 12 + msg.subarray(12).indexOf(0) + 5;
      server.send(mutate(reply, questionEnd, generator(h)), rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
  });
  afterAll(() => server.close());

  for (const runSeed of [1, 2, 3]) {
    it(`seed ${runSeed}: 1,200 calls, each settles with Node's shape or an Error with a query code`, async () => {
      seed = runSeed;
      const r = new NodeResolver({ servers: [`127.0.0.1:${server.address().port}`], timeout: 1500, tries: 1, cache: false });
      const settled = { fulfilled: 0, rejected: 0 };
      const wrong: string[] = [];
      const codes = new Map<string, number>();
      let next = 0;
      // 50 in flight, as a client would: a burst of 1,200 would overflow the server's socket buffer.
      const worker = async (): Promise<void> => {
        for (let k = next++; k < 1200; k = next++) {
          const type = TYPES[k % TYPES.length]!;
          const name = `n${k}.example.test`;
          const method = (r as unknown as Record<string, (n: string) => Promise<unknown>>)[METHOD[type]]!;
          try {
            const v = await method.call(r, name);
            settled.fulfilled++;
            if (!shaped(type, v)) wrong.push(`${type} ${name}: ${JSON.stringify(v)}`);
          } catch (e) {
            settled.rejected++;
            const code = (e as { code?: string }).code ?? '';
            codes.set(code, (codes.get(code) ?? 0) + 1);
            if (!(e instanceof Error) || !QUERY_CODES.has(code)) wrong.push(`${type} ${name}: ${String(e)} ${code}`);
          }
        }
      };
      await Promise.all(Array.from({ length: 50 }, worker));
      r.close();
      expect(wrong).toEqual([]);
      expect(settled.fulfilled + settled.rejected).toBe(1200);
      // The mutations reach the decoder: some replies survive them, many are refused.
      expect(settled.fulfilled).toBeGreaterThan(150);
      expect(codes.get('EBADRESP') ?? 0).toBeGreaterThan(150);
      expect(r.stats.dropped.malformed).toBeGreaterThan(200);
    }, 60_000);
  }
});
