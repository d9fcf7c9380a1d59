/**
 * A query and its attempts: the data the machine (`machine.ts`) moves. Every
 * field that changes is changed there and nowhere else. The objects of
 * finished ones are reused (`spares.ts`), so no field is readonly: each is
 * set anew when a query starts or an attempt is made.
 */
import type { QueryErrorCode } from './errors.js';
import type { ServerState } from './servers.js';
import type { Endpoint, Protocol, QueryQuestion } from './types.js';

/**
 * Where a query is (`machine.ts` has the transitions):
 * - `sending`: an attempt's timer runs (`current`, `giveUpAt`); when it is
 *   given up on, the next send of the plan goes out;
 * - `exhausted`: the plan has no send left; sent attempts stay answerable
 *   until the deadline;
 * - `following`: attached to an identical query in flight (its leader); it
 *   sends nothing and waits for the leader's outcome or its own deadline;
 * - `done`: its final event is queued; it holds nothing any more.
 */
export type QueryPhase = 'sending' | 'exhausted' | 'following' | 'done';

/** One transmission of a query: its own ID, server and transport. */
export interface Attempt {
  /** The query this attempt serves; moves to a follower when its coalesced leader ends first. */
  query: Query;
  server: ServerState;
  transport: Protocol;
  id: number;
  /** Its key in the attempt index (`attempt-index.ts`). */
  key: number;
  token: number;
  sentAt: number;
  edns: boolean;
  /** The question name as sent with 0x20 case bits; undefined without 0x20. */
  caseName: string | undefined;
  /** The client cookie sent (RFC 7873); undefined without one. */
  cookie: Uint8Array | undefined;
  /** Next attempt under the same key (the index's chain). */
  next: Attempt | undefined;
  /** Previous attempt under the same key (the chain is doubly linked, so unlinking never walks it). */
  prev: Attempt | undefined;
  /** Next live attempt of the same query. */
  nextLive: Attempt | undefined;
  /** Released for reuse (`spares.ts`); false again once reused. */
  spare: boolean;
}

/** A query from its start to its final event. */
export interface Query {
  handle: number;
  /** Slot in the query table: also the id of the query's timer. */
  slot: number;
  /**
   * The query as first encoded (with OPT when EDNS is on); later attempts copy
   * it with a new ID, cut before the OPT record for an EDNS-less server.
   */
  wire: Uint8Array;
  /** Offset where the question section ends in `wire`. */
  questionEnd: number;
  /**
   * The question as sent (name case preserved), kept in the query itself:
   * matching reads it for every response, so it is not one object further
   * away; its events carry `question`.
   */
  name: string;
  type: number;
  class: number;
  /** The question its events carry: the prepared one, shared read-only by the queries of a kept question (`QuestionMemo`). */
  question: QueryQuestion;
  start: number;
  deadline: number;
  phase: QueryPhase;
  /** Position in the walk over the servers (`selection.ts`): server `(cursor % n)` of the order, round `floor(cursor / n)`. */
  cursor: number;
  /** Servers that answered with a failure, for this query (allocated on the first failure). */
  failed: boolean[] | undefined;
  failedCount: number;
  /** Attempts that may still be answered: a list through `nextLive`, newest first. */
  live: Attempt | undefined;
  /** The attempt whose timer is running (phase `sending`); undefined otherwise. */
  current: Attempt | undefined;
  /**
   * When the current attempt is given up on (phase `sending`); `NaN` otherwise.
   * Always a number, so V8 keeps it a double in place: `undefined` here made
   * every send store a new heap number (issue 13).
   */
  giveUpAt: number;
  sent: number;
  /** Steps of the plan made so far (protocol follow-ups aside), and the most it may make (`schedule.ts`). */
  planned: number;
  budget: number;
  lastError: QueryErrorCode | undefined;
  /** Cache and coalescing key of the question ('' with both off), and its DO (1) and CD (2) bits. */
  key: string;
  bits: number;
  /** Queries following this one (phase `following`), in the order they joined. */
  followers: Query[] | undefined;
  /** Order of servers for this query (`selection.ts`); undefined for the configured order. */
  order: readonly number[] | undefined;
  /** BADCOOKIE answers seen: one resend, then TCP (RFC 7873 §5.3). */
  badCookies: number;
}

/** Where an attempt went: the server's TCP endpoint for TCP, else its configured endpoint. */
export function peerOf(a: Attempt): Endpoint {
  return a.transport === 'tcp' && a.server.tcp !== undefined ? a.server.tcp : a.server.endpoint;
}
