/**
 * The query wire of a question (`encodeQuery`, ID 0), encoded once per kept
 * question and DO/CD bits and shared by every query of that question: the
 * attempts copy it (`attempt-wire.ts`) and never write it.
 */
import { encodeQuery } from './codec/index.js';
import { readName } from './codec/text.js';
import type { KnownName } from './codec/wire-name.js';
import type { PreparedQuestion } from './question.js';
import type { Settings } from './settings.js';

/** @internal The query wires of kept questions, by DO/CD bits. */
export class QueryWires {
  private readonly wires = new WeakMap<PreparedQuestion, (Uint8Array | undefined)[]>();
  /** The question name of each kept wire, as wire and text: a response's names that are it reuse the text (`wire-name.ts`). */
  readonly names = new WeakMap<Uint8Array, KnownName>();

  constructor(private readonly settings: Settings) {}

  /**
   * The query wire of `p` with these bits (DO 1, CD 2), ID 0: encoded once per
   * question and flags when `p` is a kept question (frozen, `QuestionMemo`),
   * shared by its queries (`attempt-wire.ts` never writes it), else encoded.
   */
  of(p: PreparedQuestion, bits: number): Uint8Array {
    const kept = Object.isFrozen(p) ? this.wires.get(p) : undefined;
    const hit = kept?.[bits];
    if (hit !== undefined) return hit;
    const question = p.question;
    const wire = encodeQuery({
      id: 0, labels: p.labels, type: question.type, class: question.class, rd: this.settings.recursionDesired, cd: (bits & 2) !== 0,
      edns: this.settings.edns ? { payload: this.settings.ednsPayload, do: (bits & 1) !== 0 } : undefined,
    });
    if (Object.isFrozen(p)) this.names.set(wire, { wire, offset: 12, text: readName(wire, 12) });
    if (kept !== undefined) kept[bits] = wire;
    else if (Object.isFrozen(p)) {
      const wires: (Uint8Array | undefined)[] = [undefined, undefined, undefined, undefined];
      wires[bits] = wire;
      this.wires.set(p, wires);
    }
    return wire;
  }
}
