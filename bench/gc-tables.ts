/**
 * `npm run bench -- gc-tables`: what the loop's table of waiting queries costs
 * the garbage collector after a full GC (issue 13, p99). The promise API over
 * an in-process loopback (no sockets: each query answered from its own bytes
 * in a later macrotask, batched), 100 in flight, cache and coalescing off;
 * after a warm-up, `gc()` (as `node-udp` does before each round), then the
 * timed queries. Two rows, in the same run, alternating: the loop's table a
 * `Map` (what a platform without `handleTable` gets, e.g. DoH) and a
 * `HandleTable` (what the Node driver gives). A `Map` copied on growth keeps
 * its stale entries and a link to its copy; once one copy is old, the chain
 * keeps settled queries alive for every scavenge until the next full GC.
 * Prints GC pauses per 1,000 queries, the mean scavenge, the old space grown
 * per scavenge, and the latency p99; ratios Map / HandleTable.
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { PromiseResolver } from '../src/api/promise-resolver.js';
import type { CoreLoop, HandleMap, Transport } from '../src/api/loop.js';
import { serversFromNode } from '../src/api/servers.js';
import { HandleTable } from '../src/core/handle-table.js';
import type { Received, Transmit } from '../src/core/types.js';
import { recordingCore } from '../src/trace/recorder.js';

const WARM = 20_000;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 100_000);
const CONCURRENCY = 100;
/** The answer's record after the question: `www.example.test A 192.0.2.1` by a pointer to the question name. */
const RECORD = new Uint8Array([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 1, 0, 0, 4, 192, 0, 2, 1]);

/** Answers each query with one A record, all the turn's queries in one later macrotask. */
class Loopback implements Transport {
  private loop: CoreLoop | undefined;
  private pending: Transmit[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  attach(loop: CoreLoop): void { this.loop = loop; }
  close(): void { if (this.timer !== undefined) clearTimeout(this.timer); }
  now(): number { return performance.now(); }
  send(transmits: readonly Transmit[]): void {
    if (this.pending.length === 0 && transmits.length > 0) setImmediate(() => this.flush());
    for (const t of transmits) this.pending.push(t);
  }
  setTimer(deadline: number | undefined, fire: () => void): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = deadline === undefined ? undefined : setTimeout(fire, Math.max(0, deadline - this.now()));
  }
  private flush(): void {
    const replies: Received[] = this.pending.map((t) => {
      const q = t.data;
      const end = 12 + q.subarray(12).indexOf(0) + 5;
      const r = new Uint8Array(end + RECORD.length);
      r.set(q.subarray(0, end));
      r[2] = 0x81; r[3] = 0x80; r[7] = 1; r[11] = 0;
      r.set(RECORD, end);
      return { data: r, peer: t.peer, token: t.token };
    });
    this.pending = [];
    this.loop?.receive(replies);
  }
}

/** The same, giving the loop a `HandleTable`, as the Node driver does. */
class TableLoopback extends Loopback {
  handleTable<T>(): HandleMap<T> { return new HandleTable<T>(); }
}

interface Row { gcPerKq: number; gcMsPerKq: number; scavengeMs: number; oldKbPerScavenge: number; p99: number }

/** `n` resolve4 calls, CONCURRENCY in flight; their latencies in ms. */
async function closedLoop(r: PromiseResolver, n: number): Promise<Float64Array> {
  const lat = new Float64Array(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      const t0 = performance.now();
      await r.resolve4('www.example.test').catch(() => undefined);
      lat[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return lat;
}

const oldSpace = (): number => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_used_size ?? 0;

async function measure(withTable: boolean): Promise<Row> {
  const r = new PromiseResolver({ cache: false, coalesce: false }, () => (withTable ? new TableLoopback() : new Loopback()),
    (b: Uint8Array) => crypto.getRandomValues(b), ['192.0.2.1'], serversFromNode, recordingCore);
  await closedLoop(r, WARM);
  (globalThis as { gc?: () => void }).gc?.();
  let minor = 0, minorMs = 0, all = 0, allMs = 0, grown = 0, last = oldSpace();
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      all++;
      allMs += e.duration;
      if ((e as { detail?: { kind?: number } }).detail?.kind !== constants.NODE_PERFORMANCE_GC_MINOR) continue;
      minor++;
      minorMs += e.duration;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  const sampler = setInterval(() => { const now = oldSpace(); grown += Math.max(0, now - last); last = now; }, 5);
  const lat = await closedLoop(r, QUERIES);
  clearInterval(sampler);
  await new Promise((res) => setTimeout(res, 20));
  obs.disconnect();
  r.close();
  lat.sort();
  return {
    gcPerKq: (all * 1000) / QUERIES, gcMsPerKq: (allMs * 1000) / QUERIES, scavengeMs: minor === 0 ? 0 : minorMs / minor,
    oldKbPerScavenge: minor === 0 ? 0 : grown / 1024 / minor, p99: lat[Math.floor(lat.length * 0.99)] as number,
  };
}

export async function run(): Promise<void> {
  if ((globalThis as { gc?: unknown }).gc === undefined) console.log('(no gc(): run with node --expose-gc, as npm run bench does)');
  console.log(`promise API over an in-process loopback; ${QUERIES} A queries after ${WARM} and a gc(), concurrency ${CONCURRENCY}; median of 3 rounds (alternating)`);
  const rows: Record<'Map' | 'HandleTable', Row[]> = { Map: [], HandleTable: [] };
  for (let round = 0; round < 3; round++) {
    rows.Map.push(await measure(false));
    rows.HandleTable.push(await measure(true));
  }
  const median = (list: Row[], k: keyof Row): number => (list.map((x) => x[k]).sort((a, b) => a - b)[1] as number);
  console.log(`${'loop table'.padEnd(14)}${'gc/kq'.padStart(8)}${'gc ms/kq'.padStart(10)}${'scavenge ms'.padStart(13)}${'old KB/scav'.padStart(13)}${'p99 ms'.padStart(9)}`);
  for (const [name, list] of Object.entries(rows)) {
    console.log(`${name.padEnd(14)}${median(list, 'gcPerKq').toFixed(2).padStart(8)}${median(list, 'gcMsPerKq').toFixed(2).padStart(10)}${median(list, 'scavengeMs').toFixed(2).padStart(13)}${median(list, 'oldKbPerScavenge').toFixed(0).padStart(13)}${median(list, 'p99').toFixed(2).padStart(9)}`);
  }
  const ratio = (k: keyof Row): string => (median(rows.Map, k) / Math.max(1e-9, median(rows.HandleTable, k))).toFixed(1);
  console.log(`Map / HandleTable: ${ratio('gcMsPerKq')}x GC ms per query, ${ratio('scavengeMs')}x per scavenge, ${ratio('p99')}x p99`);
}
