/**
 * A reader of RFC 1035 §5.1 master files, enough for test zones: `$ORIGIN`,
 * `$TTL` (RFC 2308 §4), `@`, relative names, an omitted owner (the previous
 * one), TTL and class in either order, parentheses across lines, `;`
 * comments and quoted character-strings. Types: A, AAAA, NS, CNAME, PTR,
 * DNAME, MX, TXT, SOA, SRV, CAA.
 */
import type { ZoneRecord } from './zone.js';

/** What a zone file yields: its origin and its records with absolute names. */
export interface ParsedZoneFile {
  readonly origin: string;
  readonly ttl: number;
  readonly records: ZoneRecord[];
}

interface Token {
  readonly text: string;
  readonly quoted: boolean;
}

/** Split one logical line (parentheses already joined) into tokens. */
function tokenize(line: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === ';') break;
    if (c === ' ' || c === '\t' || c === '(' || c === ')') {
      i++;
      continue;
    }
    if (c === '"') {
      let text = '';
      for (i++; i < line.length && line[i] !== '"'; i++) text += line[i] === '\\' ? `${line[i]}${line[++i] ?? ''}` : line[i];
      out.push({ text, quoted: true });
      i++;
      continue;
    }
    let text = '';
    for (; i < line.length && !' \t();'.includes(line[i] as string); i++) text += line[i] === '\\' ? `${line[i]}${line[++i] ?? ''}` : line[i];
    out.push({ text, quoted: false });
  }
  return out;
}

/** Join lines continued by parentheses; keep whether each logical line began with blank space. */
function logicalLines(text: string): { line: string; indented: boolean; no: number }[] {
  const out: { line: string; indented: boolean; no: number }[] = [];
  let depth = 0;
  let current = '';
  let start = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/;.*$/, (m) => (/"/.test(m) ? m : ''));
    if (depth === 0) {
      current = line;
      start = i + 1;
    } else {
      current += ` ${line}`;
    }
    for (const ch of line.replace(/"[^"]*"/g, '')) depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    if (depth <= 0) {
      depth = 0;
      if (current.trim() !== '') out.push({ line: current, indented: /^[ \t]/.test(current), no: start });
    }
  });
  return out;
}

function absolute(name: string, origin: string): string {
  if (name === '@') return origin;
  if (name.endsWith('.') && !name.endsWith('\\.')) return name === '.' ? '.' : name.slice(0, -1);
  return origin === '.' ? name : `${name}.${origin}`;
}

function num(text: string | undefined, what: string): number {
  const n = Number(text);
  if (text === undefined || text === '' || !Number.isInteger(n) || n < 0) throw new Error(`zone file: bad ${what} ${String(text)}`);
  return n;
}

/** Bytes of a character-string token (Latin-1, with `\X` and `\DDD` escapes). */
function charString(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && /^\d{3}$/.test(text.slice(i + 1, i + 4))) {
      out.push(Number(text.slice(i + 1, i + 4)));
      i += 3;
    } else if (text[i] === '\\') {
      out.push(text.charCodeAt(++i));
    } else {
      out.push(text.charCodeAt(i) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** The rdata object of one record from its tokens. */
function rdata(type: string, t: readonly Token[], origin: string): unknown {
  const s = t.map((x) => x.text);
  const name = (i: number): string => absolute(s[i] ?? '', origin);
  switch (type) {
    case 'A': case 'AAAA': return s[0];
    case 'NS': case 'CNAME': case 'PTR': case 'DNAME': return name(0);
    case 'MX': return { preference: num(s[0], 'MX preference'), exchange: name(1) };
    case 'TXT': return t.map((x) => charString(x.text));
    case 'SRV': return { priority: num(s[0], 'priority'), weight: num(s[1], 'weight'), port: num(s[2], 'port'), target: name(3) };
    case 'CAA': return { flags: num(s[0], 'CAA flags'), tag: s[1], value: s[2] };
    case 'SOA':
      return {
        mname: name(0), rname: name(1), serial: num(s[2], 'serial'), refresh: num(s[3], 'refresh'),
        retry: num(s[4], 'retry'), expire: num(s[5], 'expire'), minimum: num(s[6], 'minimum'),
      };
    default: throw new Error(`zone file: type ${type} is not supported`);
  }
}

const CLASSES = new Set(['IN', 'CH', 'HS']);

/** Parse master-file text. `origin` is the initial `$ORIGIN` (default the root). Throws on a line it cannot read. */
export function parseZoneFile(text: string, origin = '.'): ParsedZoneFile {
  let org = absolute(origin.endsWith('.') ? origin : `${origin}.`, '.');
  let ttl = 3600;
  let owner: string | undefined;
  const records: ZoneRecord[] = [];
  for (const { line, indented, no } of logicalLines(text)) {
    const t = tokenize(line);
    const first = t[0]?.text ?? '';
    if (first === '$ORIGIN') org = absolute(t[1]?.text ?? '', org);
    else if (first === '$TTL') ttl = num(t[1]?.text, '$TTL');
    else {
      try {
        owner = indented ? owner : absolute(first, org);
        if (owner === undefined) throw new Error('no owner name');
        records.push(record(owner, indented ? t : t.slice(1), org, ttl));
      } catch (e) {
        throw new Error(`zone file line ${no}: ${(e as Error).message}`);
      }
    }
  }
  return { origin: org, ttl, records };
}

function record(owner: string, t: readonly Token[], origin: string, defaultTtl: number): ZoneRecord {
  let i = 0;
  let ttl = defaultTtl;
  for (; i < 2 && i < t.length; i++) {
    const x = (t[i] as Token).text.toUpperCase();
    if (/^\d+$/.test(x)) ttl = Number(x);
    else if (!CLASSES.has(x)) break;
  }
  const type = t[i]?.text.toUpperCase();
  if (type === undefined) throw new Error('no type');
  return { name: owner, type: type as ZoneRecord['type'], ttl, data: rdata(type, t.slice(i + 1), origin) };
}
