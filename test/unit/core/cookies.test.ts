/** cookies.ts: the COOKIE option on a query (RFC 7873 §4) and the checks of a response's (§5.3). */
import { describe, expect, it } from 'vitest';
import { checkCookie, clientCookie, withCookie, COOKIE } from '../../../src/core/cookies.js';
import { RandomPool } from '../../../src/core/random.js';
import { makeServers, parseServer } from '../../../src/core/servers.js';
import { decodeMessage, encodeMessage, encodeQuery, parseName, type Message } from '../../../src/codec.js';
import { checkMessage } from '../../../src/core/codec/decode.js';
import { walked } from '../../../src/core/codec/walk.js';
import { testRandom } from '../../helpers/core-harness.js';

const client = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
const server = () => makeServers(['192.0.2.1'], parseServer)[0]!;
const query = () => encodeQuery({ id: 9, labels: parseName('www.example').labels, type: 1, class: 1, rd: true, edns: { payload: 1232, do: false } });
const reply = (data: Uint8Array | undefined): Message => ({
  id: 9, opcode: 0, rcode: 0, flags: {} as never, questions: [], answers: [], authorities: [], additionals: [],
  edns: { payload: 1232, version: 0, do: false, options: data === undefined ? [] : [{ code: COOKIE, data }] },
});

/** `checkCookie` on the wire of `m`, its OPT record where the walk found it (as the receive path calls it). */
function check(s: ReturnType<typeof server>, c: Uint8Array, m: Message, asBuffer = false): boolean {
  const wire = encodeMessage(m);
  expect(checkMessage(wire, 65535)).toBeUndefined();
  return checkCookie(s, c, asBuffer ? Buffer.from(wire) : wire, walked.opt);
}

describe('withCookie', () => {
  it('appends the client cookie, then the server cookie when known, in the OPT record', () => {
    const wire = query();
    for (const known of [undefined, Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9)]) {
      const out = withCookie(wire, client, known);
      expect(out.length).toBe(wire.length + 4 + 8 + (known?.length ?? 0));
      const d = decodeMessage(out);
      expect(d.ok && d.message.edns?.options).toEqual([{ code: COOKIE, data: known === undefined ? client : Uint8Array.of(...client, ...known) }]);
      expect(d.ok && d.message.id).toBe(9);
    }
    expect(query()).toEqual(wire);
  });
});

describe('clientCookie', () => {
  it('draws 8 bytes once per server, from the random source', () => {
    const s = server();
    const random = new RandomPool(testRandom(3));
    const first = clientCookie(s, random);
    expect(first.length).toBe(8);
    expect(clientCookie(s, random)).toBe(first);
    expect(s.clientCookie).toBe(first);
  });
});

describe('checkCookie', () => {
  it('accepts a response without a cookie until the server has sent one', () => {
    const s = server();
    expect(check(s, client, reply(undefined))).toBe(true);
    expect(check(s, client, { ...reply(undefined), edns: undefined })).toBe(true);
    const good = Uint8Array.of(...client, ...new Array<number>(8).fill(7));
    expect(check(s, client, reply(good))).toBe(true);
    expect(s.cookieSeen).toBe(true);
    expect(s.serverCookie).toEqual(new Uint8Array(8).fill(7));
    expect(check(s, client, reply(undefined))).toBe(false);
  });

  it('refuses another client cookie, and a server cookie outside 8..32 bytes', () => {
    const s = server();
    const other = Uint8Array.of(...client.map((b) => b ^ 1), ...new Array<number>(8).fill(0));
    expect(check(s, client, reply(other))).toBe(false);
    expect(check(s, client, reply(Uint8Array.of(...client, 1, 2, 3)))).toBe(false);
    expect(check(s, client, reply(Uint8Array.of(...client, ...new Array<number>(33).fill(1))))).toBe(false);
    expect(s.cookieSeen).toBe(false);
    expect(check(s, client, reply(Uint8Array.of(...client, ...new Array<number>(32).fill(1))))).toBe(true);
  });
});

describe('checkCookie and the server cookie learned', () => {
  it('keeps the server cookie it holds while the server sends the same bytes, and copies a new one when they change', () => {
    const s = server();
    const a = Uint8Array.of(...client, 1, 2, 3, 4, 5, 6, 7, 8);
    expect(check(s, client, reply(a))).toBe(true);
    const learned = s.serverCookie;
    expect(learned).toEqual(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    expect(learned?.buffer).not.toBe(a.buffer);
    // The same server cookie again (a fresh copy from the decoder): the one held stays, nothing is copied.
    expect(check(s, client, reply(a.slice()))).toBe(true);
    expect(s.serverCookie).toBe(learned);
    // Another one (BIND's carries a timestamp), or the same bytes at another length: learned anew.
    const b = Uint8Array.of(...client, 1, 2, 3, 4, 5, 6, 7, 9);
    expect(check(s, client, reply(b))).toBe(true);
    expect(s.serverCookie).toEqual(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 9));
    const longer = Uint8Array.of(...client, 1, 2, 3, 4, 5, 6, 7, 9, 0, 0, 0, 0);
    expect(check(s, client, reply(longer))).toBe(true);
    expect(s.serverCookie).toEqual(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 9, 0, 0, 0, 0));
    // A wrong client cookie is refused and teaches nothing.
    const held = s.serverCookie;
    expect(check(s, client, reply(Uint8Array.of(0, ...client.subarray(1), 5, 5, 5, 5, 5, 5, 5, 5)))).toBe(false);
    expect(s.serverCookie).toBe(held);
  });
});

describe('checkCookie on the wire', () => {
  it('finds COOKIE after other options, and copies a server cookie out of a Buffer as a plain array', () => {
    const s = server();
    const good = Uint8Array.of(...client, 4, 4, 4, 4, 4, 4, 4, 4);
    const m: Message = { ...reply(undefined), edns: { payload: 1232, version: 0, do: false, options: [{ code: 12, data: new Uint8Array(3) }, { code: COOKIE, data: good }] } };
    expect(check(s, client, m, true)).toBe(true);
    expect(s.serverCookie?.constructor).toBe(Uint8Array);
    expect(s.serverCookie).toEqual(new Uint8Array(8).fill(4));
    expect(check(s, client, { ...m, edns: { ...m.edns!, options: [{ code: 12, data: new Uint8Array(3) }] } })).toBe(false);
  });
});
