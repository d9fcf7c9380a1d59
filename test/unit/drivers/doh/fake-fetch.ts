/** A `fetch` for DoH client tests: records requests, answers through a handler per URL. */
import { decodeMessage, encodeMessage, type DnsRecord, type Message } from '../../../../src/codec.js';
import { base64urlDecode } from '../../../../src/core/codec/base-n.js';

export interface SeenRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  /** The DNS query, from the body (POST) or the `dns` parameter (GET). */
  readonly wire: Uint8Array;
  readonly query: Message;
  readonly signal: AbortSignal;
}

export type FetchHandler = (req: SeenRequest) => Response | 'hang' | Promise<Response | 'hang'>;

export class FakeFetch {
  readonly seen: SeenRequest[] = [];
  constructor(private readonly handler: FetchHandler) {}

  readonly fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = String(input);
    const method = init.method ?? 'GET';
    const headers = new Headers(init.headers);
    let wire: Uint8Array;
    if (method === 'POST') wire = new Uint8Array(await new Response(init.body).arrayBuffer());
    else wire = base64urlDecode(new URL(url).searchParams.get('dns') ?? '') ?? new Uint8Array(0);
    const decoded = decodeMessage(wire);
    if (!decoded.ok) throw new Error(`fake fetch: bad query (${decoded.reason})`);
    const signal = init.signal as AbortSignal;
    const req: SeenRequest = { url, method, headers, wire, query: decoded.message, signal };
    this.seen.push(req);
    const out = this.handler(req);
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(new DOMException('aborted', 'AbortError'));
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true });
    });
    aborted.catch(() => undefined);
    const first = await Promise.race([Promise.resolve(out), aborted]);
    return first === 'hang' ? aborted : first;
  };
}

/** A DoH answer to `q` with `answers` (ID 0, as RFC 8484 §4.1 asks). */
export function dnsResponse(q: Message, answers: DnsRecord[] = [], rcode = 0, init: ResponseInit = {}): Response {
  const wire = encodeMessage({ id: q.id, rcode, flags: { qr: true, rd: q.flags.rd, ra: true }, questions: q.questions, answers });
  return new Response(wire as Uint8Array<ArrayBuffer>, { status: 200, headers: { 'content-type': 'application/dns-message' }, ...init });
}

/** An A record for the question of `q`. */
export function aRecord(q: Message, address: string, ttl = 300): DnsRecord {
  return { name: q.questions[0]?.name ?? '.', type: 'A', class: 1, ttl, data: address };
}

/** A promise resolved after `ms` of real time. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
