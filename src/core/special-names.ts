/**
 * Special-use names the resolver answers itself, without a datagram:
 * `localhost` and names below it with loopback (RFC 6761 §6.3), `.onion`
 * with NXDOMAIN (RFC 7686 §2: not resolved through DNS). Option
 * `specialNames` (default on).
 */
import { NOERROR, NXDOMAIN } from './codec/rcode.js';
import type { Message } from './codec/types.js';
import type { AnswerEvent, Endpoint, QueryQuestion } from './types.js';

/** The `server` of an answer the resolver gave itself. */
const LOCAL: Endpoint = { transport: 'udp', address: '127.0.0.1', port: 0 };

/** What a special-use name gets: `localhost` (RFC 6761 §6.3) or `onion` (RFC 7686 §2), else undefined. */
export function specialName(name: string): 'localhost' | 'onion' | undefined {
  const n = name.toLowerCase();
  const bare = n.endsWith('.') ? n.slice(0, -1) : n;
  if (bare === 'localhost' || bare.endsWith('.localhost')) return 'localhost';
  if (bare === 'onion' || bare.endsWith('.onion')) return 'onion';
  return undefined;
}

/**
 * The message the resolver answers a special-use name with: loopback for
 * `localhost` A (127.0.0.1) and AAAA (::1), NODATA for its other types, and
 * NXDOMAIN for `.onion` (RFC 7686 §2: not resolved through DNS). TTL 0.
 */
export function localMessage(kind: 'localhost' | 'onion', name: string, type: number, qclass: number): Message {
  const answers: Message['answers'] =
    kind === 'onion' || qclass !== 1 ? []
      : type === 1 ? [{ name, type: 'A', class: 1, ttl: 0, data: '127.0.0.1' }]
        : type === 28 ? [{ name, type: 'AAAA', class: 1, ttl: 0, data: '::1' }]
          : [];
  return {
    id: 0, opcode: 0, rcode: kind === 'onion' ? NXDOMAIN : NOERROR,
    flags: { qr: true, aa: true, tc: false, rd: true, ra: true, ad: false, cd: false },
    questions: [{ name, type, class: qclass }], answers, authorities: [], additionals: [], edns: undefined,
  };
}

/** The final event of a special-use name, answered within the call: no datagram, source `local`. */
export function localAnswer(kind: 'localhost' | 'onion', handle: number, question: QueryQuestion): AnswerEvent {
  const message = localMessage(kind, question.name, question.type, question.class);
  return { kind: 'answer', handle, question, message, server: LOCAL, elapsed: 0, sent: 0, records: message.answers, source: 'local' };
}
