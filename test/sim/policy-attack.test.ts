/**
 * The off-path attacker run, short: 1,000 queries × 1,000 forged answers
 * (spoofed source, right question, guessed IDs) against the defaults with
 * 0x20 on. Zero accepted, and every forgery accounted for by a check.
 * `npm run bench -- attack` runs the 100,000-query version.
 */
import { describe, expect, it } from 'vitest';
import { attack } from '../../bench/attack.js';

describe('forged answers', () => {
  it('accepts none of 1,000,000 forgeries with cookies and 0x20, and says which check dropped each', () => {
    const r = attack(1000, 1000);
    expect(r.answered).toBe(1000);
    expect(r.poisoned).toBe(0);
    const d = r.dropped;
    const total = d['unknown-peer'] + d.unmatched + d.late + d['wrong-question'] + d['wrong-case'] + d['bad-cookie'];
    expect(total).toBe(r.forgeries);
    expect(d['unknown-peer']).toBe(100_000);
    expect(d['wrong-case']).toBeGreaterThan(0);
  });

  it('cookies alone drop what passes ID and question; without either, forgeries get through', () => {
    const cookies = attack(1000, 1000, { case0x20: false }, 7);
    expect(cookies.poisoned).toBe(0);
    expect(cookies.dropped['bad-cookie']).toBeGreaterThan(0);
    expect(cookies.dropped['bad-cookie']).toBe(cookies.idMatches);
    const neither = attack(1000, 1000, { case0x20: false, cookies: false }, 7);
    expect(neither.poisoned).toBeGreaterThan(0);
  });
});
