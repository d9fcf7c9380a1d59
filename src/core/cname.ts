/**
 * CNAME chain assembly and checking (RFC 1034 §3.6.2, §4.3.2; RFC 2181 §10.1).
 *
 * A response's answer section is read as a chain from the question name: at
 * each name, the RRset of the asked type ends the chain; otherwise the name's
 * CNAME moves it to the CNAME's target. Only records on that chain are taken
 * (the chain's CNAMEs, the final RRset, and RRSIGs owned by names on the
 * chain); every other answer record is off-chain and ignored, so a server
 * cannot slip unrelated data into the cache or the caller's result (the bug
 * of hickory-resolver's GHSA-6f2x-v7q7-m7m5). A loop, or a chain of more
 * links than the configured bound, is an error.
 */
import { namesEqual } from './codec/index.js';
import type { DnsRecord } from './codec/types.js';

const CNAME = 5;
const ANY = 255;

/** What {@link assembleChain} found. */
export type Chain =
  | {
    readonly ok: true;
    /** On-chain records, in chain order: each link's CNAME (and RRSIGs), then the final RRset. */
    readonly records: DnsRecord[];
    /** The name at the end of the chain (the question name when there is no CNAME). */
    readonly target: string;
    /** True when the final RRset of the asked type is present (not NODATA). */
    readonly complete: boolean;
    /** Answer records that are not on the chain. */
    readonly ignored: number;
  }
  | { readonly ok: false; readonly detail: string };

/** Lower-case key of a presentation-format name (ASCII letters only, RFC 4343). */
export function nameKey(name: string): string {
  return name.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** True when `name` is `zone` or below it (label-wise, escapes respected). */
export function isAtOrBelow(name: string, zone: string): boolean {
  if (zone === '.' || namesEqual(name, zone, false)) return true;
  const cut = name.length - zone.length - 1;
  if (cut < 1 || name[cut] !== '.' || !namesEqual(name.slice(cut + 1), zone, false)) return false;
  let slashes = 0;
  for (let i = cut - 1; i >= 0 && name[i] === '\\'; i--) slashes++;
  return slashes % 2 === 0;
}

/** Take the records of `name` (class `qclass`) of type `typeName` (any type when `any`), and the RRSIGs of `name`. */
function take(answers: readonly DnsRecord[], name: string, qclass: number, any: boolean, typeName: string, out: DnsRecord[]): boolean {
  let found = false;
  for (const r of answers) {
    if (r.class !== qclass || !namesEqual(r.name, name, false)) continue;
    if (r.type === 'RRSIG') out.push(r);
    else if (any || r.type === typeName) {
      out.push(r);
      found = true;
    }
  }
  return found;
}

/**
 * Walk the answer section from `qname` for type `qtype` (numeric; `typeName`
 * its mnemonic) and class `qclass`. An `ANY` or `CNAME` question takes the
 * records at the question name and follows nothing. At most `maxLinks` CNAMEs
 * are followed. The one walk of a chain: the promise API takes its results
 * from these records (`AnswerEvent.records`), and nothing is allocated for
 * loop detection until a CNAME is followed.
 */
export function assembleChain(
  answers: readonly DnsRecord[], qname: string, qtype: number, typeName: string, qclass: number, maxLinks: number,
): Chain {
  const records: DnsRecord[] = [];
  let seen: Set<string> | undefined;
  let name = qname;
  for (let links = 0; ; links++) {
    const found = take(answers, name, qclass, qtype === ANY, typeName, records);
    if (found || qtype === CNAME || qtype === ANY) return { ok: true, records, target: name, complete: found, ignored: answers.length - records.length };
    const link = cnameOf(answers, name, qclass);
    if (link === undefined) return { ok: true, records, target: name, complete: false, ignored: answers.length - records.length };
    if (links >= maxLinks) return { ok: false, detail: `CNAME chain from ${qname} longer than ${maxLinks} links` };
    records.push(link);
    name = link.data as string;
    seen ??= new Set<string>([nameKey(qname)]);
    const key = nameKey(name);
    if (seen.has(key)) return { ok: false, detail: `CNAME loop at ${name}` };
    seen.add(key);
  }
}

/** The first CNAME record of `name` in class `qclass`. */
function cnameOf(answers: readonly DnsRecord[], name: string, qclass: number): DnsRecord | undefined {
  for (const r of answers) if (r.type === 'CNAME' && r.class === qclass && namesEqual(r.name, name, false)) return r;
  return undefined;
}
