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
