/**
 * The DNS side of the DoH bridge, independent of HTTP versions: checking a
 * query, reading a GET's `dns` parameter, and writing the answer the client
 * gets (RFC 8484 §4, §5; RFC 8467 §4.1 for padding).
 */
import { decodeMessage, encodeMessage } from '../../core/codec/index.js';
import { isPadded, padMessage, RESPONSE_BLOCK } from '../../core/codec/padding.js';
import type { DnsRecord, Edns, Message, MessageInput } from '../../core/codec/types.js';
import { base64urlDecode } from '../../core/codec/base-n.js';

/** An HTTP error answer: status, message, extra headers. */
export class HttpError {
  constructor(readonly status: number, readonly message: string, readonly headers: Readonly<Record<string, string>> = {}) {}
}

/** The freshness lifetime of a response: its smallest TTL (SOA capped by MINIMUM), or `undefined` without records. */
export function responseMaxAge(m: Message): number | undefined {
  let min: number | undefined;
  const see = (r: DnsRecord, negative: boolean): void => {
    const ttl = negative && r.type === 'SOA' ? Math.min(r.ttl, r.data.minimum) : r.ttl;
    if (min === undefined || ttl < min) min = ttl;
  };
  for (const r of m.answers) see(r, false);
  for (const r of m.authorities) see(r, m.answers.length === 0);
  for (const r of m.additionals) see(r, false);
  return min;
}

/** The query in a request body, checked; throws {@link HttpError} 400 or 413. */
export function parseDohQuery(body: Uint8Array, maxSize: number): Message {
  if (body.length === 0) throw new HttpError(400, 'empty DNS message');
  if (body.length > maxSize) throw new HttpError(413, `DNS message of ${body.length} bytes exceeds ${maxSize}`);
  const result = decodeMessage(body, maxSize);
  if (!result.ok) throw new HttpError(400, `malformed DNS message (${result.reason})`);
  const m = result.message;
  if (m.flags.qr) throw new HttpError(400, 'not a query (QR=1)');
  if (m.opcode === 0 && m.questions.length !== 1) throw new HttpError(400, `a query has one question, not ${m.questions.length}`);
  if (m.answers.length > 0 || m.authorities.length > 0) throw new HttpError(400, 'a query has no answer or authority records');
  return m;
}

/**
 * The `dns` parameter of a GET's request target (`/dns-query?dns=…`),
 * decoded from unpadded base64url; throws {@link HttpError} 400 or 413.
 */
export function getQueryBytes(target: string, maxSize: number): Uint8Array {
  let dns: string | undefined;
  // The first `dns=` parameter, found without splitting the query into parts.
  for (let p = target.indexOf('?') + 1; p > 0 && p <= target.length;) {
    let end = target.indexOf('&', p);
    if (end < 0) end = target.length;
    if (target.startsWith('dns=', p)) {
      dns = target.slice(p + 4, end);
      break;
    }
    p = end + 1;
  }
  if (dns === undefined || dns === '') throw new HttpError(400, 'missing the dns parameter');
  if (dns.length > Math.ceil((maxSize * 4) / 3)) throw new HttpError(413, `dns parameter exceeds ${maxSize} bytes`);
  const bytes = base64urlDecode(dns);
  if (bytes === undefined) throw new HttpError(400, 'the dns parameter is not unpadded base64url');
  return bytes;
}

/** The path part of a request target, without its query. */
export function targetPath(target: string): string {
  const q = target.indexOf('?');
  return q < 0 ? target : target.slice(0, q);
}

/** `wire` padded to 468-byte blocks when the query was padded (RFC 8467 §4.1), else as it is. */
function padFor(query: Message, wire: Uint8Array): Uint8Array {
  return isPadded(query.edns) ? padMessage(wire, RESPONSE_BLOCK) : wire;
}

/** FORMERR for a message of at least 12 bytes that is no query we take: its ID and opcode, no question (RFC 1035 §4.1.1). */
export function formerrFor(data: Uint8Array): Uint8Array {
  const opcode = ((data[2] as number) >> 3) & 0x0f;
  return encodeMessage({ id: ((data[0] as number) << 8) | (data[1] as number), opcode, rcode: 1, flags: { qr: true } });
}

/** A response to `query` with `rcode` and nothing else (SERVFAIL, NOTIMP). */
export function errorResponse(query: Message, rcode: number): Uint8Array {
  return padFor(query, encodeMessage({
    id: query.id, opcode: query.opcode, rcode,
    flags: { qr: true, rd: query.flags.rd, cd: query.flags.cd, ra: true },
    questions: query.questions,
    edns: query.edns === undefined ? undefined : { payload: 1232, do: query.edns.do },
  }));
}

