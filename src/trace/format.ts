/**
 * The trace format of sansdns, one for every driver: every input of a core
 * (its options minus functions, each call with its `now`, datagrams as hex,
 * random bytes as drawn) and every output (datagrams, events and the
 * deadline, with the time they were drained), as JSON-able records, one JSON
 * line each. {@link TracedResolver} (`recorder.ts`) writes it, whatever drives
 * the core (the simulator, the Node driver's `trace` option, a DoH resolver
 * given `recordingCore`); `replay.ts` reads it back byte for byte. A trace
 * without `output` lines (an older recording) still replays, but checks
 * nothing.
 */
import type { TransportErrorCode } from '../core/errors.js';
import { toHex } from '../core/codec/base-n.js';
import type { Endpoint, Output, QueryOptions, ResolverOptions } from '../core/types.js';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** One line of a trace. */
export type TraceRecord =
  | { readonly op: 'init'; readonly options: Omit<ResolverOptions, 'random'> }
  | { readonly op: 'random'; readonly hex: string }
  | { readonly op: 'query'; readonly now: number; readonly name: string; readonly type: string | number; readonly options: QueryOptions }
  | { readonly op: 'cancel'; readonly now: number; readonly handle: number }
  | { readonly op: 'cancelAll'; readonly now: number }
  | { readonly op: 'datagrams'; readonly now: number; readonly datagrams: readonly { peer: Endpoint; hex: string; token?: number }[] }
  | { readonly op: 'error'; readonly now: number; readonly transmit: { peer: Endpoint; hex: string; handle: number; token: number }; readonly code: TransportErrorCode }
  | { readonly op: 'timeout'; readonly now: number }
  | { readonly op: 'output'; readonly now: number; readonly transmits: Json; readonly events: Json; readonly deadline: number | null };

/** A JSON-able copy: bytes as hex, errors as `{ code, message }`. */
export function toJson(value: unknown): Json {
  if (value instanceof Uint8Array) return toHex(value);
  if (value instanceof Error) return { code: (value as { code?: string }).code ?? null, message: value.message };
  if (Array.isArray(value)) return value.map(toJson);
  if (value === undefined) return null;
  if (typeof value === 'object' && value !== null) {
    const out: { [k: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v);
    return out;
  }
  return value as Json;
}

/** The `output` record of one drained {@link Output} at `now`. */
export function outputRecord(now: number, out: Output): TraceRecord {
  const transmits = out.transmits.map((t) => ({ peer: t.peer, hex: toHex(t.data), handle: t.handle, token: t.token }));
  return { op: 'output', now, transmits: toJson(transmits), events: toJson(out.events), deadline: out.deadline ?? null };
}

/** Records as JSON lines (one record per line, `\n` after each). */
export function toJsonLines(records: readonly TraceRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/** Records from JSON lines; blank lines are skipped. */
export function fromJsonLines(text: string): TraceRecord[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as TraceRecord);
}
