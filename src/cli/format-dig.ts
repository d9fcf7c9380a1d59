/**
 * dig's text of one question's outcome, line for line as dig 9.18 prints
 * it (`printmessage` in dig.c): `;; Got answer:`, the header with its
 * status for every rcode, the OPT pseudosection, the sections, the
 * statistics; `+short` prints the answers' rdata only; each display option
 * turns its part off. A question that got no response prints what dig
 * prints then (`;; communications error to ...`, `;; no servers could be
 * reached`), from the core's timeline. Pure: the clock comes in the view.
 */
import { domainToUnicode } from 'node:url';
import type { Message } from '../codec.js';
import { questionLine, recordLine } from './dig-lines.js';
import { ednsLines } from './edns-text.js';
import { digStatus, type ErrorOutcome, type Outcome, type Reply, type TimelineEntry } from './outcome.js';
import { fqdn, PLAIN_STYLE, rdataText, type RdataStyle } from './rdata.js';
import type { Display } from './settings.js';

const OPCODES: readonly string[] = ['QUERY', 'IQUERY', 'STATUS', 'RESERVED3', 'NOTIFY', 'UPDATE'];
const FLAG_ORDER = ['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd'] as const;

/**
 * Lines a DNSSEC validator adds after the header (its status for the
 * answer). The hook for the DNSSEC work: `+dnssec` sets DO today, and
 * nothing is added until a validator gives these lines.
 */
export type DnssecNotes = (reply: Reply) => readonly string[];

/** How one outcome is shown. */
export interface DigView {
  readonly display: Display;
  /** `+short`: the answers' rdata only. */
  readonly short: boolean;
  /** The name as typed: the QUESTION section shows it for the asked name in any case (so 0x20's case stays hidden). */
  readonly typed: string;
  /** Cookies were sent, so a COOKIE option in an accepted response passed the core's check: "(good)". */
  readonly cookieSent: boolean;
  /** The wall clock for `;; WHEN:`; `undefined` leaves the line out (virtual time under `--simulate`). */
  readonly when: Date | undefined;
  readonly notes: DnssecNotes | undefined;
}

/** The names of the flags that are set, in dig's order. */
export function flagNames(m: Message): string[] {
  return FLAG_ORDER.filter((f) => m.flags[f]);
}

