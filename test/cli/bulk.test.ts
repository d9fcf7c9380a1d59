/**
 * Bulk mode on lists larger than memory should ever hold: 200,000 names
 * streamed through a fake server on loopback that answers some questions
 * late (so results finish out of order), with the reorder buffer and the
 * questions in flight checked against their bounds, the output checked to
 * be in input order line by line (without keeping it), and the input
 * checked to be read only as far as needed. Then --unordered, the summary
 * by outcome, the progress bar, and the pacing of --rate on a fake clock.
 */
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { bulkRun, type BulkResult } from '../../src/cli/bulk.js';
import type { CliIo } from '../../src/cli/io.js';
import { Pacer } from '../../src/cli/pacer.js';
import { progressLine } from '../../src/cli/progress.js';
import { BulkSummary } from '../../src/cli/bulk-summary.js';
import { opt, rcodeAnswer, record, response, startFake, startWorkerAnswerer, type FakeServer, type QueryView } from './fake-servers.js';
import { runCli } from './helpers.js';

const noLookup = (): Promise<string[]> => Promise.reject(new Error('no host names here'));

/** An A record for every name. */
function anA(q: QueryView): Buffer {
  return response(q, 0, [record(1, Buffer.from([192, 0, 2, 1]))], q.edns ? [opt()] : []);
}

/** `n0.test`, `n1.test`, ... as a stream of chunks, made as they are read. */
function names(count: number, produced: { n: number }, perChunk = 500): Readable {
  return Readable.from((function* () {
    for (let i = 0; i < count; i += perChunk) {
      const lines: string[] = [];
      for (let j = i; j < Math.min(count, i + perChunk); j++) lines.push(`n${j}.test`);
      produced.n = Math.min(count, i + perChunk);
      yield Buffer.from(`${lines.join('\n')}\n`);
    }
  })(), { objectMode: false });
}

/** An io that checks each output line as it comes and keeps none. */
function checkingIo(stdin: Readable, onLine: (line: string) => void, tty = false): CliIo & { stderrText: () => string } {
  let partial = '';
  let stderr = '';
  return {
    stdout: (text) => {
      const parts = (partial + text).split('\n');
      partial = parts.pop() as string;
      for (const l of parts) onLine(l);
    },
    stderr: (text) => void (stderr += text),
    stdin,
    stderrIsTTY: tty,
    stderrText: () => stderr,
  };
}

describe('bulk mode streams, keeps input order, and stays bounded', () => {
  let server: { port: number; close(): Promise<void> };
  let delayed: FakeServer;

  beforeAll(async () => {
    server = await startWorkerAnswerer();
    // The same answers, one in eight held back 1-5 ms, so they come back out of order.
    let k = 0;
    delayed = await startFake((q) => (k++ % 8 === 0 ? delay(1 + (k % 5)).then(() => anA(q)) : anA(q)));
  });
  afterAll(async () => {
    await server?.close();
    await delayed?.close();
  });

  it('200,000 names: every result, in input order, with the reorder buffer and the window within their bounds', async () => {
    const count = Number(process.env['BULK_TEST_NAMES'] ?? 200_000);
    const produced = { n: 0 };
    let next = 0;
    let outOfOrder = 0;
    let summary: Record<string, unknown> | undefined;
    let producedAtFirstLine = -1;
    const io = checkingIo(names(count, produced), (line) => {
      if (producedAtFirstLine < 0) producedAtFirstLine = produced.n;
      if (line.startsWith(';;')) {
        summary = { line };
        return;
      }
      // In order; on a loaded machine a question may time out, and it keeps its place too.
      if (!new RegExp(`^n${next}\\.test\\tA\\t(NOERROR\\t192\\.0\\.2\\.1|TIMEOUT\\t)`).test(line)) outOfOrder++;
      next++;
    });
    const cmd = parseArgs(['-f', '-', `@127.0.0.1:${server.port}`, '--concurrency', '200', '--timeout', '20000']);
    if (cmd.kind !== 'bulk') throw new Error(cmd.kind);
    const result: BulkResult = await bulkRun(cmd, io, noLookup);
    expect(next).toBe(count);
    expect(outOfOrder).toBe(0);
    expect(result.summary.questions).toBe(count);
    expect(summary).toEqual({ line: expect.stringMatching(/^;; \d+ questions in [\d.]+ s \([\d.]+ q\/s\): NOERROR \d+/) });
    expect(result.window.maxInFlight).toBeLessThanOrEqual(200);
    expect(result.window.maxBuffered).toBeLessThanOrEqual(result.reorder);
    expect(result.reorder).toBe(200 * 64);
    // The first result came out long before the input was read to its end.
    expect(producedAtFirstLine).toBeGreaterThan(0);
    expect(producedAtFirstLine).toBeLessThan(count / 10);
  }, 180_000);

  it('late answers fill the reorder buffer, never past its bound; --unordered holds nothing', async () => {
    const count = 20_000;
    for (const unordered of [false, true]) {
      let next = 0;
      let inOrder = true;
      const io = checkingIo(names(count, { n: 0 }), (line) => {
        if (line.startsWith(';;')) return;
        if (!line.startsWith(`n${next}.test\t`)) inOrder = false;
        next++;
      });
      const cmd = parseArgs(['-f', '-', `@127.0.0.1:${delayed.port}`, '--concurrency', '50', '--timeout', '2000', ...(unordered ? ['--unordered'] : [])]);
      if (cmd.kind !== 'bulk') throw new Error(cmd.kind);
      const r = await bulkRun(cmd, io, noLookup);
      expect(next).toBe(count);
      expect(r.window.maxInFlight).toBeLessThanOrEqual(50);
      if (unordered) {
        expect(r.window.maxBuffered).toBe(0);
      } else {
        expect(inOrder).toBe(true);
        expect(r.window.maxBuffered).toBeGreaterThan(0);
        expect(r.window.maxBuffered).toBeLessThanOrEqual(r.reorder);
      }
    }
  }, 120_000);
});

