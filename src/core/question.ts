/**
 * A question as the caller asks it: the name parsed (RFC 1035 §5.1), the type
 * and class by mnemonic or number (RFC 3597 `TYPEnnn`/`CLASSnnn` too), and
 * the {@link QueryQuestion} every event of the query carries, built by
 * {@link questionOf} alone.
 * The resolver prepares each question here, and so does a driver that ends a
 * query before it starts (an aborted signal), so both throw the same errors.
 */
import { classFromInput, parseName, typeFromInput, typeToName } from './codec/index.js';
import type { QueryQuestion } from './types.js';

/** A checked question and what the encoder needs of its name. */
export interface PreparedQuestion {
  readonly question: QueryQuestion;
  /** The name's labels, most specific first. */
  readonly labels: readonly Uint8Array[];
  /** Length of the name on the wire, root byte included. */
  readonly wireLength: number;
}

/**
 * Check and prepare a question: the name, then the type, then the class
 * (default `IN`). Throws `EBADNAME`, `EBADTYPE` or `EBADCLASS`, in that order.
 */
export function prepareQuestion(name: string, type: string | number, qclass: string | number | undefined): PreparedQuestion {
  const parsed = parseName(name);
  const qtype = typeFromInput(type);
  const c = classFromInput(qclass ?? 'IN');
  return { question: questionOf(parsed.name, qtype, c), labels: parsed.labels, wireLength: parsed.wireLength };
}

/** The question an event carries, of a checked name, type and class: built here only. */
export function questionOf(name: string, type: number, qclass: number): QueryQuestion {
  return { name, type, class: qclass, typeName: typeToName(type) };
}

/** Names a {@link QuestionMemo} keeps per type before it starts over. */
const MEMO_LIMIT = 1024;

/**
 * The prepared questions of recent calls (issue 13): a resolver asked the
 * same names again and again parses each once, not once per query (the
 * labels, the name, the type's and class's lookups, the event's question:
 * about 13 allocations a query). Only calls with the default class are
 * kept, by type as given and then by name; a type keeps at most
 * {@link MEMO_LIMIT} names and starts over when full, so the memory is
 * bounded. What it hands out is frozen and shared by the queries that ask
 * the same question (events carry it read-only). A bad name, type or class
 * throws as {@link prepareQuestion} does and is never kept.
 */
export class QuestionMemo {
  private readonly byType = new Map<string | number, Map<string, PreparedQuestion>>();

  prepare(name: string, type: string | number, qclass: string | number | undefined): PreparedQuestion {
    if (qclass !== undefined) return prepareQuestion(name, type, qclass);
    let names = this.byType.get(type);
    const hit = names?.get(name);
    if (hit !== undefined) return hit;
    const p = prepareQuestion(name, type, undefined);
    Object.freeze(p.question);
    Object.freeze(p.labels);
    if (names === undefined) {
      names = new Map();
      this.byType.set(type, names);
    } else if (names.size >= MEMO_LIMIT) {
      names.clear();
    }
    const kept = Object.freeze(p);
    names.set(name, kept);
    return kept;
  }
}