/** ms as text: integers as they are, else one decimal (bulk lines). */
export function ms(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Names as dig writes them: with a trailing dot; with `+idnout`, A-labels as Unicode. */
export function rdataStyle(d: Display): RdataStyle {
  if (!d.idnout) return PLAIN_STYLE;
  const name = (n: string): string => {
    const dotted = fqdn(n);
    return /(^|\.)xn--/i.test(dotted) ? domainToUnicode(dotted) || dotted : dotted;
  };
  return { ...PLAIN_STYLE, name };
}

function headerLines(m: Message, notes: readonly string[]): string[] {
  const additional = m.additionals.length + (m.edns === undefined ? 0 : 1);
  const flags = flagNames(m).map((f) => ` ${f}`).join('');
  return [
    `;; ->>HEADER<<- opcode: ${OPCODES[m.opcode] ?? `RESERVED${m.opcode}`}, status: ${digStatus(m.rcode)}, id: ${m.id}`,
    `;; flags:${flags}; QUERY: ${m.questions.length}, ANSWER: ${m.answers.length}, AUTHORITY: ${m.authorities.length}, ADDITIONAL: ${additional}`,
    ...(m.flags.rd && !m.flags.ra ? [';; WARNING: recursion requested but not available'] : []),
    ...notes,
  ];
}

function section(title: string, lines: readonly string[], comments: boolean): string[] {
  if (lines.length === 0) return [];
  return comments ? [`;; ${title} SECTION:`, ...lines, ''] : [...lines];
}

/** The question's name to show: as typed when it is the asked name (any case), else as the server echoed it. */
function shownName(wire: string, typed: string, style: RdataStyle): string {
  return fqdn(typed).toLowerCase() === fqdn(wire).toLowerCase() ? style.name(typed) : style.name(wire);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** strftime's `%a %b %d %H:%M:%S %Z %Y` in local time, as dig's `;; WHEN:`. */
export function whenText(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const zone = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((x) => x.type === 'timeZoneName')?.value ?? '';
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${zone} ${d.getFullYear()}`;
}

function statsLines(r: Reply, elapsed: number, when: Date | undefined): string[] {
  const s = r.server;
  const server = s.transport === 'doh' ? `${s.url}(${s.url}) (HTTPS)` : `${s.address}#${s.port}(${s.address}) (${s.transport.toUpperCase()})`;
  return [
    `;; Query time: ${Math.floor(elapsed)} msec`,
    `;; SERVER: ${server}`,
    ...(when === undefined ? [] : [`;; WHEN: ${whenText(when)}`]),
    ...(r.size === undefined ? [] : [`;; MSG SIZE  rcvd: ${r.size}`]),
    '',
  ];
}

/** A response as dig prints it (`printmessage` and `received` of dig.c). */
export function replyLines(r: Reply, elapsed: number, v: DigView): string[] {
  const m = r.message;
  const d = v.display;
  const style = rdataStyle(d);
  if (v.short) return d.answer ? m.answers.map((rec) => rdataText(rec, style)) : [];
  const records = (list: Message['answers']): string[] => list.map((rec) => recordLine(rec, d, style));
  const comments = d.comments;
  return [
    ...(comments ? [';; Got answer:', ...headerLines(m, v.notes?.(r) ?? []), ''] : []),
    ...(comments && m.edns !== undefined ? ednsLines(m.edns, v.cookieSent) : []),
    ...(d.question ? section('QUESTION', m.questions.map((q) => questionLine(q, shownName(q.name, v.typed, style), d)), comments) : []),
    ...(d.answer ? section('ANSWER', records(m.answers), comments) : []),
    ...(d.authority ? section('AUTHORITY', records(m.authorities), comments) : []),
    ...(d.additional ? section('ADDITIONAL', records(m.additionals), comments) : []),
    ...(d.stats ? statsLines(r, elapsed, v.when) : []),
  ];
}

function peerText(e: TimelineEntry | undefined): string {
  const p = e?.peer;
  if (p === undefined) return 'the server';
  return p.transport === 'doh' ? p.url : `${p.address}#${p.port}`;
}

const TRANSPORT_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused', ENETUNREACH: 'network unreachable', ECONNRESET: 'connection reset',
};

/** What dig says while it works, from the timeline: each try that timed out or failed, each truncation. */
export function eventLines(o: Outcome): string[] {
  const out: string[] = [];
  let lastSend: TimelineEntry | undefined;
  for (const e of o.timeline ?? []) {
    if (e.what === 'send') lastSend = e;
    else if (e.what === 'timeout') out.push(`;; communications error to ${peerText(e)}: timed out`);
    else if (e.what === 'deadline') out.push(`;; communications error to ${peerText(lastSend)}: timed out`);
    else if (e.what === 'tcp-fallback') out.push(';; Truncated, retrying in TCP mode.');
    else if (e.what === 'server-failed') {
      const why = TRANSPORT_ERRORS[/transport error (\w+)/.exec(e.detail)?.[1] ?? ''];
      if (why !== undefined) out.push(`;; communications error to ${peerText(e)}: ${why}`);
    }
  }
  return out;
}

const UNREACHED = new Set(['ETIMEOUT', 'ECONNREFUSED', 'ENETUNREACH', 'ECONNRESET']);

/** The last line of a question without a response. */
export function failureLine(o: ErrorOutcome): string {
  return UNREACHED.has(o.code) ? ';; no servers could be reached' : `;; ${o.code}: ${o.message}`;
}

/** `; <<>> sansdns VERSION <<>> args`, `; (N servers found)`, `;; global options: +cmd`, after a blank line. */
export function greetingLines(version: string, argv: readonly string[], serversFound: number, short: boolean): string[] {
  return [
    '',
    `; <<>> sansdns ${version} <<>>${argv.map((a) => ` ${a}`).join('')}`,
    ...(serversFound > 0 ? [`; (${serversFound} server${serversFound > 1 ? 's' : ''} found)`] : []),
    `;; global options:${short ? ' +short' : ''} +cmd`,
  ];
}
