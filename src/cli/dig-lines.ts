/**
 * Records and questions as dig lines up: fields at fixed columns (TTL at
 * 24, class at 32, type at 40, rdata at 48; earlier when `+nottlid` or
 * `+noclass` leave fields out), reached with tabs of width 8, or one space
 * when a field already runs past its column (BIND's master-file style).
 */
import { classToName, type DnsRecord, type Question } from '../codec.js';
import { rdataText, type RdataStyle } from './rdata.js';
import type { Display } from './settings.js';
import { recordTypeMnemonic, typeMnemonic } from './type-names.js';

/** Columns of the TTL, class, type and rdata fields. */
interface Columns {
  readonly ttl: number;
  readonly class: number;
  readonly type: number;
  readonly rdata: number;
}

function columnsOf(d: Display): Columns {
  if (!d.ttlid && !d.class) return { ttl: 24, class: 24, type: 24, rdata: 32 };
  if (!d.ttlid || !d.class) return { ttl: 24, class: 24, type: 32, rdata: 40 };
  return { ttl: 24, class: 32, type: 40, rdata: 48 };
}

/** A line being built, and the column it has reached (a tab moves to the next multiple of 8). */
interface Line {
  readonly text: string;
  readonly column: number;
}

/** Append `field` at column `to`: tabs to reach it, else spaces (at least one of either, as BIND's `indent`). */
function at(line: Line, to: number, field: string): Line {
  const from = line.column;
  const target = Math.max(to, from + 1);
  const tabs = Math.floor(target / 8) - Math.floor(from / 8);
  const pad = tabs > 0 ? `${'\t'.repeat(tabs)}${' '.repeat(target % 8)}` : ' '.repeat(target - from);
  return { text: `${line.text}${pad}${field}`, column: target + field.length };
}

function start(text: string, column = text.length): Line {
  return { text, column };
}

/** A class as dig prints it (NONE for 254, which the codec leaves numeric). */
export function classMnemonic(code: number): string {
  return code === 254 ? 'NONE' : classToName(code);
}

/** A record as dig prints it: `name. TTL CLASS TYPE rdata`, fields as `display` says. */
export function recordLine(r: DnsRecord, d: Display, style: RdataStyle): string {
  const c = columnsOf(d);
  let line = start(style.name(r.name));
  if (d.ttlid) line = at(line, c.ttl, String(r.ttl));
  if (d.class) line = at(line, c.class, classMnemonic(r.class));
  line = at(line, c.type, recordTypeMnemonic(r.type));
  return at(line, c.rdata, rdataText(r, style)).text;
}

/**
 * A question as dig prints it: `;name. CLASS TYPE`, the class shown even
 * with `+noclass`, and the `;` not counted in the columns (as dig).
 * `shown` is the name to show (as typed, under 0x20).
 */
export function questionLine(q: Question, shown: string, d: Display): string {
  const c = columnsOf(d);
  const line = at(start(`;${shown}`, shown.length), c.class, classMnemonic(q.class));
  return at(line, c.type, typeMnemonic(q.type)).text;
}
