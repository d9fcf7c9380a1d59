/**
 * Trust anchors (RFC 4033 §2, RFC 7958): the root zone's key-signing keys
 * built in, as the DS records IANA publishes (KSK-2017, tag 20326, and
 * KSK-2024, tag 38696; checked against Debian's dns-root-data and BIND's
 * bind.keys), the user's own anchors as DS or DNSKEY records in zone-file
 * text, and negative trust anchors (RFC 7646): names at or below which
 * validation is off and answers are insecure.
 */
import { DnsError } from '../errors.js';
import type { DnsRecord } from '../codec/types.js';
import { fromBase64, fromHex } from './bytes.js';
import { canonicalLabels, compareNames, isBelowOrAt, nameOf } from './names.js';
import { readDnskey, readDs, type Dnskey, type Ds } from './records.js';

/** The IANA root anchors in zone-file text (RFC 7958 §2; https://data.iana.org/root-anchors/). */
export const ROOT_ANCHORS = `. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
. IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16`;

/** The anchors of one name: DS records and/or DNSKEYs (RFC 4035 §5: either kind may be configured). */
export interface Anchor {
  readonly labels: Uint8Array[];
  readonly name: string;
  readonly ds: Ds[];
  readonly keys: Dnskey[];
  /** The anchor records themselves, for the validation chain. */
  readonly records: DnsRecord[];
}

function bad(line: string, why: string): DnsError {
  return new DnsError('EBADOPTION', `bad trust anchor ${JSON.stringify(line.trim())}: ${why}`);
}

function num(line: string, text: string | undefined, max: number): number {
  const n = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || n > max) throw bad(line, `${String(text)} is not a number up to ${max}`);
  return n;
}

/** One record of anchor text: `owner [ttl] [IN] DS|DNSKEY rdata...` (RFC 4034 §2.2, §5.3). */
function parseLine(line: string): DnsRecord {
  const words = line.replace(/[()]/g, ' ').trim().split(/\s+/);
  const owner = words.shift() as string;
  while (words.length > 0 && (/^\d+$/.test(words[0] as string) || /^IN$/i.test(words[0] as string))) words.shift();
  const type = (words.shift() ?? '').toUpperCase();
  if (type === 'DS') {
    const digest = fromHex(words.slice(3).join(''));
    if (digest === undefined || digest.length === 0) throw bad(line, 'the digest is not hex');
    const head = [num(line, words[0], 65535), num(line, words[1], 255), num(line, words[2], 255)];
    const data = Uint8Array.from([head[0] as number >> 8, (head[0] as number) & 0xff, head[1] as number, head[2] as number, ...digest]);
    return { name: owner, type: 'DS', class: 1, ttl: 0, data };
  }
  if (type === 'DNSKEY') {
    const key = fromBase64(words.slice(3).join(''));
    if (key === undefined || key.length === 0) throw bad(line, 'the key is not base64');
    const flags = num(line, words[0], 65535);
    const data = Uint8Array.from([flags >> 8, flags & 0xff, num(line, words[1], 255), num(line, words[2], 255), ...key]);
    return { name: owner, type: 'DNSKEY', class: 1, ttl: 0, data };
  }
  throw bad(line, 'expected a DS or DNSKEY record');
}

/** Strip comments (`;` to the end of a line) and join parenthesised records onto one line. */
function records(text: string): string[] {
  const lines: string[] = [];
  let open = '';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/;.*$/, '');
    open += ` ${line}`;
    if ((open.match(/\(/g)?.length ?? 0) > (open.match(/\)/g)?.length ?? 0)) continue;
    if (open.trim() !== '') lines.push(open);
    open = '';
  }
  if (open.trim() !== '') throw bad(open, 'unbalanced parentheses');
  return lines;
}

/** Trust anchors and negative trust anchors, by name. */
export class Anchors {
  private readonly list: Anchor[] = [];
  private readonly negative: Uint8Array[][];

  /**
   * `text`: DS or DNSKEY records in zone-file syntax; `negative`: names
   * under which validation is off (RFC 7646). Throws `EBADOPTION`.
   */
  constructor(text: string, negative: readonly string[] = []) {
    for (const line of records(text)) {
      const r = parseLine(line);
      let labels: Uint8Array[];
      try {
        labels = canonicalLabels(r.name);
      } catch (e) {
        throw bad(line, (e as Error).message);
      }
      let a = this.list.find((x) => compareNames(x.labels, labels) === 0);
      if (a === undefined) this.list.push((a = { labels, name: nameOf(labels), ds: [], keys: [], records: [] }));
      a.records.push(r);
      if (r.type === 'DS') a.ds.push(readDs(r) as Ds);
      else a.keys.push(readDnskey(r) as Dnskey);
    }
    this.negative = negative.map((n) => {
      if (typeof n !== 'string') throw new DnsError('EBADOPTION', 'negative trust anchors must be names');
      return canonicalLabels(n);
    });
  }

  /** The deepest anchor at or above `name`, if any. */
  closest(name: readonly Uint8Array[]): Anchor | undefined {
    let best: Anchor | undefined;
    for (const a of this.list) if (isBelowOrAt(name, a.labels) && (best === undefined || a.labels.length > best.labels.length)) best = a;
    return best;
  }

  /** The negative trust anchor covering `name`, if any (RFC 7646 §2). */
  negativeFor(name: readonly Uint8Array[]): string | undefined {
    const n = this.negative.find((x) => isBelowOrAt(name, x));
    return n === undefined ? undefined : nameOf(n);
  }
}
