/**
 * The walk from a secure zone down to an unsigned RRset's owner (RFC 4035
 * §5.2): each name below the zone is asked for DS, and the zone's NSEC says
 * whether it is a cut. An answer stripped of its RRSIGs in a zone whose keys
 * are already trusted walks through an empty non-terminal (NSEC covering, next
 * name below it), an existing name (NSEC matching, no NS), and a wildcard's
 * closest encloser, and ends bogus in every case.
 */
import { describe, expect, it } from 'vitest';
import { EDE } from '../../src/core/dnssec/ede.js';
import { finalOf, hierarchy, simulate } from './dnssec-world.js';

describe('DNSSEC on the simulator: unsigned answers below a secure zone', () => {
  it('walks DS down through empty non-terminals and existing names, and ends bogus (RRSIGs missing)', () => {
    const h = hierarchy(41);
    const sim = simulate(h, 41);
    const warm = sim.query('www.example.test');
    sim.run();
    expect(finalOf(sim, warm)).toMatchObject({ kind: 'answer', security: 'secure' });
    h.example.breaks.add('missing-rrsig');
    const deep = sim.query('deep.a.b.example.test');
    const mail = sim.query('mail.example.test', 'MX');
    const wild = sim.query('x.y.wild.example.test', 'TXT');
    sim.run();
    h.example.breaks.delete('missing-rrsig');
    for (const handle of [deep, mail]) expect(finalOf(sim, handle)).toMatchObject({ kind: 'error', code: 'EBOGUS', extendedError: { code: EDE.rrsigsMissing } });
    expect(finalOf(sim, wild)).toMatchObject({ kind: 'error', code: 'EBOGUS' });
  });
});
