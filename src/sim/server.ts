/**
 * An authoritative name server on the simulated network, sans-IO: it takes
 * query datagrams with `handle(now, delivery)` and hands replies out with
 * `poll(now)` at or after its `deadline()`. It answers from {@link Zone}s,
 * speaks EDNS (RFC 6891) and truncates UDP answers that exceed the size the
 * query advertised (RFC 1035 §4.2.1; TC=1, empty sections). Misbehaviour is
 * switchable at any time through {@link ZoneServer.behaviour}.
 *
 * DNS cookies (RFC 7873 §5.2, RFC 9018 format, `server-cookie.ts`): a query
 * with a COOKIE option gets its client cookie echoed with a fresh server
 * cookie; a malformed option gets FORMERR (RFC 7873 §5.2.2); with
 * `enforceCookies`, a query without a valid server cookie gets BADCOOKIE.
 */
import { decodeMessage, encodeMessage, typeToName } from '../core/codec/index.js';
import type { Message, MessageInput } from '../core/codec/types.js';
import { Prng } from './prng.js';
import { TimeQueue } from './queue.js';
import type { Delivery, Packet, SimEndpoint } from './packet.js';
import { Zone, findZone, parentName, type ZoneRecord } from './zone.js';
import { parseZoneFile } from './zone-file.js';
import { serverCookie, verifyCookie } from './server-cookie.js';

/** Ways to misbehave. Probabilities are per query, in [0, 1]; all default to 0 (an honest server). */
export interface Behaviour {
  /** Answer SERVFAIL. */
  readonly servfail?: number;
  /** Answer REFUSED. */
  readonly refused?: number;
  /** Do not answer at all. */
  readonly silent?: number;
  /** Extra delay before answering, in ms. */
  readonly slow?: number;
  /** Answer FORMERR (without OPT) to every query that carries EDNS, like a pre-EDNS server (RFC 6891 §7). */
  readonly formerrEdns?: boolean;
  /** Answer with another ID. */
  readonly wrongId?: number;
  /** Answer another question. */
  readonly wrongQuestion?: number;
  /** Send random bytes (with the query's ID half the time). */
  readonly garbage?: number;
  /** Answer from another port of the same host. */
  readonly wrongSource?: number;
  /** Answer with the question name in lower case (a server that does not preserve case, against 0x20). */
  readonly caseless?: boolean;
  /** Answer BADCOOKIE (rcode 23) with a fresh cookie (RFC 7873 §5.2.3). */
  readonly badCookie?: number;
  /** Echo a client cookie with one bit flipped. */
  readonly wrongCookie?: number;
  /** Answer BADCOOKIE to any query with a client cookie but no valid server cookie. */
  readonly enforceCookies?: boolean;
}

/** A zone given as objects or as master-file text. */
export type ZoneInput = Zone | { readonly origin: string; readonly records: readonly ZoneRecord[]; readonly ttl?: number } | string;

/** Options of {@link ZoneServer}. */
export interface ZoneServerOptions {
  /** The server's address; it listens on UDP and TCP `port` (default 53). */
  readonly address: string;
  readonly port?: number;
  readonly zones: readonly ZoneInput[];
  /** Its own EDNS payload size (default 1232); `false` makes it ignore OPT records. */
  readonly edns?: number | false;
  /** Processing delay in ms (default 0). */
  readonly delay?: number;
  /** Randomness for misbehaviour (default: a fixed seed). */
  readonly prng?: Prng;
  readonly behaviour?: Behaviour;
  /** Speak DNS cookies (default true; RFC 7873). `false`: ignore the COOKIE option, like a server without support. */
  readonly cookies?: boolean;
  /** The 16-byte server secret (default: drawn from `prng`). */
  readonly cookieSecret?: Uint8Array;
}

/** Counters of the server. */
export interface ZoneServerStats {
  queries: number;
  answered: number;
  truncated: number;
  misbehaved: number;
  ignored: number;
  /** Queries that carried a valid server cookie of ours. */
  validCookies: number;
  /** BADCOOKIE answers sent. */
  badCookies: number;
}

