/**
 * Replaying a trace: feed its inputs to a fresh core, random bytes as they
 * were drawn, and drain where the trace drained. One replay, two views:
 * {@link replayTrace} checks each drained output against the recorded one,
 * byte for byte; {@link replayOutputs} hands back the outputs themselves
 * (`Output` objects), and also accepts traces of inputs only (older
 * recordings, without `output` lines).
 */
import { Resolver } from '../core/resolver.js';
import { fromHex } from '../core/codec/base-n.js';
import type { Output } from '../core/types.js';
import { outputRecord, type TraceRecord } from './format.js';

/** What a replay found. */
export interface ReplayResult {
  /** True when every recorded output was reproduced byte for byte. */
  readonly identical: boolean;
  /** Output records compared. */
  readonly compared: number;
  /** The first differences, as text. */
  readonly mismatches: string[];
  /** Every output of the replayed core, as `output` records. */
  readonly outputs: TraceRecord[];
}

/** The core's `random` option replaying the trace's random records in order. */
export function randomFrom(records: readonly TraceRecord[]): (buf: Uint8Array) => void {
  const blocks = records.flatMap((r) => (r.op === 'random' ? [fromHex(r.hex)] : []));
  let next = 0;
  return (buf) => {
    const block = blocks[next++];
    if (block === undefined) throw new Error('the trace ran out of random bytes');
    buf.set(block.subarray(0, buf.length));
  };
}

/**
 * Apply one input record of a trace to `core` (other records are ignored).
 * Returns the handle of a `query` record's query. Throws what the core throws.
 */
export function feedInput(core: Resolver, r: TraceRecord): number | undefined {
  switch (r.op) {
    case 'query': return core.query(r.now, r.name, r.type, r.options);
    case 'cancel': core.cancel(r.now, r.handle); break;
    case 'cancelAll': core.cancelAll(r.now); break;
    case 'datagrams':
      core.handleDatagrams(r.now, r.datagrams.map((d) => (d.token === undefined ? { peer: d.peer, data: fromHex(d.hex) } : { peer: d.peer, data: fromHex(d.hex), token: d.token })));
      break;
    case 'error': core.handleError(r.now, { ...r.transmit, data: fromHex(r.transmit.hex) }, r.code); break;
    case 'timeout': core.handleTimeout(r.now); break;
    default: break;
  }
  return undefined;
}

/**
 * The one replay loop: a fresh core from the trace's `init` record, fed every
 * input; `drained` gets each output where the trace drained (at each `output`
 * record, with that record; after each input, with the input, for a trace
 * without them). Inputs that threw when recorded (caller mistakes) throw
 * again here, changed nothing, and are skipped.
 */
function replay(records: readonly TraceRecord[], drained: (out: Output, at: TraceRecord, index: number) => void): void {
  const init = records.find((r) => r.op === 'init');
  if (init === undefined || init.op !== 'init') throw new Error('a trace starts with an init record');
  const core = new Resolver({ ...init.options, random: randomFrom(records) });
  const drainsRecorded = records.some((r) => r.op === 'output');
  for (const [i, r] of records.entries()) {
    if (r.op === 'output') {
      drained(core.poll(), r, i);
      continue;
    }
    try {
      feedInput(core, r);
    } catch {
      // A caller mistake thrown at record time throws again here; it changed nothing.
    }
    if (!drainsRecorded && r.op !== 'init' && r.op !== 'random') drained(core.poll(), r, i);
  }
}

/**
 * Feed `records` to a fresh core and check every `output` record is
 * reproduced exactly (same datagram bytes, events, deadline).
 */
export function replayTrace(records: readonly TraceRecord[]): ReplayResult {
  if (records[0]?.op !== 'init') throw new Error('a trace starts with an init record');
  const outputs: TraceRecord[] = [];
  const mismatches: string[] = [];
  replay(records, (out, r, i) => {
    if (r.op !== 'output') return;
    const got = outputRecord(r.now, out);
    outputs.push(got);
    const want = JSON.stringify(r);
    if (JSON.stringify(got) !== want && mismatches.length < 10) mismatches.push(`line ${i + 1}: want ${want.slice(0, 300)}, got ${JSON.stringify(got).slice(0, 300)}`);
  });
  return { identical: mismatches.length === 0, compared: outputs.length, mismatches, outputs };
}

/**
 * Feed recorded inputs to a fresh core and collect every output, drained
 * where the trace drained (at each `output` record; after each input for a
 * trace without them). Same records, same transcript.
 */
export function replayOutputs(records: readonly TraceRecord[]): Output[] {
  const outputs: Output[] = [];
  replay(records, (out) => outputs.push(out));
  return outputs;
}
