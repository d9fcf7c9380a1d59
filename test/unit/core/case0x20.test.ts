/** case0x20.ts: random case in the question name, one bit per letter, and servers that lose it. */
import { describe, expect, it } from 'vitest';
import { applyCase, caseMissed, randomizeCase } from '../../../src/core/case0x20.js';
import { RandomPool } from '../../../src/core/random.js';
import { makeServers, parseServer } from '../../../src/core/servers.js';
import { decodeMessage, encodeQuery, parseName } from '../../../src/codec.js';
import { testRandom } from '../../helpers/core-harness.js';

function wireOf(name: string): { wire: Uint8Array; end: number } {
  const parsed = parseName(name);
  return { wire: encodeQuery({ id: 1, labels: parsed.labels, type: 1, class: 1, rd: true }), end: 12 + parsed.wireLength };
}

describe('randomizeCase', () => {
  it('writes the same random case into the wire and the name, letters only', () => {
    const { wire, end } = wireOf('www-1.Example.test');
    const mixed = randomizeCase(wire, end, 'www-1.Example.test', new RandomPool(testRandom(5)));
    expect(mixed.toLowerCase()).toBe('www-1.example.test');
    expect(mixed).not.toBe(mixed.toLowerCase());
    const d = decodeMessage(wire);
    expect(d.ok && d.message.questions[0]?.name).toBe(mixed);
    expect(randomizeCase(wireOf('a1.b').wire, wireOf('a1.b').end, 'a1.b', new RandomPool(testRandom(5)))).toMatch(/^[aA]1\.[bB]$/);
  });

  it('draws the same case from the same random bytes, and 16 letters per draw', () => {
    const name = 'abcdefghijklmnopq.example';
    const a = wireOf(name);
    const b = wireOf(name);
    expect(randomizeCase(a.wire, a.end, name, new RandomPool(testRandom(9)))).toBe(randomizeCase(b.wire, b.end, name, new RandomPool(testRandom(9))));
    expect(a.wire).toEqual(b.wire);
  });
});

describe('applyCase and caseMissed', () => {
  it('marks every server, or those listed', () => {
    const servers = makeServers(['192.0.2.1', '192.0.2.2', '192.0.2.3'], parseServer);
    applyCase(servers, [0, 2]);
    expect(servers.map((s) => s.case0x20)).toEqual([true, false, true]);
    applyCase(servers, true);
    expect(servers.map((s) => s.case0x20)).toEqual([true, true, true]);
    applyCase(servers, false);
    expect(servers.map((s) => s.case0x20)).toEqual([false, false, false]);
  });

  it('gives up on a server at its second miss', () => {
    const [s] = makeServers(['192.0.2.1'], parseServer);
    expect(caseMissed(s!)).toBe(false);
    expect(s!.noCase).toBe(false);
    expect(caseMissed(s!)).toBe(true);
    expect(s!.noCase).toBe(true);
    expect(caseMissed(s!)).toBe(false);
  });
});
