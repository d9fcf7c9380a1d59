/**
 * Golden transcripts and replay. The hash covers every input and output of
 * the core (JSON lines). It changes when the core, the codec or the
 * simulator changes behaviour on purpose: check the diff, then update it.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, transcriptHash } from './scenario.js';
import { fromJsonLines, toJsonLines, type TraceRecord } from '../../src/sim/trace.js';
import { replayTrace } from '../../src/sim/replay.js';

const GOLDEN: Record<number, string> = {
  1: 'fa993db464b2d28daaff643d1363f5d4fe27249bfe7029076ed2834aafa2b804',
  4: 'ddf2164d3922f60949c38323d9127684b8b7ccee4a5417a51a4b97d1d6e6ff96',
  42: '824b728b440db2b83c4424ded9e9b1d14c2eb9f35b84b9d2b2ff3fd57c4619ea',
  1337: 'a3aa2318dc31fad926ee2c8da971c5e1549756c46e0ab8fd1b58a820718d0780',
};

describe('golden transcripts', () => {
  for (const [seed, hash] of Object.entries(GOLDEN)) {
    it(`seed ${seed}`, () => {
      expect(transcriptHash(Number(seed))).toBe(hash);
      expect(transcriptHash(Number(seed))).toBe(hash);
    });
  }
});

describe('regression seeds', () => {
  // Seed 4 found the runner handing the core the time before the step (elapsed disagreed with the clock).
  it.each([4, 1, 2, 3])('seed %i keeps every invariant', (seed) => {
    expect(runScenario(seed).violations).toEqual([]);
  });
});

describe('replay', () => {
  it.each([1, 4, 7, 42, 99, 1337, 2024])('seed %i replays byte-identically from JSON lines', (seed) => {
    const records: TraceRecord[] = [];
    runScenario(seed, (r) => records.push(r));
    const result = replayTrace(fromJsonLines(toJsonLines(records)));
    expect(result.mismatches).toEqual([]);
    expect(result.identical).toBe(true);
    expect(result.compared).toBeGreaterThan(0);
  });

  it('notices a trace that was tampered with', () => {
    const records: TraceRecord[] = [];
    runScenario(42, (r) => records.push(r));
    const i = records.findIndex((r) => r.op === 'random');
    const tampered = records.map((r, k) => (k === i && r.op === 'random' ? { ...r, hex: '00'.repeat(r.hex.length / 2) } : r));
    expect(replayTrace(tampered).identical).toBe(false);
  });
});