function toZone(z: ZoneInput): Zone {
  if (z instanceof Zone) return z;
  if (typeof z === 'string') {
    const parsed = parseZoneFile(z);
    return new Zone(parsed.origin, parsed.records, parsed.ttl);
  }
  return new Zone(z.origin, z.records, z.ttl);
}

/** A simulated authoritative server. */
export class ZoneServer {
  readonly udp: SimEndpoint;
  readonly tcp: SimEndpoint;
  /** Current misbehaviour; assign to switch. */
  behaviour: Behaviour;
  readonly stats: ZoneServerStats = { queries: 0, answered: 0, truncated: 0, misbehaved: 0, ignored: 0, validCookies: 0, badCookies: 0 };
  private readonly zones: Zone[];
  private readonly queue = new TimeQueue<Packet>();
  private readonly prng: Prng;
  private readonly secret: Uint8Array;
  /** The COOKIE option of the reply being built, if any. */
  private outCookie: Uint8Array | undefined;

  constructor(private readonly options: ZoneServerOptions) {
    this.udp = { transport: 'udp', address: options.address, port: options.port ?? 53 };
    this.tcp = { ...this.udp, transport: 'tcp' };
    this.zones = options.zones.map(toZone);
    this.prng = options.prng ?? new Prng(0x5e7e7);
    this.behaviour = options.behaviour ?? {};
    this.secret = options.cookieSecret ?? this.prng.fill(new Uint8Array(16));
  }

  /** The address the server listens on. */
  get address(): string {
    return this.udp.address;
  }

  /** True when `to` is this server (either transport). */
  owns(to: SimEndpoint): boolean {
    return to.address === this.udp.address && to.port === this.udp.port;
  }

  /** A datagram arrived for this server at `now`. */
  handle(now: number, d: Delivery): void {
    this.stats.queries++;
    const decoded = decodeMessage(d.data);
    if (!decoded.ok || decoded.message.flags.qr) {
      this.stats.ignored++;
      return;
    }
    const b = this.behaviour;
    if (this.prng.chance(b.silent ?? 0)) {
      this.stats.misbehaved++;
      return;
    }
    const data = this.reply(decoded.message, d.to.transport, now, d.from.address);
    const at = now + (this.options.delay ?? 0) + (b.slow ?? 0);
    const from = this.prng.chance(b.wrongSource ?? 0) ? { ...d.to, port: d.to.port + 1 } : d.to;
    if (from !== d.to) this.stats.misbehaved++;
    this.queue.push(at, { from, to: d.from, data });
  }

  /** When the next reply is due, or `undefined`. */
  deadline(): number | undefined {
    return this.queue.peekTime();
  }

  /** Replies due at `now`, to put on the network. */
  poll(now: number): Packet[] {
    return this.queue.popDue(now).map((e) => e.value);
  }

  /** Bytes of the reply to `q` arriving over `transport`. */
  private reply(q: Message, transport: 'udp' | 'tcp', now: number, client: string): Uint8Array {
    const b = this.behaviour;
    if (this.prng.chance(b.garbage ?? 0)) return this.garbage(q.id);
    const ednsOn = this.options.edns !== false && q.edns !== undefined;
    if (ednsOn && b.formerrEdns === true) return this.bare(q, 1, false);
    const cookie = ednsOn ? this.cookie(q, now, client) : 'none';
    if (cookie === 'formerr') return this.bare(q, 1, true);
    if (cookie === 'bad') return this.bare(q, 23, true);
    if (this.prng.chance(b.servfail ?? 0)) return this.bare(q, 2, ednsOn);
    if (this.prng.chance(b.refused ?? 0)) return this.bare(q, 5, ednsOn);
    let m = this.answer(q, ednsOn);
    if (this.prng.chance(b.wrongId ?? 0)) m = { ...m, id: (q.id + 1 + this.prng.int(65535)) & 0xffff };
    if (this.prng.chance(b.wrongQuestion ?? 0)) m = { ...m, questions: q.questions.map((x) => ({ ...x, name: `wrong.${x.name === '.' ? 'example' : x.name}` })) };
    if (b.caseless === true) m = { ...m, questions: q.questions.map((x) => ({ ...x, name: x.name.toLowerCase() })) };
    if (m.id !== q.id || m.questions !== q.questions) this.stats.misbehaved++;
    return this.fit(m, q, transport, ednsOn);
  }

