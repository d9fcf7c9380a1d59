/**
 * Answers decoded lazily on the receive path (issue 13): the core decides on
 * the wire, decodes the answer section for the chain, and builds the rest of
 * the message only when it is read (`codec/lazy-message.ts`). Counted here:
 * `buildMessage` is wrapped (vi.mock), so these tests fail if the message is
 * built eagerly again on the path of `resolve4`.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as decodeModule from '../../../src/core/codec/decode.js';
import { LazyMessage, lazyMessage } from '../../../src/core/codec/lazy-message.js';
import { walked } from '../../../src/core/codec/walk.js';
import { responseRcode } from '../../../src/core/response-match.js';
import { decodeMessage, encodeMessage, type Message } from '../../../src/codec.js';
import { SimResolver } from '../../../src/sim.js';
import type { AnswerEvent, Transmit } from '../../../src/core/types.js';
import { A, finals, makeResolver, reply } from '../../helpers/core-harness.js';

vi.mock('../../../src/core/codec/decode.js', async (original) => {
  const m = await original<typeof decodeModule>();
  return { ...m, buildMessage: vi.fn(m.buildMessage) };
});
const built = vi.mocked(decodeModule.buildMessage);

afterEach(() => {
  built.mockClear();
});

/** A reply to `t` with an answer and an authority record (its TTL `ttl`). */
function replyTo(t: Transmit, ttl = 60): Uint8Array {
  return reply(t, { answers: [{ name: 'www.example', type: 'A', class: 1, ttl: 300, data: '192.0.2.80' }], authorities: [{ name: 'example', type: 'NS', class: 1, ttl, data: 'ns.example' }] });
}

/** One query answered over UDP with a reply to its transmit `t` (edited by `edit`); the answer event. */
function answer(options: Parameters<typeof makeResolver>[0], edit?: (wire: Uint8Array) => Uint8Array): { event: AnswerEvent; data: Uint8Array; t: Transmit } {
  const r = makeResolver({ servers: ['192.0.2.1'], ...options });
  r.query(0, 'www.example', 'A');
  const t = r.poll().transmits[0]!;
  const wire = replyTo(t);
  const data = edit === undefined ? wire : edit(wire);
  built.mockClear();
  r.handleDatagrams(1, [{ data, peer: A }]);
  const e = finals(r.poll())[0] as AnswerEvent;
  expect(e.kind).toBe('answer');
  return { event: e, data, t };
}

describe('an answer over UDP, cache off', () => {
  it('builds no message until one of its late sections is read, then once; equal to decodeMessage of the datagram', () => {
    const { event, data } = answer({ cache: false });
    const full = decodeMessage(data);
    expect(full.ok).toBe(true);
    expect(event.message).toBeInstanceOf(LazyMessage);
    expect([event.message.rcode, event.message.id, event.message.answers.length]).toEqual([0, full.ok && full.message.id, 1]);
    expect(event.message.flags).toEqual(full.ok && full.message.flags);
    expect(built).toHaveBeenCalledTimes(0);
    expect(event.message.authorities).toEqual(full.ok && full.message.authorities);
    expect(event.message.edns).toEqual(full.ok && full.message.edns);
    expect(event.message).toEqual(full.ok && full.message);
    expect(built).toHaveBeenCalledTimes(1);
    // The chain's records are the message's answers, the very objects.
    expect(event.records[0]).toBe(event.message.answers[0]);
  });

  it('keeps the bytes it was given: the caller may reuse its buffer once handleDatagrams returns', () => {
    const { event, data, t } = answer({ cache: false });
    const want = decodeMessage(data.slice());
    // Whatever the caller writes into its buffer now (here: the same reply with another TTL), the message reads what arrived.
    const other = replyTo(t, 61);
    expect(other.length).toBe(data.length);
    data.set(other);
    expect(event.message).toEqual(want.ok && want.message);
  });

  it('reads a Buffer (a view into a pool) as the same message', () => {
    const { event, data } = answer({ cache: false }, (wire) => {
      const pool = Buffer.alloc(wire.length + 7);
      pool.set(wire, 7);
      return pool.subarray(7);
    });
    const full = decodeMessage(Uint8Array.from(data));
    expect(event.message).toEqual(full.ok && full.message);
  });

  it('is a plain message, built at once, when the cache stores it', () => {
    const { event, data } = answer({ cache: true });
    expect(event.message).not.toBeInstanceOf(LazyMessage);
    expect(built).toHaveBeenCalledTimes(1);
    const full = decodeMessage(data);
    expect(event.message).toEqual(full.ok && full.message);
  });
});

describe('resolve4 through the promise API (the simulator)', () => {
  it('answers without building a message', async () => {
    const zone = '$ORIGIN example.test.\n@ IN SOA ns h 1 2 3 4 5\nwww IN A 192.0.2.80\n';
    const r = new SimResolver({ seed: 3, servers: [{ address: '192.0.2.1', zones: [zone] }], cache: false, network: { latency: 5 } });
    built.mockClear();
    expect(await r.resolve4('www.example.test')).toEqual(['192.0.2.80']);
    expect(await r.resolve6('www.example.test').catch((e: { code: string }) => e.code)).toBe('ENODATA');
    expect(built).toHaveBeenCalledTimes(0);
  });
});

describe('LazyMessage', () => {
  const wire = encodeMessage({
    id: 7, rcode: 0x10 + 3, flags: { qr: true, aa: true, ad: true },
    questions: [{ name: 'a.example', type: 1, class: 1 }],
    answers: [{ name: 'a.example', type: 'A', class: 1, ttl: 5, data: '192.0.2.1' }],
    additionals: [{ name: 'x.example', type: 'TXT', class: 1, ttl: 5, data: [Uint8Array.of(104, 105)] }],
    edns: { payload: 1232, options: [{ code: 10, data: new Uint8Array(24).fill(3) }] },
  });
  const plain = (decodeMessage(wire) as { message: Message }).message;
  /** The lazy message of `b`, as the receive path makes it: its rcode read with the OPT's bits. */
  const lazyOf = (b: Uint8Array): Message => {
    expect(decodeModule.checkMessage(b, 65535)).toBeUndefined();
    return lazyMessage(b, undefined, responseRcode(b, walked.opt));
  };

  it('is key for key, in order, the message decodeMessage gives: compared, spread, cloned, stringified', () => {
    const m = lazyOf(wire);
    expect(Object.keys(m)).toEqual(Object.keys(plain));
    expect(m).toEqual(plain);
    expect(plain).toEqual(m);
    expect({ ...m }).toStrictEqual(plain);
    expect(structuredClone(m)).toEqual(plain);
    expect(JSON.stringify(m)).toBe(JSON.stringify(plain));
    expect(m.rcode).toBe(0x13);
  });

  it('copies what it is given, out of a Buffer too, into plain arrays', () => {
    const pool = Buffer.alloc(wire.length + 3);
    pool.set(wire, 3);
    const view = pool.subarray(3);
    const m = lazyOf(view);
    pool.fill(0);
    expect(m).toEqual(plain);
    expect(m.edns?.options[0]?.data.constructor).toBe(Uint8Array);
  });

  it('reads its flags off the header alone, and keeps each value it handed out', () => {
    const m = lazyOf(wire);
    built.mockClear();
    const flags = m.flags;
    expect(flags).toEqual(plain.flags);
    expect(built).toHaveBeenCalledTimes(0);
    const questions = m.questions;
    expect([m.flags, m.questions]).toEqual([flags, questions]);
    expect(m.flags).toBe(flags);
    expect(m.questions).toBe(questions);
    expect(built).toHaveBeenCalledTimes(1);
  });
});
