/**
 * The mirror follows a resolver's core through its recorded inputs: each
 * question's outcome with its timeline and size, the response behind a
 * failure, and memory bounded by the questions in flight, however many ran.
 */
import { describe, expect, it } from 'vitest';
import { SimResolver } from '../../src/sim.js';
import { ask } from '../../src/cli/ask.js';
import type { Backend } from '../../src/cli/backend.js';
import { DEMO_ZONE } from '../../src/cli/demo-zone.js';
import { CoreMirror } from '../../src/cli/mirror.js';

function simBackend(mirror: CoreMirror, behaviour?: 'refuse'): Backend {
  const sim = new SimResolver({
    seed: 5, trace: mirror.record, autoRun: true,
    servers: [{ address: '192.0.2.1', zones: [DEMO_ZONE], ...(behaviour === 'refuse' ? { behaviour: { refused: 1 } } : {}) }],
  });
  return { resolver: sim, mirror, simulated: true, now: () => sim.now(), settle: () => void sim.settle(), close: () => sim.close() };
}

describe('CoreMirror', () => {
  it('each outcome with its timeline and the size of its response', async () => {
    const mirror = new CoreMirror(true);
    const b = simBackend(mirror);
    const o = await ask(b, { name: 'www.sansdns.test', type: 'A' });
    b.close();
    expect(o).toMatchObject({ kind: 'answer', name: 'www.sansdns.test', type: 'A', sent: 1 });
    expect(o.kind === 'answer' && o.size).toBeGreaterThan(40);
    expect(o.timeline?.map((e) => e.what)).toEqual(['send', 'receive']);
  });

  it('a question that ended with REFUSED carries that response, for dig\'s status header', async () => {
    const mirror = new CoreMirror(false);
    const b = simBackend(mirror, 'refuse');
    const o = await ask(b, { name: 'www.sansdns.test', type: 'A' });
    b.close();
    expect(o).toMatchObject({ kind: 'error', code: 'EREFUSED', reply: { message: { rcode: 5 }, server: { address: '192.0.2.1', port: 53 } } });
    expect(o.kind === 'error' && o.reply?.size).toBeGreaterThan(20);
  });

  it('holds trace events for the questions in flight only, however many ran', async () => {
    const mirror = new CoreMirror(true);
    const b = simBackend(mirror);
    for (let i = 0; i < 3000; i++) await ask(b, { name: `n${i}.sansdns.test`, type: 'A' });
    b.close();
    expect(mirror.heldEvents).toBeLessThan(4096);
  });
});
