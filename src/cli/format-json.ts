/**
 * `--json`: one object per question. Pure.
 *
 * An answer: `name`, `type`, `rcode` (mnemonic), `flags` (the set ones),
 * `answers`/`authorities`/`additionals` (each record with `name`, `type`,
 * `class`, `ttl`, `data`; binary data as hex, TXT as an array of strings),
 * `server`, `transport`, `elapsedMs`, `datagramsSent`. No answer: `error`
 * (`code`, `message`); with the response that caused it (REFUSED,
 * SERVFAIL, ...) when one was seen, its `rcode`, `flags` and sections too,
 * else `server` and `transport` null. `datagramsSent` is null when unknown
 * (a failure in bulk mode's fast path). With `--trace`, a `trace` array too.
 */
import { endpointText } from '../index.js';
import { classToName, type DnsRecord } from '../codec.js';
import { flagNames } from './format-dig.js';
import { round, timelineJson } from './format-trace.js';
import { rcodeName, type Outcome, type Reply } from './outcome.js';
import { rdataJson } from './rdata.js';

/** A record for JSON. */
export function recordJson(r: DnsRecord): object {
  return { name: r.name, type: r.type, class: classToName(r.class), ttl: r.ttl, data: rdataJson(r) };
}

function replyJson(r: Reply): object {
  const m = r.message;
  return {
    rcode: rcodeName(m.rcode),
    flags: flagNames(m),
    answers: m.answers.map(recordJson),
    authorities: m.authorities.map(recordJson),
    additionals: m.additionals.map(recordJson),
    server: endpointText(r.server),
    transport: r.server.transport,
  };
}

/** The JSON object of one outcome. */
export function outcomeJson(o: Outcome): object {
  const trace = o.timeline === undefined ? {} : { trace: timelineJson(o.timeline) };
  const cost = { elapsedMs: round(o.elapsed), datagramsSent: o.sent ?? null };
  if (o.kind === 'answer') return { name: o.name, type: o.type, ...replyJson(o), ...cost, ...trace };
  const reply = o.reply === undefined ? { server: null, transport: null } : replyJson(o.reply);
  return { name: o.name, type: o.type, error: { code: o.code, message: o.message }, ...reply, ...cost, ...trace };
}
