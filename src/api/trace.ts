/**
 * Recording what the core saw, so a user's bug report can be replayed. The
 * format is the simulator's (`src/sim/trace.ts`), one for every driver: each
 * input call with its `now`, every received datagram as hex, every block of
 * random bytes the core drew, and every drained output (datagrams, events,
 * deadline), as JSON-able records, one JSON line each. So a trace recorded by
 * the Node driver (its `trace` option) replays the same way in the
 * simulator's `replayTrace`, which checks each output byte for byte.
 *
 * {@link replayTrace} here is the driver-side view of the same replay: it
 * hands back the outputs themselves (`Output` objects), and also accepts
 * traces of inputs only (older recordings, without `output` lines).
 */
import { Resolver } from '../core/resolver.js';
import type { Output } from '../core/types.js';
import { TracedResolver, type TraceRecord } from '../sim/trace.js';
import { feedInput, randomFrom } from '../sim/replay.js';
import type { CoreFactory } from './promise-resolver.js';

export { TracedResolver as RecordingResolver, toHex, fromHex } from '../sim/trace.js';
export type { TraceRecord } from '../sim/trace.js';

/**
 * The core factory of the promise API that honours its `trace` option: a
 * recording core when `trace` is given, else a plain one. The Node driver and
 * the simulator use it; pass it as `core` to a `DohResolver` to trace one.
 */
export const recordingCore: CoreFactory = (options, trace) => (trace === undefined ? new Resolver(options) : new TracedResolver(options, trace));

/**
 * Feed recorded inputs to a fresh core and collect every output, drained
 * where the trace drained (at each `output` record; after each input for a
 * trace without them). Same records, same transcript. Inputs that throw
 * (caller mistakes) are replayed as thrown and skipped.
 */
export function replayTrace(records: readonly TraceRecord[]): Output[] {
  const init = records.find((r) => r.op === 'init');
  if (init === undefined || init.op !== 'init') throw new Error('a trace starts with an init record');
  const core = new Resolver({ ...init.options, random: randomFrom(records) });
  const drainsRecorded = records.some((r) => r.op === 'output');
  const outputs: Output[] = [];
  for (const r of records) {
    if (r.op === 'output') {
      outputs.push(core.poll());
      continue;
    }
    try {
      feedInput(core, r);
    } catch {
      // A caller mistake thrown at record time throws again here; it changed nothing.
    }
    if (!drainsRecorded && r.op !== 'init' && r.op !== 'random') outputs.push(core.poll());
  }
  return outputs;
}