describe('bulk mode: outcomes, lines, progress, rate', () => {
  let rcodes: FakeServer;
  let silent: FakeServer;

  beforeAll(async () => {
    rcodes = await startFake(rcodeAnswer);
    silent = await startFake(() => undefined);
  });
  afterAll(async () => {
    await rcodes?.close();
    await silent?.close();
  });

  it('a summary by outcome; exit 0 when every question got a response, 9 when one did not', async () => {
    const input = 'r0.test\nr3.test\nr2.test\nr5.test +norec\nr5.test\nr9.test\n# comment\n\nr0.test TXT\n';
    const r = await runCli(['-f', '-', `@127.0.0.1:${rcodes.port}`, '+nocookie', '--json'], input);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l['name'] ?? 'summary')).toEqual(['r0.test', 'r3.test', 'r2.test', 'r5.test', 'r5.test', 'r9.test', 'r0.test', 'summary']);
    expect(lines.at(-1)).toMatchObject({ queries: 7, outcomes: { NODATA: 2, NXDOMAIN: 1, SERVFAIL: 1, REFUSED: 2, EBADRESP: 1 }, unanswered: 0 });
    const timeout = await runCli(['-f', '-', `@127.0.0.1:${silent.port}`, '--timeout', '300'], 'a.test\nb.test\n');
    expect(timeout.status).toBe(9);
    expect(timeout.stdout).toMatch(/^a\.test\tA\tTIMEOUT\t\(\d+(\.\d)? ms\)$/m);
    expect(timeout.stdout).toMatch(/: TIMEOUT 2; \d+ datagrams sent$/m);
  });

  it('--dig: dig\'s text per result, with the line\'s own +options', async () => {
    const r = await runCli(['-f', '-', `@127.0.0.1:${rcodes.port}`, '+nocookie', '--dig'], 'r5.test +noall +comments\nr3.test +short\n');
    expect(r.stdout).toContain(';; ->>HEADER<<- opcode: QUERY, status: REFUSED, id: ');
    expect(r.stdout).not.toContain(';; QUESTION SECTION:');
  });

  it('a progress bar with rate and ETA when stderr is a terminal, none when piped', async () => {
    for (const tty of [true, false]) {
      const io = checkingIo(Readable.from([Buffer.from('r0.test\nr3.test\n')]), () => undefined, tty);
      const cmd = parseArgs(['-f', '-', `@127.0.0.1:${rcodes.port}`]);
      if (cmd.kind !== 'bulk') throw new Error(cmd.kind);
      await bulkRun(cmd, { ...io, stdinSize: 16 }, noLookup);
      if (tty) expect(io.stderrText()).toMatch(/\r\x1b\[K\[#+\.*\] +\d+%  \d+ done  [\d,]+ q\/s  ETA \d:\d\d:\d\d/);
      else expect(io.stderrText()).toBe('');
    }
    const s = new BulkSummary();
    expect(progressLine({ done: 1234, offset: 0, total: undefined, elapsedMs: 2000, summary: s })).toBe('1,234 done  617 q/s  0:00:02 elapsed');
    expect(progressLine({ done: 50, offset: 250, total: 1000, elapsedMs: 1000, summary: s }, 8)).toBe('[##......]   25%  50 done  50 q/s  ETA 0:00:03');
  });

  it('--rate spaces the starts evenly, and a run that fell behind catches up by a tenth of a second at most', async () => {
    let now = 0;
    const waits: number[] = [];
    const pacer = new Pacer(100, () => now, async (ms) => {
      waits.push(ms);
      now += ms;
    });
    for (let i = 0; i < 5; i++) await pacer.take();
    expect(waits).toEqual([10, 10, 10, 10]);
    now += 1000; // stalled for a second
    const before = waits.length;
    for (let i = 0; i < 11; i++) await pacer.take();
    expect(waits.length - before).toBe(0); // 100 ms of catch-up: 11 starts at once
    await pacer.take();
    expect(waits.at(-1)).toBe(10);
  });
});
