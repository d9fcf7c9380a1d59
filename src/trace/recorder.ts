/**
 * Recording what a core saw, so a user's bug report can be replayed:
 * {@link TracedResolver} is a core that writes every input and every drained
 * output as a {@link TraceRecord}, and {@link recordingCore} is the core
 * factory of the promise API that builds one when its `trace` option is set.
 */
import { Resolver } from '../core/resolver.js';
import type { TransportErrorCode } from '../core/errors.js';
import { toHex } from '../core/codec/base-n.js';
import type { Output, QueryOptions, Received, ResolverOptions, Transmit } from '../core/types.js';
import { outputRecord, type TraceRecord } from './format.js';

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

/**
 * The core factory of the promise API that honours its `trace` option: a
 * recording core when `trace` is given, else a plain one. The Node driver,
 * the DoH bridge and the simulated resolver use it; pass it as `core` to a
 * `DohResolver` to trace one.
 */
export function recordingCore(options: ResolverOptions, trace: ((record: TraceRecord) => void) | undefined): Resolver {
  return trace === undefined ? new Resolver(options) : new TracedResolver(options, trace);
}
