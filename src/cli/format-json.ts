/**
 * `--json`: one object per question. Pure.
 *
 * An answer: `name`, `type`, `rcode` (mnemonic), `flags` (the set ones),
 * `answers`/`authorities`/`additionals` (each record with `name`, `type`,
 * `class`, `ttl`, `data`; binary data as hex, TXT as an array of strings),
 * `server`, `transport`, `elapsedMs`, `datagramsSent`. No answer: `error`
 * (`code`, `message`) instead of `rcode` and the sections, and `server` and
 * `transport` null. With `--trace`, a `trace` array too.
 */
import { endpointText } from '../index.js';
import { classToName, type DnsRecord } from '../codec.js';
import { flagNames } from './format-dig.js';
import { round, timelineJson } from './format-trace.js';
import { rcodeName, type Outcome } from './outcome.js';
import { rdataJson } from './rdata.js';

/** A record for JSON. */
export function recordJson(r: DnsRecord): object {
  return { name: r.name, type: r.type, class: classToName(r.class), ttl: r.ttl, data: rdataJson(r) };
}

/** The JSON object of one outcome. */
export function outcomeJson(o: Outcome): object {
  const trace = o.timeline === undefined ? {} : { trace: timelineJson(o.timeline) };
  const cost = { elapsedMs: round(o.elapsed), datagramsSent: o.sent };
  if (o.kind === 'error') {
    return { name: o.name, type: o.type, error: { code: o.code, message: o.message }, server: null, transport: null, ...cost, ...trace };
  }
  const m = o.message;
  return {
    name: o.name,
    type: o.type,
    rcode: rcodeName(m.rcode),
    flags: flagNames(m),
    answers: m.answers.map(recordJson),
    authorities: m.authorities.map(recordJson),
    additionals: m.additionals.map(recordJson),
    server: endpointText(o.server),
    transport: o.server.transport,
    ...cost,
    ...trace,
  };
}

/** Counters of a bulk run, for its summary line. */
export interface BulkSummary {
  queries: number;
  answered: number;
  nxdomain: number;
  nodata: number;
  failed: number;
  datagramsSent: number;
  elapsedMs: number;
}

/** The summary line's object: the counters, and queries per second. */
export function summaryJson(s: BulkSummary): object {
  const qps = s.elapsedMs > 0 ? Math.round((s.queries / s.elapsedMs) * 1000 * 10) / 10 : 0;
  return { summary: true, ...s, elapsedMs: round(s.elapsedMs), qps };
}

/** Count one outcome into a summary: NOERROR with records is answered, without is NODATA; NXDOMAIN; anything else failed. */
export function countOutcome(s: BulkSummary, o: Outcome): void {
  s.queries++;
  if (o.kind === 'error') s.failed++;
  else if (o.message.rcode === 3) s.nxdomain++;
  else if (o.message.rcode === 0 && o.message.answers.length === 0) s.nodata++;
  else if (o.message.rcode === 0) s.answered++;
  else s.failed++;
}