/**
 * The upstream's answer, for the client who asked `query`: its ID and its
 * question as written, its RD and CD bits, the upstream's other flags with
 * AA as `aa`, an OPT record only when the query had one (RFC 6891 §7, DO
 * copied from the query, RFC 3225 §3), padded when the query was.
 */
export function answerFor(query: Message, upstream: Message, aa = upstream.flags.aa): Uint8Array {
  const input: MessageInput = {
    id: query.id, opcode: 0, rcode: upstream.rcode,
    flags: { ...upstream.flags, qr: true, aa, tc: false, rd: query.flags.rd, cd: query.flags.cd },
    questions: query.questions,
    answers: upstream.answers, authorities: upstream.authorities, additionals: upstream.additionals,
    edns: query.edns === undefined ? undefined : { payload: upstream.edns?.payload ?? 1232, do: query.edns.do },
  };
  return padFor(query, encodeMessage(input));
}

/**
 * The AA bit of recent answers from upstream, by question and DO/CD bits,
 * so that an answer the core serves again from its cache (where AA is
 * cleared) keeps the bit the upstream set. At most `max` entries, the
 * oldest out first.
 */
export class AuthorityMemo {
  private readonly map = new Map<string, boolean>();

  constructor(private readonly max: number) {}

  static key(name: string, type: number, qclass: number, dnssecOk: boolean, cd: boolean): string {
    return `${name.toLowerCase()}|${type}|${qclass}|${dnssecOk ? 1 : 0}${cd ? 1 : 0}`;
  }

  get(key: string): boolean {
    return this.map.get(key) === true;
  }

  set(key: string, aa: boolean): void {
    if (this.map.get(key) === aa) return;
    this.map.delete(key);
    this.map.set(key, aa);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
}

/** Offset just after the question of a raw query, or -1 when its name is compressed or cut. */
function questionEnd(raw: Uint8Array): number {
  let p = 12;
  while (p < raw.length) {
    const len = raw[p] as number;
    if (len === 0) return p + 5 <= raw.length ? p + 5 : -1;
    if (len >= 0x40) return -1;
    p += len + 1;
  }
  return -1;
}

function sameRecords(a: readonly DnsRecord[], b: readonly DnsRecord[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as DnsRecord;
    const y = b[i] as DnsRecord;
    // Data objects are shared with the core's cache entry: the same entry gives the same references.
    if (x.type !== y.type || x.ttl !== y.ttl || x.name !== y.name || x.class !== y.class || x.data !== y.data) return false;
  }
  return true;
}

function sameAnswer(a: Message, b: Message): boolean {
  const f = a.flags;
  const g = b.flags;
  return a.rcode === b.rcode && f.ra === g.ra && f.ad === g.ad && (a.edns as Edns | undefined)?.payload === b.edns?.payload
    && sameRecords(a.answers, b.answers) && sameRecords(a.authorities, b.authorities) && sameRecords(a.additionals, b.additionals);
}

interface Written { readonly from: Message; readonly aa: boolean; readonly wire: Uint8Array }

/**
 * The last answer written for each query shape (its flags, question bytes
 * as asked, DO bit, EDNS and padding), reused while the core hands back the
 * same records with the same TTLs (a cache hit within the same second): a
 * copy with the client's ID instead of encoding the message again. At most
 * `max` shapes, the oldest out first.
 */
export class AnswerMemo {
  private readonly map = new Map<string, Written>();

  constructor(private readonly max: number) {}

  /** {@link answerFor} for `query`, whose bytes are `raw`. */
  answer(raw: Uint8Array, query: Message, upstream: Message, aa: boolean): Uint8Array {
    const end = questionEnd(raw);
    if (end < 0) return answerFor(query, upstream, aa);
    const e = query.edns;
    const key = `${String.fromCharCode(raw[2] as number, raw[3] as number)}${e === undefined ? 'n' : `${e.do ? 1 : 0}${isPadded(e) ? 1 : 0}`}${latin1(raw, 12, end)}`;
    const hit = this.map.get(key);
    if (hit !== undefined && hit.aa === aa && sameAnswer(hit.from, upstream)) {
      const wire = hit.wire.slice();
      wire[0] = query.id >>> 8;
      wire[1] = query.id & 0xff;
      return wire;
    }
    const wire = answerFor(query, upstream, aa);
    this.map.delete(key);
    this.map.set(key, { from: upstream, aa, wire });
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
    return wire;
  }
}

function latin1(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i] as number);
  return s;
}
