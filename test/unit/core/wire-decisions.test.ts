/**
 * The receive path decides on the wire (issue 13): matching, the 0x20 case,
 * the cookie, the rcode with the OPT's upper bits and TC are read in place,
 * and a message is built only for an answer that finishes its query.
 * `buildMessage` is wrapped (vi.mock) and counted: these tests fail if a
 * message is built again for a response the core drops or resends on.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as decodeModule from '../../../src/core/codec/decode.js';
import { decodeMessage, encodeMessage } from '../../../src/codec.js';
import type { AnswerEvent, Received, TraceEvent } from '../../../src/core/types.js';
import { A, decode, finals, makeResolver, reply, type ReplyOptions } from '../../helpers/core-harness.js';

vi.mock('../../../src/core/codec/decode.js', async (original) => {
  const m = await original<typeof decodeModule>();
  return { ...m, buildMessage: vi.fn(m.buildMessage) };
});
const built = vi.mocked(decodeModule.buildMessage);

afterEach(() => {
  built.mockClear();
});

/** One query to one server, answered with a reply made of its transmit (`o`, then `edit`); what came out. */
function exchange(options: Parameters<typeof makeResolver>[0], o: ReplyOptions, edit?: (wire: Uint8Array) => Uint8Array) {
  const r = makeResolver({ servers: ['192.0.2.1'], trace: true, ...options });
  r.query(0, 'www.example', 'A');
  const t = r.poll().transmits[0]!;
  const wire = reply(t, o);
  const data = edit === undefined ? wire : edit(wire);
  built.mockClear();
  r.handleDatagrams(1, [{ data, peer: A } satisfies Received]);
  const out = r.poll();
  const traces = out.events.filter((e): e is TraceEvent => e.kind === 'trace').map((e) => `${e.what} ${e.detail}`);
  return { r, data, out, traces, builds: built.mock.calls.length };
}

describe('a message is built only for an answer that finishes its query', () => {
  it('an answer: built once, equal to decodeMessage of the datagram', () => {
    const { out, data, builds } = exchange({ cache: false }, {});
    expect(builds).toBe(1);
    const e = finals(out)[0] as AnswerEvent;
    const full = decodeMessage(data);
    expect(e.message).toEqual(full.ok && full.message);
  });

  it('SERVFAIL, FORMERR to EDNS, TC over UDP, BADCOOKIE in the OPT bits: acted on without a message', () => {
    for (const [o, trace] of [
      [{ rcode: 2 }, 'server-failed'],
      [{ rcode: 1 }, 'edns-fallback'],
      [{ tc: true }, 'tcp-fallback'],
      [{ rcode: 23 }, 'bad-cookie'],
    ] as const) {
      const { traces, builds, r } = exchange({ cache: false }, o);
      expect(builds, JSON.stringify(o)).toBe(0);
      expect(traces.some((t) => t.startsWith(trace)), `${JSON.stringify(o)}: ${traces.join('; ')}`).toBe(true);
      // The receive trace reads ID, rcode (12 bits) and TC off the wire, as it read them off the message.
      expect(traces.find((t) => t.startsWith('receive'))).toBe(`receive rcode ${o.rcode ?? 0}${'tc' in o ? ' TC' : ''}`);
      expect(r.stats.dropped).toEqual(makeResolver().stats.dropped);
    }
  });

  it('dropped for its case, its cookie, or two questions: nothing built', () => {
    const wrongCase = exchange({ case0x20: true, cookies: false }, { questionName: 'WWW.EXAMPLE' }, undefined);
    // The 0x20 query's name has some letter in lower case: the reply in upper case is in another case.
    expect(wrongCase.r.stats.dropped['wrong-case']).toBe(1);
    expect(wrongCase.builds).toBe(0);
    const badCookie = exchange({ cookies: true }, {}, (wire) => {
      // The reply with a COOKIE option that is not our client cookie: its OPT record last, no options yet.
      const out = new Uint8Array(wire.length + 20);
      out.set(wire);
      out[wire.length - 1] = 20;
      out.set([0, 10, 0, 16], wire.length);
      return out;
    });
    expect(badCookie.r.stats.dropped['bad-cookie']).toBe(1);
    expect(badCookie.builds).toBe(0);
    const two = exchange({}, {}, (wire) => {
      const m = decode(wire);
      return encodeMessage({ ...m, questions: [m.questions[0]!, m.questions[0]!] });
    });
    expect(two.r.stats.dropped).toMatchObject({ 'wrong-question': 1, malformed: 0 });
    expect(two.builds).toBe(0);
  });
});
