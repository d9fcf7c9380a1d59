/** The questions of the DNSSEC interop tests: every zone of the hierarchy, by kind. */
import { ZONES } from './dnssec-bind.js';

/** Questions asked of every zone, by kind. */
export function questions(): [string, string][] {
  const out: [string, string][] = [];
  for (const z of ZONES) {
    if (z.origin === '.') continue;
    const leaf = !['tld', 'nsec'].includes(z.origin);
    if (!leaf) {
      out.push([`nope.${z.origin}`, 'A'], [z.origin, 'DNSKEY'], [z.origin, 'SOA']);
      continue;
    }
    out.push([`www.${z.origin}`, 'A'], [`nope.${z.origin}`, 'A']);
    if (z.algorithm === undefined) continue;
    out.push(
      [`www.${z.origin}`, 'TXT'], [`x.wild.${z.origin}`, 'TXT'], [`x.wild.${z.origin}`, 'A'], [`alias.${z.origin}`, 'A'],
      [`deep.${z.origin}`, 'A'], [`mail.${z.origin}`, 'MX'], [z.origin, 'DNSKEY'], [z.origin, 'DS'], [`a.nope.${z.origin}`, 'AAAA'],
    );
  }
  out.push(['www.dn.alg8.tld', 'A'], ['out.alg15.tld', 'A'], ['ins.alg15.tld', 'A'], ['unsigned.tld', 'DS'], ['unsigned.nsec', 'DS'], ['unsigned.optout.tld', 'DS'], ['www.unsigned.optout.tld', 'A']);
  return out;
}
