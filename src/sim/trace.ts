/**
 * Traces: every input of a core (its options minus functions, each call with
 * its `now`, datagrams as hex, random bytes as drawn) and every output
 * (datagrams, events and the deadline, with the time they were drained), as
 * JSON lines. {@link TracedResolver} records any core, whatever drives it (the
 * simulator or the Node driver); {@link replayTrace} feeds the inputs of a
 * trace to a fresh core and checks that its outputs are byte-identical.
 *
 * This is the one trace format of sansdns: the Node driver's `trace` option
 * records it too (`src/api/trace.ts`), so its traces replay here byte for
 * byte. A trace without `output` lines (an older recording) still replays,
 * but checks nothing.
 */
import { Resolver } from '../core/resolver.js';
import type { TransportErrorCode } from '../core/errors.js';
import type { Endpoint, Output, QueryOptions, Received, ResolverOptions, Transmit } from '../core/types.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

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

/** Lower-case hex of bytes. */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] as number).toString(16).padStart(2, '0');
  return s;
}

/** Bytes of hex text. */
export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

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

/** A core that records every input and every drained output. Use it wherever a `Resolver` is built. */
export class TracedResolver extends Resolver {
  private readonly record: (r: TraceRecord) => void;
  private last = -Infinity;

  constructor(options: ResolverOptions, record: (r: TraceRecord) => void) {
    const random = options.random;
    super({ ...options, random: (bytes: Uint8Array) => { random(bytes); record({ op: 'random', hex: toHex(bytes) }); } });
    this.record = record;
    const { random: _drop, ...rest } = options;
    record({ op: 'init', options: JSON.parse(JSON.stringify(rest)) as Omit<ResolverOptions, 'random'> });
  }

  override query(now: number, name: string, type: string | number = 'A', options: QueryOptions = {}): number {
    this.input({ op: 'query', now, name, type, options }, now);
    return super.query(now, name, type, options);
  }

  override cancel(now: number, handle: number): boolean {
    this.input({ op: 'cancel', now, handle }, now);
    return super.cancel(now, handle);
  }

  override cancelAll(now: number): number {
    this.input({ op: 'cancelAll', now }, now);
    return super.cancelAll(now);
  }

  override handleDatagrams(now: number, datagrams: readonly Received[]): void {
    const list = datagrams.map((d) => (d.token === undefined ? { peer: d.peer, hex: toHex(d.data) } : { peer: d.peer, hex: toHex(d.data), token: d.token }));
    this.input({ op: 'datagrams', now, datagrams: list }, now);
    super.handleDatagrams(now, datagrams);
  }

  override handleError(now: number, transmit: Transmit, code: TransportErrorCode): void {
    this.input({ op: 'error', now, transmit: { peer: transmit.peer, hex: toHex(transmit.data), handle: transmit.handle, token: transmit.token }, code }, now);
    super.handleError(now, transmit, code);
  }

  override handleTimeout(now: number): void {
    this.input({ op: 'timeout', now }, now);
    super.handleTimeout(now);
  }

  override poll(): Output {
    const out = super.poll();
    this.record(outputRecord(this.last, out));
    return out;
  }

  private input(r: TraceRecord, now: number): void {
    if (typeof now === 'number' && now > this.last) this.last = now;
    this.record(r);
  }
}

/** Records as JSON lines (one record per line, `\n` after each). */
export function toJsonLines(records: readonly TraceRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/** Records from JSON lines; blank lines are skipped. */
export function fromJsonLines(text: string): TraceRecord[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as TraceRecord);
}

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
