/**
 * `sansdns/trace`: recording and replaying what a core saw, for every driver
 * (Node, DoH, the simulator). A trace is JSON lines: each input with its
 * `now`, every random byte drawn, every drained output. Record one with a
 * resolver's `trace` option (the DoH resolver needs `core: recordingCore`) or
 * by building a {@link TracedResolver}; replay it with {@link replayTrace},
 * which checks every output byte for byte.
 * @packageDocumentation
 */
export { TracedResolver, recordingCore } from './trace/recorder.js';
export { toJson, outputRecord, toJsonLines, fromJsonLines } from './trace/format.js';
export type { TraceRecord, Json } from './trace/format.js';
export { replayTrace, replayOutputs, feedInput, randomFrom } from './trace/replay.js';
export type { ReplayResult } from './trace/replay.js';
