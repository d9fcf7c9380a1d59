/**
 * Bulk mode's resolvers: one per way of asking (`settings.ts`
 * `resolverKey`), so lines with the same options share one resolver, its
 * cache and its sockets; a line with `+tcp` or `+norec` gets its own.
 */
import type { ServerInput } from '../index.js';
import type { Flags } from './args.js';
import { openBackend, type Backend } from './backend.js';
import { resolverKey, type Ask } from './settings.js';
import { UsageError } from './usage-error.js';

/** Distinct ways of asking in one run at most (each is a resolver with its own sockets). */
export const MAX_RESOLVERS = 32;

/** Resolvers by way of asking, opened on first use, closed together. */
export class BackendPool {
  private readonly backends = new Map<string, Backend>();

  constructor(
    private readonly flags: Flags,
    private readonly servers: readonly ServerInput[],
    private readonly mirrored: boolean,
  ) {}

  /** The resolver for `ask`. Throws a {@link UsageError} past {@link MAX_RESOLVERS} ways of asking. */
  get(ask: Ask): Backend {
    const key = resolverKey(ask);
    const found = this.backends.get(key);
    if (found !== undefined) return found;
    if (this.backends.size >= MAX_RESOLVERS) throw new UsageError('conflict', `more than ${MAX_RESOLVERS} different sets of query options in one run`);
    const b = openBackend(this.flags, ask, { mirrored: this.mirrored, traced: this.flags.trace, autoSettle: false, servers: this.servers });
    this.backends.set(key, b);
    return b;
  }

  /** Run every simulator until its questions are done (nothing on the network). */
  settle(): void {
    for (const b of this.backends.values()) b.settle();
  }

  /** Datagrams sent by every resolver. */
  datagramsSent(): number {
    let n = 0;
    for (const b of this.backends.values()) n += b.resolver.stats.datagramsSent;
    return n;
  }

  /** The clock of the run: the simulator's (the latest of them) under `--simulate`, else the wall clock. */
  now(): number {
    if (this.flags.simulate === undefined) return performance.now();
    let t = 0;
    for (const b of this.backends.values()) t = Math.max(t, b.now());
    return t;
  }

  close(): void {
    for (const b of this.backends.values()) b.close();
    this.backends.clear();
  }
}
