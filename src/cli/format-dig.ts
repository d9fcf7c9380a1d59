/**
 * dig-style text of one question's outcome: header, flags, OPT, the
 * sections with records in presentation format, then query time, server,
 * datagrams sent and size. Pure; no clock, so the same outcome prints the
 * same bytes (the simulator's output is identical run to run).
 */
import { classToName, type DnsRecord, type Message } from '../codec.js';
import { rcodeName, type AnswerOutcome, type ErrorOutcome, type Outcome } from './outcome.js';
import { fqdn, rdataText } from './rdata.js';

const OPCODES: readonly string[] = ['QUERY', 'IQUERY', 'STATUS', 'OPCODE3', 'NOTIFY', 'UPDATE', 'DSO'];
const FLAG_ORDER = ['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd'] as const;

/** The names of the flags that are set, in dig's order. */
export function flagNames(m: Message): string[] {
  return FLAG_ORDER.filter((f) => m.flags[f]);
}

/** ms as dig-like text: integers as they are, else one decimal. */
export function ms(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** A record as a dig line: `name. TTL CLASS TYPE rdata`. */
export function recordLine(r: DnsRecord): string {
  return `${fqdn(r.name)}\t${r.ttl}\t${classToName(r.class)}\t${r.type}\t${rdataText(r)}`;
}

function section(title: string, records: readonly DnsRecord[]): string[] {
  return records.length === 0 ? [] : ['', `;; ${title} SECTION:`, ...records.map(recordLine)];
}

function header(m: Message): string[] {
  const additional = m.additionals.length + (m.edns === undefined ? 0 : 1);
  const lines = [
    `;; ->>HEADER<<- opcode: ${OPCODES[m.opcode] ?? `OPCODE${m.opcode}`}, status: ${rcodeName(m.rcode)}, id: ${m.id}`,
    `;; flags: ${flagNames(m).join(' ')}; QUERY: ${m.questions.length}, ANSWER: ${m.answers.length}, AUTHORITY: ${m.authorities.length}, ADDITIONAL: ${additional}`,
  ];
  if (m.edns !== undefined) {
    const flags = m.edns.do ? ' do' : '';
    lines.push('', ';; OPT PSEUDOSECTION:', `; EDNS: version: ${m.edns.version}, flags:${flags}; udp: ${m.edns.payload}`);
  }
  return lines;
}

function answerText(o: AnswerOutcome): string[] {
  const m = o.message;
  const questions = m.questions.map((q) => `;${fqdn(q.name)}\t\t${classToName(q.class)}\t${o.type}`);
  const server = o.server;
  const serverLine = server.transport === 'doh'
    ? `;; SERVER: ${server.url} (DoH)`
    : `;; SERVER: ${server.address}#${server.port}(${server.address}) (${server.transport.toUpperCase()})`;
  return [
    ...header(m),
    '', ';; QUESTION SECTION:', ...questions,
    ...section('ANSWER', m.answers), ...section('AUTHORITY', m.authorities), ...section('ADDITIONAL', m.additionals),
    '',
    `;; Query time: ${ms(o.elapsed)} msec`,
    serverLine,
    `;; DATAGRAMS SENT: ${o.sent}`,
    ...(o.size === undefined ? [] : [`;; MSG SIZE  rcvd: ${o.size}`]),
  ];
}

function errorText(o: ErrorOutcome): string[] {
  const first = o.code === 'ETIMEOUT'
    ? ';; connection timed out; no servers could be reached'
    : `;; no answer: ${o.code}`;
  return [first, `;; ${o.message}`, '', `;; Query time: ${ms(o.elapsed)} msec`, `;; DATAGRAMS SENT: ${o.sent}`];
}

/** dig-style text of one outcome. `command` is the echo of the command line in the first line. */
export function formatDig(o: Outcome, command: string, version: string): string {
  const body = o.kind === 'answer' ? answerText(o) : errorText(o);
  return [`; <<>> sansdns ${version} <<>> ${command}`, ...body].join('\n') + '\n';
}

/** One short line per outcome, for bulk mode: `name TYPE STATUS data, data (ms, datagrams)`. */
export function formatShort(o: Outcome): string {
  const cost = `(${ms(Math.round(o.elapsed * 10) / 10)} ms, ${o.sent} sent)`;
  if (o.kind === 'error') return `${o.name}\t${o.type}\t${o.code}\t${cost}`;
  const data = o.message.answers.map((r) => (r.type === o.type ? rdataText(r) : `${r.type} ${rdataText(r)}`));
  return `${o.name}\t${o.type}\t${rcodeName(o.message.rcode)}\t${data.join(', ')}${data.length > 0 ? ' ' : ''}${cost}`;
}
