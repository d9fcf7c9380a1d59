/**
 * A ConnectionPair-style helper for core tests: a Resolver on a manual clock
 * with a deterministic random source, plus helpers that answer its transmits
 * the way a server would (through the validated encoder).
 */
import { Resolver, type Endpoint, type Output, type ResolverEvent, type ResolverOptions, type Transmit } from '../../src/index.js';
import { encodeMessage, type DnsRecord, type Message } from '../../src/codec.js';
import { decode } from './decode.js';

/** xorshift32 filling bytes: deterministic and good enough for tests. */
export function testRandom(seed = 1): (bytes: Uint8Array) => void {
  let x = seed >>> 0 || 1;
  return (bytes) => {
    for (let i = 0; i < bytes.length; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      bytes[i] = x & 0xff;
    }
  };
}

export const A: Endpoint = { transport: 'udp', address: '192.0.2.1', port: 53 };
export const B: Endpoint = { transport: 'udp', address: '192.0.2.2', port: 53 };

export function makeResolver(options: Partial<ResolverOptions> = {}): Resolver {
  return new Resolver({ servers: ['192.0.2.1', '192.0.2.2'], random: testRandom(), ...options });
}

export { decode };

export interface ReplyOptions {
  rcode?: number | undefined;
  answers?: DnsRecord[] | undefined;
  authorities?: DnsRecord[] | undefined;
  tc?: boolean | undefined;
  id?: number | undefined;
  qr?: boolean | undefined;
  questionName?: string | undefined;
  questions?: boolean | undefined;
  edns?: boolean | undefined;
}

/** The bytes a server would send back to `t`. */
export function reply(t: Transmit, o: ReplyOptions = {}): Uint8Array {
  const q = decode(t.data);
  const question = q.questions[0]!;
  return encodeMessage({
    id: o.id ?? q.id,
    opcode: 0,
    rcode: o.rcode ?? 0,
    flags: { qr: o.qr ?? true, aa: true, tc: o.tc ?? false, rd: q.flags.rd, ra: false, ad: false, cd: false },
    questions: o.questions === false ? [] : [{ ...question, name: o.questionName ?? question.name }],
    answers: o.answers ?? [{ name: question.name, type: 'A', class: 1, ttl: 300, data: '192.0.2.80' }],
    authorities: o.authorities ?? [],
    additionals: [],
    edns: o.edns === false || q.edns === undefined ? undefined : { payload: 1232, version: 0, do: false, options: [] },
  });
}

/** Collect final events of an Output. */
export function finals(out: Output): Exclude<ResolverEvent, { kind: 'trace' }>[] {
  return out.events.filter((e): e is Exclude<ResolverEvent, { kind: 'trace' }> => e.kind !== 'trace');
}
