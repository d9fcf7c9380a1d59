/**
 * How the promise API's calls end, as Node's resolver (c-ares 1.34, Node 20)
 * ends them: the syscall a call names, the codes Node reports, the empty
 * answers that give `[]` and those that fail, and `query()`'s whole result.
 */
import type { DnsRecord, Message } from '../core/codec/types.js';
import type { AnswerEvent, Endpoint, QueryQuestion } from '../core/types.js';
import { nodeDnsError, withExtendedError } from './errors.js';
import type { FinalEvent } from './loop.js';

/** What `query()` resolves with: the whole accepted answer (any answer rcode, NXDOMAIN included). */
export interface QueryResult {
  readonly question: QueryQuestion;
  readonly rcode: number;
  readonly message: Message;
  /** The answer records on the CNAME chain from the question name, as the core checked them (`AnswerEvent.records`). */
  readonly records: readonly DnsRecord[];
  readonly server: Endpoint;
  readonly elapsed: number;
  readonly sent: number;
  /** With DNSSEC validation (`dnssec`, `validatingCore`): the answer's status (RFC 4035 §4.3) and the server's Extended DNS Errors. */
  readonly security?: 'secure' | 'insecure' | 'bogus' | 'indeterminate';
  readonly extendedErrors?: readonly { readonly code: number; readonly text: string }[];
  /** With DNSSEC validation: why the answer is not secure (the validator's Extended DNS Error), when it is not. */
  readonly extendedError?: { readonly code: number; readonly text: string };
  /** With DNSSEC option `validationChain`: the DNSKEY, DS, RRSIG and NSEC/NSEC3 records that decided, anchor first. */
  readonly chain?: readonly DnsRecord[];
}

/** The DNSSEC fields of a validated answer event, if any. */
export function validation(e: Partial<QueryResult>): Pick<QueryResult, 'security' | 'extendedErrors' | 'extendedError' | 'chain'> {
  if (e.security === undefined) return {};
  return {
    security: e.security, extendedErrors: e.extendedErrors ?? [],
    ...(e.extendedError === undefined ? {} : { extendedError: e.extendedError }),
    ...(e.chain === undefined ? {} : { chain: e.chain }),
  };
}

/** The syscall of each type asked so far (the `resolve*` types only: a fixed set), built once (issue 13). */
const SYSCALLS: Record<string, string> = {};

/** Node's syscall for a type: `queryA`, `queryAaaa`, `queryCname`, ... */
export const syscallOf = (type: string): string => (SYSCALLS[type] ??= `query${type[0] as string}${type.slice(1).toLowerCase()}`);

/**
 * Codes of the errors Node's resolver reports: c-ares calls any failed
 * connection ECONNREFUSED (the core tells a reset and an unreachable network
 * apart; `query()` keeps them).
 */
const NODE_CODE: Readonly<Record<string, string>> = {
  ECONNRESET: 'ECONNREFUSED', ENETUNREACH: 'ECONNREFUSED', EBADSERVER: 'ECONNREFUSED', EBADOPTION: 'EINVAL',
};
export const nodeCode = (code: string): string => NODE_CODE[code] ?? code;

/** `[]` where Node's parsers find an answer without the records asked for, `ENODATA` where they find none. */
type Empty = 'array' | 'enodata' | 'ebadresp';

/**
 * What c-ares 1.34 gives for an answer without records of the type asked
 * (Node 20; the differential tests pin each down): A and AAAA give `[]` when
 * the name led to a CNAME, MX, SRV, NAPTR, CAA, TXT and ANY give `[]` for any
 * non-empty answer section, SOA fails `EBADRESP`, the rest `ENODATA`.
 */
export function emptyResult(type: string, event: AnswerEvent): Empty {
  if (event.message.answers.length === 0) return 'enodata';
  switch (type) {
    case 'A': case 'AAAA': return event.records.some((r) => r.type === 'CNAME') ? 'array' : 'enodata';
    case 'MX': case 'SRV': case 'NAPTR': case 'CAA': case 'TXT': case 'ANY': return 'array';
    case 'SOA': return 'ebadresp';
    default: return 'enodata';
  }
}

/** The empty outcome of `type` for `event`: `[]`, or Node's error. */
export function empty(type: string, event: AnswerEvent, syscall: string, hostname: string): never[] {
  const kind = emptyResult(type, event);
  if (kind === 'array') return [];
  throw nodeDnsError(kind === 'enodata' ? 'ENODATA' : 'EBADRESP', syscall, hostname);
}

/** The answer event; throws Node's error for an error event or NXDOMAIN. */
export function answerOf(event: FinalEvent, syscall: string, hostname: string): AnswerEvent {
  if (event.kind === 'error') throw withExtendedError(nodeDnsError(nodeCode(event.code), syscall, hostname, event.error), event);
  if (event.message.rcode === 3) throw nodeDnsError('ENOTFOUND', syscall, hostname);
  return event;
}
