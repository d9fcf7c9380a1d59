/**
 * The questions of the DNSSEC interop tests, for every zone of a hierarchy,
 * each with the reference its verdict is held to.
 *
 * Both references (delv and unbound) hold every verdict, except for one class
 * where they differ from each other: a denial (NXDOMAIN, a wildcard's NODATA,
 * no DS at an unsigned delegation) whose proof is a closest encloser proof
 * with the next closer name covered by an opt-out NSEC3. RFC 5155 §9.2:
 * "The AD bit, as defined by [RFC4035], MUST NOT be set when returning a
 * response containing a closest (provable) encloser proof in which the NSEC3
 * RR that covers the 'next closer' name has the Opt-Out bit set", because
 * "names that would be covered by the Opt-Out NSEC3 RR may or may not exist
 * as insecure delegations. As such, not all the data in responses containing
 * such closest encloser proofs will have been cryptographically verified".
 * unbound follows it (insecure: no AD); BIND's delv reports these "fully
 * validated" (secure). The RFC decides: there the reference is unbound, and
 * delv's difference is asserted as a known disagreement, not skipped.
 */
import { parentOf, type ZoneSpec } from './dnssec-hierarchy.js';

/** One question, and whether its answer is a denial proven by an opt-out NSEC3 span (RFC 5155 §9.2). */
export interface Question {
  readonly name: string;
  readonly type: string;
  readonly optOutDenial: boolean;
}

/** The reference for a question: both validators, or unbound alone where RFC 5155 §9.2 sides with it. */
export function referenceOf(q: Question): 'delv and unbound' | 'unbound (RFC 5155 §9.2)' {
  return q.optOutDenial ? 'unbound (RFC 5155 §9.2)' : 'delv and unbound';
}

/** Questions asked of every zone of `zones`, by kind. */
export function questions(zones: readonly ZoneSpec[]): Question[] {
  const optOut = (origin: string): boolean => zones.find((z) => z.origin === origin)?.nsec3 === 'opt-out';
  const out: Question[] = [];
  const ask = (name: string, type: string, optOutDenial = false): void => void out.push({ name, type, optOutDenial });
  for (const z of zones) {
    if (z.origin === '.') continue;
    const o = optOut(z.origin);
    if (['tld', 'nsec'].includes(z.origin)) {
      ask(`nope.${z.origin}`, 'A', o);
      ask(z.origin, 'DNSKEY');
      ask(z.origin, 'SOA');
      continue;
    }
    ask(`www.${z.origin}`, 'A');
    ask(`nope.${z.origin}`, 'A', o);
    if (z.algorithm === undefined) {
      // The DS of an unsigned zone is denied by its parent, with the parent's proof.
      ask(z.origin, 'DS', optOut(parentOf(z.origin)));
      continue;
    }
    ask(`www.${z.origin}`, 'TXT');
    ask(`x.wild.${z.origin}`, 'TXT');
    ask(`x.wild.${z.origin}`, 'A', o);
    ask(`alias.${z.origin}`, 'A');
    ask(`deep.${z.origin}`, 'A');
    ask(`mail.${z.origin}`, 'MX');
    ask(z.origin, 'DNSKEY');
    ask(z.origin, 'DS');
    ask(`a.nope.${z.origin}`, 'AAAA', o);
  }
  ask('www.dn.alg8.tld', 'A');
  ask('out.alg15.tld', 'A');
  ask('ins.alg15.tld', 'A');
  return out;
}
