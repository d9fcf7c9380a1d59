/**
 * Replaying a trace: feed its inputs to a fresh core, random bytes as they
 * were drawn, and compare each drained output with the recorded one.
 */
import { Resolver } from '../core/resolver.js';
import { fromHex, outputRecord, type ReplayResult, type TraceRecord } from './trace.js';

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

/** Apply one input record of a trace to `core` (other records are ignored). Throws what the core throws. */
export function feedInput(core: Resolver, r: TraceRecord): void {
  switch (r.op) {
    case 'query': core.query(r.now, r.name, r.type, r.options); break;
    case 'cancel': core.cancel(r.now, r.handle); break;
    case 'cancelAll': core.cancelAll(r.now); break;
    case 'datagrams':
      core.handleDatagrams(r.now, r.datagrams.map((d) => (d.token === undefined ? { peer: d.peer, data: fromHex(d.hex) } : { peer: d.peer, data: fromHex(d.hex), token: d.token })));
      break;
    case 'error': core.handleError(r.now, { ...r.transmit, data: fromHex(r.transmit.hex) }, r.code); break;
    case 'timeout': core.handleTimeout(r.now); break;
    default: break;
  }
}

/**
 * Feed `records` to a fresh core and check every `output` record is
 * reproduced exactly (same datagram bytes, events, deadline). Inputs that
 * threw when recorded (caller mistakes) throw again and are skipped.
 */
export function replayTrace(records: readonly TraceRecord[]): ReplayResult {
  const init = records[0];
  if (init === undefined || init.op !== 'init') throw new Error('a trace starts with an init record');
  const core = new Resolver({ ...init.options, random: randomFrom(records) });
  const outputs: TraceRecord[] = [];
  const mismatches: string[] = [];
  for (const [i, r] of records.entries()) {
    if (r.op === 'output') {
      const got = outputRecord(r.now, core.poll());
      outputs.push(got);
      const want = JSON.stringify(r);
      if (JSON.stringify(got) !== want && mismatches.length < 10) mismatches.push(`line ${i + 1}: want ${want.slice(0, 300)}, got ${JSON.stringify(got).slice(0, 300)}`);
      continue;
    }
    try {
      feedInput(core, r);
    } catch {
      // A caller mistake thrown at record time throws again here and changed nothing.
    }
  }
  return { identical: mismatches.length === 0, compared: outputs.length, mismatches, outputs };
}
