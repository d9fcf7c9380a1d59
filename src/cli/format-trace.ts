/**
 * The `--trace` timeline: one line per trace event of the core, timed from
 * the query's start: each datagram out and in (transport, server, ID, size),
 * each timer that fired, each fallback and server failure with its reason,
 * each dropped datagram with why. Pure; lines start with `;;` so the output
 * stays a dig-style comment block.
 */
import { endpointText } from '../index.js';
import type { Outcome, TimelineEntry } from './outcome.js';

/** Milliseconds as `+12.3`. */
function offset(ms: number): string {
  return `+${ms.toFixed(1)}`;
}

/** One event as a line (without the `;;` prefix). */
export function timelineLine(e: TimelineEntry): string {
  const peer = e.peer === undefined ? '-' : `${e.peer.transport} ${endpointText(e.peer)}`;
  const id = e.id === undefined ? '' : `id ${e.id}`;
  const size = e.size === undefined ? '' : `${e.size} B`;
  // The core's send detail repeats the size; the column already shows it.
  const detail = e.size === undefined ? e.detail : e.detail.replace(new RegExp(`^size ${e.size}(, )?`), '');
  return [
    offset(e.offset).padStart(9), e.what.padEnd(14), peer.padEnd(24), id.padEnd(8), size.padStart(6), ` ${detail}`,
  ].join(' ').trimEnd();
}

/** The timeline of one question as `;;` lines, with a heading. */
export function formatTimeline(o: Outcome): string {
  const entries = o.timeline ?? [];
  const head = `;; TRACE ${o.name} ${o.type}: ${entries.length} events as the core saw them (ms from the start of the query)`;
  return [head, ...entries.map((e) => `;; ${timelineLine(e)}`)].join('\n') + '\n';
}

/** The timeline as JSON-able objects (for `--json --trace`). */
export function timelineJson(entries: readonly TimelineEntry[]): object[] {
  return entries.map((e) => ({
    offsetMs: round(e.offset),
    what: e.what,
    ...(e.peer === undefined ? {} : { server: endpointText(e.peer), transport: e.peer.transport }),
    ...(e.id === undefined ? {} : { id: e.id }),
    ...(e.size === undefined ? {} : { size: e.size }),
    detail: e.detail,
  }));
}

/** ms rounded to µs, so JSON carries no float noise. */
export function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
