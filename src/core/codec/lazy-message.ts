/**
 * A message decoded in part (issue 13): what the caller of an answer reads
 * (ID, opcode, rcode, answers) is there at once; the flags are read off the
 * header when first asked for, and the questions, the authority and
 * additional sections and `edns` are decoded together when one of them is
 * first read. It equals, key for key and in the same order, what
 * `decodeMessage` gives for the same bytes: the four late keys are own
 * enumerable accessors, so comparing, spreading, cloning and
 * `JSON.stringify` see them as values. Their getters are shared by every
 * message (nothing is allocated per message for them), and what they need
 * is held in private fields, which no enumeration sees.
 */
import { buildMessage, decodeAnswers, flagsOf } from './decode.js';
import type { DnsRecord, Edns, Flags, Message, Question } from './types.js';
import type { KnownName } from './wire-name.js';

type Late = 'questions' | 'authorities' | 'additionals' | 'edns';

/** @internal A message whose rarely read sections wait for their first read; see the file's comment. */
export class LazyMessage implements Message {
  declare readonly id: number;
  declare readonly opcode: number;
  declare readonly rcode: number;
  declare readonly flags: Flags;
  declare readonly questions: readonly Question[];
  declare readonly answers: readonly DnsRecord[];
  declare readonly authorities: readonly DnsRecord[];
  declare readonly additionals: readonly DnsRecord[];
  declare readonly edns: Edns | undefined;
  readonly #bytes: Uint8Array;
  readonly #known: KnownName | undefined;
  #whole: Message | undefined;
  #flags: Flags | undefined;

  /** One shared accessor per late key: the value of the message built in full on first read (its answers unused: equal to ours). */
  static readonly #late = (key: Late): PropertyDescriptor => ({
    enumerable: true,
    configurable: true,
    get(this: LazyMessage) {
      return (this.#whole ??= buildMessage(this.#bytes, this.#known))[key];
    },
  });
  /** The flags on their own: the header alone is read for them. */
  static readonly #flagsOf: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get(this: LazyMessage) {
      return (this.#flags ??= flagsOf(this.#bytes));
    },
  };
  static readonly #questions = LazyMessage.#late('questions');
  static readonly #authorities = LazyMessage.#late('authorities');
  static readonly #additionals = LazyMessage.#late('additionals');
  static readonly #edns = LazyMessage.#late('edns');

  /**
   * `bytes`: a message `checkMessage` accepted, which nothing writes any more
   * (a copy when the caller may reuse its buffer); `answers`: its answer
   * section as `decodeAnswers` gave it with `known`; `rcode`: its extended
   * rcode (RFC 6891 §6.1.3).
   */
  constructor(bytes: Uint8Array, known: KnownName | undefined, answers: DnsRecord[], rcode: number) {
    this.#bytes = bytes;
    this.#known = known;
    this.#whole = undefined;
    this.#flags = undefined;
    const self = this as { -readonly [K in keyof Message]: Message[K] };
    self.id = ((bytes[0] as number) << 8) | (bytes[1] as number);
    self.opcode = ((bytes[2] as number) >> 3) & 0xf;
    self.rcode = rcode;
    Object.defineProperty(this, 'flags', LazyMessage.#flagsOf);
    Object.defineProperty(this, 'questions', LazyMessage.#questions);
    self.answers = answers;
    Object.defineProperty(this, 'authorities', LazyMessage.#authorities);
    Object.defineProperty(this, 'additionals', LazyMessage.#additionals);
    Object.defineProperty(this, 'edns', LazyMessage.#edns);
  }
}

/**
 * The message of `wire` (a message `checkMessage` accepted, its extended
 * rcode `rcode`) as a {@link LazyMessage}: its answers decoded now, the rest
 * on first read, from a copy of `wire`, as the caller may reuse its buffer
 * once the call that handed it in returns. Equal to `buildMessage(wire, known)`.
 * @internal
 */
export function lazyMessage(wire: Uint8Array, known: KnownName | undefined, rcode: number): Message {
  const bytes = new Uint8Array(wire);
  return new LazyMessage(bytes, known, decodeAnswers(bytes, known), rcode);
}