  private answer(q: Message, ednsOn: boolean): MessageInput {
    const question = q.questions[0];
    const base = this.header(q, ednsOn);
    if (q.questions.length !== 1 || question === undefined) return { ...base, rcode: 1 };
    // DS lives on the parent side of a zone cut (RFC 4035 §3.1.4.1).
    const parent = question.type === 43 && question.name !== '.' ? findZone(this.zones, parentName(question.name)) : undefined;
    const zone = parent ?? findZone(this.zones, question.name);
    if (zone === undefined || question.class !== 1) return { ...base, rcode: 5 };
    const r = zone.lookup(question.name, question.type, typeToName(question.type), q.edns?.do === true);
    this.stats.answered++;
    return {
      ...base, rcode: r.rcode, flags: { ...base.flags, aa: r.aa },
      answers: r.answers, authorities: r.authorities, additionals: r.additionals,
    };
  }

  private header(q: Message, ednsOn: boolean): MessageInput & { flags: { qr: true; rd: boolean; cd: boolean } } {
    const payload = this.options.edns === false ? 512 : (this.options.edns ?? 1232);
    return {
      id: q.id, opcode: q.opcode, questions: q.questions,
      flags: { qr: true, rd: q.flags.rd, cd: q.flags.cd },
      edns: ednsOn ? { payload, do: q.edns?.do === true, options: this.outCookie === undefined ? [] : [{ code: 10, data: this.outCookie }] } : undefined,
    };
  }

  /**
   * Read the query's COOKIE option and set the one to send back: `ok` (or
   * `none` without an option), `formerr` for a malformed option, `bad` for
   * BADCOOKIE (behaviour `badCookie`, or `enforceCookies` without a valid
   * server cookie).
   */
  private cookie(q: Message, now: number, client: string): 'ok' | 'none' | 'formerr' | 'bad' {
    this.outCookie = undefined;
    const opt = this.options.cookies === false ? undefined : q.edns?.options.find((o) => o.code === 10);
    if (opt === undefined) return 'none';
    const d = opt.data;
    if (d.length !== 8 && (d.length < 16 || d.length > 40)) return 'formerr';
    const seconds = Math.floor(now / 1000);
    const mine = serverCookie(this.secret, d.subarray(0, 8), client, seconds);
    const valid = d.length > 8 && verifyCookie(this.secret, d.subarray(0, 8), d.subarray(8), client, seconds);
    if (valid) this.stats.validCookies++;
    const echo = d.slice(0, 8);
    if (this.prng.chance(this.behaviour.wrongCookie ?? 0)) echo[0] = (echo[0] as number) ^ 1;
    this.outCookie = new Uint8Array(24);
    this.outCookie.set(echo);
    this.outCookie.set(mine, 8);
    if (this.prng.chance(this.behaviour.badCookie ?? 0) || (this.behaviour.enforceCookies === true && !valid)) {
      this.stats.badCookies++;
      return 'bad';
    }
    return 'ok';
  }

  private bare(q: Message, rcode: number, ednsOn: boolean): Uint8Array {
    this.stats.misbehaved++;
    return encodeMessage({ ...this.header(q, ednsOn), rcode });
  }

  /** Encode; over UDP, truncate to what the query advertised (min with our own size, at least 512). */
  private fit(m: MessageInput, q: Message, transport: 'udp' | 'tcp', ednsOn: boolean): Uint8Array {
    const data = encodeMessage(m);
    const own = this.options.edns === false ? 512 : (this.options.edns ?? 1232);
    const limit = transport === 'tcp' ? 65535 : ednsOn ? Math.max(512, Math.min(q.edns?.payload ?? 512, own)) : 512;
    if (data.length <= limit) return data;
    this.stats.truncated++;
    return encodeMessage({ ...m, flags: { ...m.flags, tc: true }, answers: [], authorities: [], additionals: [] });
  }

  private garbage(id: number): Uint8Array {
    this.stats.misbehaved++;
    const bytes = this.prng.fill(new Uint8Array(2 + this.prng.int(60)));
    if (this.prng.chance(0.5)) {
      bytes[0] = id >> 8;
      bytes[1] = id & 0xff;
    }
    return bytes;
  }
}
