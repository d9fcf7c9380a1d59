/**
 * Ask one question through a {@link Backend} and wait for its
 * {@link Outcome}. Never rejects: a question the core refused (a bad name,
 * a class it cannot ask) is an error outcome too. With a mirror, the
 * outcome carries what the core saw (timeline, sizes, the response behind
 * a failure); without one, it is built from the promise API's result, which
 * costs nothing beyond the query itself (bulk mode's fast path).
 */
import type { QueryResult, RawQueryOptions } from '../node.js';
import type { Backend } from './backend.js';
import type { Outcome } from './outcome.js';
import type { Ask } from './settings.js';
import { typeCode } from './type-names.js';

/** The question as the core takes it. */
export interface Asked {
  readonly name: string;
  /** The type's mnemonic (`MX`, `NSEC3PARAM`, `TYPE65400`). */
  readonly type: string;
  /** The class's name (default `IN`). */
  readonly class?: string;
  /** The per-question bits: DO, CD, the search list (default: none, as dig). */
  readonly ask?: Pick<Ask, 'dnssec' | 'cd' | 'search'>;
}

let nextTag = 1;

function queryOptions(q: Asked): RawQueryOptions {
  const a = q.ask;
  return {
    search: a?.search ?? false,
    ...(q.class === undefined || q.class === 'IN' ? {} : { class: q.class }),
    ...(a?.dnssec === true ? { dnssecOk: true } : {}),
    ...(a?.cd === true ? { checkingDisabled: true } : {}),
  };
}

interface Failure {
  readonly code?: string;
  readonly message?: string;
  readonly cause?: { readonly message?: string };
}

function errorOutcome(q: Asked, failure: unknown, elapsed: number, sent: number | undefined): Outcome {
  const e = failure as Failure | undefined;
  return {
    kind: 'error', name: q.name, type: q.type, code: e?.code ?? 'EUNKNOWN', message: e?.cause?.message ?? e?.message ?? String(failure),
    elapsed, sent, timeline: undefined, reply: undefined,
  };
}

function answerOutcome(q: Asked, r: QueryResult): Outcome {
  return {
    kind: 'answer', name: q.name, type: r.question.typeName, message: r.message, server: r.server, size: undefined,
    elapsed: r.elapsed, sent: r.sent, timeline: undefined,
  };
}

/** Ask `q` and resolve with its outcome. */
export async function ask(backend: Backend, q: Asked): Promise<Outcome> {
  const type = typeCode(q.type) ?? q.type;
  const mirror = backend.mirror;
  if (mirror === undefined) {
    const started = backend.now();
    try {
      return answerOutcome(q, await backend.resolver.query(q.name, type, queryOptions(q)));
    } catch (error) {
      return errorOutcome(q, error, backend.now() - started, undefined);
    }
  }
  const tag = nextTag++;
  mirror.expect(tag);
  let failure: unknown;
  try {
    await backend.resolver.query(q.name, type, queryOptions(q));
  } catch (error) {
    failure = error;
  }
  // The core refused the question before it started when the mirror has no outcome for it.
  return mirror.take(tag) ?? errorOutcome(q, failure, 0, 0);
}
