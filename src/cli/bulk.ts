/**
 * Bulk mode (`-f FILE`, `-` for stdin): one name per line (optionally a type
 * after it; `#` and `;` start comments), `--concurrency N` questions in
 * flight at once through one resolver. One line per name as each finishes
 * (text, or JSON with `--json`), then a summary line; a progress bar on
 * stderr when it is a terminal. Exit status 0 unless the input could not be
 * read (1).
 */
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Command } from './args.js';
import { ask, openBackend, type HostLookup } from './backend.js';
import { formatShort } from './format-dig.js';
import { countOutcome, outcomeJson, summaryJson, type BulkSummary } from './format-json.js';
import { formatTimeline } from './format-trace.js';
import type { CliIo } from './io.js';
import type { Outcome } from './outcome.js';

/** One question of the input. */
export interface BulkItem {
  readonly name: string;
  readonly type: string;
}

/** The questions of an input text. Pure. */
export function parseBulkInput(text: string, defaultType: string): BulkItem[] {
  const items: BulkItem[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (line === '') continue;
    const [name = '', type] = line.split(/\s+/);
    items.push({ name, type: type === undefined ? defaultType : type.toUpperCase() });
  }
  return items;
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** `[#####.....] 512/1000  answered 500  failed 12  850 q/s` (no newline; drawn over itself). */
export function progressLine(done: number, total: number, s: BulkSummary, elapsedMs: number, width = 30): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  const qps = elapsedMs > 0 ? Math.round((done / elapsedMs) * 1000) : 0;
  const ok = s.answered + s.nodata + s.nxdomain;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}  ok ${ok}  failed ${s.failed}  ${qps} q/s`;
}

class Progress {
  private last = -Infinity;
  constructor(private readonly io: CliIo, private readonly total: number, private readonly clock: () => number) {}

  update(done: number, s: BulkSummary, elapsed: number): void {
    if (!this.io.stderrIsTTY) return;
    const now = this.clock();
    if (now - this.last < 100 && done < this.total) return;
    this.last = now;
    this.io.stderr(`\r${progressLine(done, this.total, s, elapsed)}`);
  }

  end(): void {
    if (this.io.stderrIsTTY) this.io.stderr('\r\x1b[K');
  }
}

function textSummary(s: BulkSummary, qps: number): string {
  return `;; ${s.queries} queries: ${s.answered} answered, ${s.nxdomain} NXDOMAIN, ${s.nodata} NODATA, ${s.failed} failed; `
    + `${s.datagramsSent} datagrams sent in ${Math.round(s.elapsedMs)} ms (${qps} q/s)\n`;
}

/** Run bulk mode. */
export async function runBulk(cmd: Extract<Command, { kind: 'bulk' }>, io: CliIo, lookup?: HostLookup): Promise<number> {
  let text: string;
  try {
    text = cmd.file === '-' ? await readAll(io.stdin) : await readFile(cmd.file, 'utf8');
  } catch (error) {
    io.stderr(`sansdns: cannot read ${cmd.file === '-' ? 'stdin' : cmd.file}: ${(error as Error).message}\n`);
    return 1;
  }
  const items = parseBulkInput(text, cmd.type);
  const flags = cmd.flags;
  const backend = await openBackend(flags, flags.trace, false, lookup);
  const summary: BulkSummary = { queries: 0, answered: 0, nxdomain: 0, nodata: 0, failed: 0, datagramsSent: 0, elapsedMs: 0 };
  const start = backend.now();
  const progress = new Progress(io, items.length, () => performance.now());
  const emit = (o: Outcome): void => {
    countOutcome(summary, o);
    if (flags.json) io.stdout(`${JSON.stringify(outcomeJson(o))}\n`);
    else io.stdout(`${flags.trace ? formatTimeline(o) : ''}${formatShort(o)}\n`);
    progress.update(summary.queries, summary, backend.now() - start);
  };
  const inflight = new Set<Promise<void>>();
  try {
    for (const item of items) {
      const p: Promise<void> = ask(backend, item.name, item.type).then(emit).finally(() => inflight.delete(p));
      inflight.add(p);
      if (inflight.size >= cmd.concurrency) {
        backend.settle();
        await Promise.race(inflight);
      }
    }
    while (inflight.size > 0) {
      backend.settle();
      await Promise.race(inflight);
    }
  } finally {
    summary.datagramsSent = backend.resolver.stats.datagramsSent;
    summary.elapsedMs = backend.now() - start;
    backend.close();
    progress.end();
  }
  const line = summaryJson(summary) as { qps: number };
  io.stdout(flags.json ? `${JSON.stringify(line)}\n` : textSummary(summary, line.qps));
  return 0;
}
