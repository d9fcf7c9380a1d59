/**
 * Recording what the core saw, so a user's bug report can be replayed:
 * every input call with its `now`, every received datagram as hex, and every
 * block of random bytes the core drew, in order, as JSON-able records (one
 * JSON line each). {@link replayTrace} feeds them to a fresh core and returns
 * what it put out.
 */
import { Resolver } from '../core/resolver.js';
import type { QueryErrorCode } from '../core/errors.js';
import type { Endpoint, Output, QueryOptions, Received, ResolverOptions, Transmit } from '../core/types.js';

type Serializable = Omit<ResolverOptions, 'random'>;
type TransmitError = Exclude<QueryErrorCode, 'ETIMEOUT' | 'ECANCELLED'>;

/** One input of the core, in the order it happened. */
export type TraceRecord =
  | { readonly op: 'init'; readonly options: Serializable }
  | { readonly op: 'random'; readonly hex: string }
  | { readonly op: 'query'; readonly now: number; readonly name: string; readonly type: string | number; readonly options: QueryOptions }
  | { readonly op: 'cancel'; readonly now: number; readonly handle: number }
  | { readonly op: 'cancelAll'; readonly now: number }
  | { readonly op: 'datagrams'; readonly now: number; readonly datagrams: readonly { peer: Endpoint; hex: string; token?: number }[] }
  | { readonly op: 'error'; readonly now: number; readonly transmit: { peer: Endpoint; hex: string; handle: number; token: number }; readonly code: TransmitError }
  | { readonly op: 'timeout'; readonly now: number };

/** Lower-case hex of bytes. */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] as number).toString(16).padStart(2, '0');
  return s;
}

/** Bytes of lower-case or upper-case hex. */
export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function serializable(options: ResolverOptions): Serializable {
  const { random: _random, ...rest } = options;
  return rest;
}

/** A core that hands each of its inputs to `record` before acting on it. */
export class RecordingResolver extends Resolver {
  private readonly record: (r: TraceRecord) => void;

  constructor(options: ResolverOptions, record: (r: TraceRecord) => void) {
    const random = options.random;
    super({
      ...options,
      random: (bytes: Uint8Array) => {
        random(bytes);
        record({ op: 'random', hex: toHex(bytes) });
      },
    });
    this.record = record;
    record({ op: 'init', options: serializable(options) });
  }

  override query(now: number, name: string, type: string | number = 'A', options: QueryOptions = {}): number {
    this.record({ op: 'query', now, name, type, options });
    return super.query(now, name, type, options);
  }

  override cancel(now: number, handle: number): boolean {
    this.record({ op: 'cancel', now, handle });
    return super.cancel(now, handle);
  }

  override cancelAll(now: number): number {
    this.record({ op: 'cancelAll', now });
    return super.cancelAll(now);
  }

  override handleDatagrams(now: number, datagrams: readonly Received[]): void {
    const list = datagrams.map((d) => (d.token === undefined ? { peer: d.peer, hex: toHex(d.data) } : { peer: d.peer, hex: toHex(d.data), token: d.token }));
    this.record({ op: 'datagrams', now, datagrams: list });
    super.handleDatagrams(now, datagrams);
  }

  override handleError(now: number, transmit: Transmit, code: TransmitError): void {
    const t = { peer: transmit.peer, hex: toHex(transmit.data), handle: transmit.handle, token: transmit.token };
    this.record({ op: 'error', now, transmit: t, code });
    super.handleError(now, transmit, code);
  }

  override handleTimeout(now: number): void {
    this.record({ op: 'timeout', now });
    super.handleTimeout(now);
  }
}

/**
 * Feed recorded inputs to a fresh core and collect every output, draining
 * after each input as a driver does. Same records, same transcript.
 * Inputs that throw (caller mistakes) are replayed as thrown and skipped.
 */
export function replayTrace(records: readonly TraceRecord[]): Output[] {
  const init = records.find((r) => r.op === 'init');
  if (init === undefined || init.op !== 'init') throw new Error('a trace starts with an init record');
  const bytes = records.flatMap((r) => (r.op === 'random' ? [fromHex(r.hex)] : []));
  const core = new Resolver({
    ...init.options,
    random: (buf: Uint8Array) => {
      const next = bytes.shift();
      if (next === undefined) throw new Error('the trace ran out of random bytes');
      buf.set(next.subarray(0, buf.length));
    },
  });
  const outputs: Output[] = [];
  for (const r of records) {
    try {
      replayOne(core, r);
    } catch {
      // A caller mistake thrown at record time throws again here; it changed nothing.
    }
    if (r.op !== 'init' && r.op !== 'random') outputs.push(core.poll());
  }
  return outputs;
}

function replayOne(core: Resolver, r: TraceRecord): void {
  switch (r.op) {
    case 'query': core.query(r.now, r.name, r.type, r.options); break;
    case 'cancel': core.cancel(r.now, r.handle); break;
    case 'cancelAll': core.cancelAll(r.now); break;
    case 'datagrams':
      core.handleDatagrams(r.now, r.datagrams.map((d) => (d.token === undefined ? { peer: d.peer, data: fromHex(d.hex) } : { peer: d.peer, data: fromHex(d.hex), token: d.token })));
      break;
    case 'error':
      core.handleError(r.now, { ...r.transmit, data: fromHex(r.transmit.hex) }, r.code);
      break;
    case 'timeout': core.handleTimeout(r.now); break;
    default: break;
  }
}
