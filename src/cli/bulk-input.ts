/**
 * The lines of a bulk input, read as they are needed: the stream is pulled
 * one chunk at a time, so the first question goes out before the input is
 * read to its end, and a reader that waits (a full window of questions)
 * stops the reading. Memory is one chunk plus one line; a line longer than
 * {@link MAX_LINE} bytes is reported as such and skipped, not kept.
 */
import type { Readable } from 'node:stream';

/** Longest line kept, in bytes (a dig command line is far shorter). */
export const MAX_LINE = 16_384;

/** One line of the input. */
export interface InputLine {
  /** 1 for the first line. */
  readonly number: number;
  /** The line without its end (`\n` or `\r\n`); `undefined` when it was longer than {@link MAX_LINE}. */
  readonly text: string | undefined;
  /** Bytes of input read up to the end of this line (for progress against the input's size). */
  readonly offset: number;
}

const decoder = new TextDecoder('utf-8');

class LineSplitter {
  private parts: Buffer[] = [];
  private partBytes = 0;
  private tooLong = false;
  private number = 0;
  offset = 0;

  /** The lines completed by `chunk`. */
  *push(chunk: Buffer): Generator<InputLine> {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      this.keep(chunk.subarray(start, nl));
      this.offset += nl + 1 - start;
      start = nl + 1;
      yield this.take();
    }
    this.keep(chunk.subarray(start));
    this.offset += chunk.length - start;
  }

  /** The last line, when the input does not end with a newline. */
  *end(): Generator<InputLine> {
    if (this.partBytes > 0 || this.tooLong) yield this.take();
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0 || this.tooLong) return;
    if (this.partBytes + bytes.length > MAX_LINE) {
      this.tooLong = true;
      this.parts = [];
      this.partBytes = 0;
      return;
    }
    this.parts.push(bytes);
    this.partBytes += bytes.length;
  }

  private take(): InputLine {
    const whole = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts);
    const text = this.tooLong ? undefined : decoder.decode(whole).replace(/\r$/, '');
    this.parts = [];
    this.partBytes = 0;
    this.tooLong = false;
    return { number: ++this.number, text, offset: this.offset };
  }
}

/** The lines of `stream`, one at a time, reading only as far as the consumer has asked. */
export async function* inputLines(stream: Readable): AsyncGenerator<InputLine> {
  const splitter = new LineSplitter();
  for await (const chunk of stream) {
    yield* splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  yield* splitter.end();
}
