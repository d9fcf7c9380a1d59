/**
 * The progress bar of bulk mode, on stderr and only when it is a terminal
 * (or `--progress`): questions done, the rate in q/s, and when the input's
 * size is known (a file, or stdin redirected from one), the share of it
 * read and the time left. Redrawn in place at most every 200 ms.
 */
import type { BulkSummary } from './bulk-summary.js';

/** Where the run stands. */
export interface ProgressState {
  readonly done: number;
  /** Bytes of input read. */
  readonly offset: number;
  /** Bytes of input in all, when known. */
  readonly total: number | undefined;
  readonly elapsedMs: number;
  readonly summary: BulkSummary;
}

function group(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `h:mm:ss`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** `[#######.........]  42%  12,345 done  3,210 q/s  ETA 0:01:23  NOERROR 12,000 NXDOMAIN 345` (no newline). */
export function progressLine(p: ProgressState, width = 20): string {
  const rate = p.elapsedMs > 0 ? (p.done / p.elapsedMs) * 1000 : 0;
  const parts: string[] = [];
  if (p.total !== undefined && p.total > 0) {
    const share = Math.min(1, p.offset / p.total);
    const filled = Math.round(share * width);
    const eta = share > 0 ? (p.elapsedMs * (1 - share)) / share : undefined;
    parts.push(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`, `${String(Math.floor(share * 100)).padStart(3)}%`);
    parts.push(`${group(p.done)} done`, `${group(rate)} q/s`, `ETA ${eta === undefined ? '?' : duration(eta)}`);
  } else {
    parts.push(`${group(p.done)} done`, `${group(rate)} q/s`, `${duration(p.elapsedMs)} elapsed`);
  }
  const counts = p.summary.sorted().slice(0, 3).map(([k, n]) => `${k} ${group(n)}`).join(' ');
  return `${parts.join('  ')}${counts === '' ? '' : `  ${counts}`}`;
}

/** Draws {@link progressLine} over itself on a terminal; does nothing when off. */
export class Progress {
  private last = -Infinity;
  private drawn = false;

  constructor(private readonly write: (text: string) => void, private readonly on: boolean, private readonly clock: () => number) {}

  /** Redraw, unless drawn less than 200 ms ago. */
  update(state: () => ProgressState): void {
    if (!this.on) return;
    const now = this.clock();
    if (now - this.last < 200) return;
    this.last = now;
    this.drawn = true;
    this.write(`\r\x1b[K${progressLine(state())}`);
  }

  /** Clear the bar (the summary follows on stdout). */
  end(): void {
    if (this.drawn) this.write('\r\x1b[K');
  }
}
