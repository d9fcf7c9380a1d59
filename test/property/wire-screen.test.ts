/**
 * The receive path on the wire (issue 13) against what it replaced, which
 * read a decoded message: the rcode and TC read in place, the 0x20 screen
 * (the question name's text against the name sent, `nameTextEquals`) and the
 * cookie check (the COOKIE option found in the OPT rdata), over random and
 * fuzzed messages. The old checks are kept here as the
 * oracles, as they were written on `Message`. Seeded: a failure replays.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMessage, decodeMessage } from '../../src/core/codec/decode.js';
import { encodeMessage, type EdnsOption, type Message } from '../../src/core/codec/index.js';
import { readName, skipName } from '../../src/core/codec/text.js';
import { walked } from '../../src/core/codec/walk.js';
import { nameTextEquals } from '../../src/core/codec/wire-name.js';
import { COOKIE, checkCookie } from '../../src/core/cookies.js';
import { responseRcode, truncated } from '../../src/core/response-match.js';
import { screen, type ScreenHost } from '../../src/core/screen.js';
import { newStats } from '../../src/core/events.js';
import type { Attempt } from '../../src/core/query.js';
import type { ServerState } from '../../src/core/servers.js';
import { editsArb, mangle } from '../helpers/mangle.js';

const seed = 1313;

// ---- the checks as they were written on a decoded message (the oracles)

function oldCookieOption(m: Message): EdnsOption | undefined {
  return m.edns?.options.find((o) => o.code === COOKIE);
}

function oldCheckCookie(server: ServerState, client: Uint8Array, m: Message): boolean {
  const opt = oldCookieOption(m);
  if (opt === undefined) return !server.cookieSeen;
  const d = opt.data;
  if (d.length < 16 || d.length > 40) return false;
  for (let i = 0; i < 8; i++) if (d[i] !== client[i]) return false;
  const known = server.serverCookie;
  const same = known !== undefined && known.length === d.length - 8 && known.every((x, i) => x === d[i + 8]);
  if (!same) server.serverCookie = d.slice(8);
  server.cookieSeen = true;
  return true;
}

function oldScreenCase(m: Message, caseName: string): boolean {
  return m.questions.length > 0 && m.questions[0]!.name !== caseName;
}

// ---- arbitraries

const letter = fc.constantFrom(...'aAbBxXzZ09-_'.split(''));
const oddByte = fc.constantFrom('\\.', '\\\\', '\\032', '\\000', '\\255', '\\127', '\\"', '(');
const labelArb = fc.array(fc.oneof({ weight: 6, arbitrary: letter }, { weight: 1, arbitrary: oddByte }), { minLength: 1, maxLength: 8 }).map((cs) => cs.join(''));
const nameArb = fc.oneof({ weight: 1, arbitrary: fc.constant('.') }, { weight: 8, arbitrary: fc.array(labelArb, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.')) });

/** `name` with the case of some ASCII letters flipped (`flips`: one bit per character, cycled). */
function flipCase(name: string, flips: readonly boolean[]): string {
  let i = 0;
  return name.replace(/[A-Za-z]/g, (c) => (flips[i++ % Math.max(1, flips.length)] === true ? (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) : c));
}

// Lengths at and around the bounds (RFC 7873 §4: 8, or 16 to 40 bytes), as fast-check would seldom reach them by itself.
const cookieArb = fc.constantFrom(0, 7, 8, 9, 15, 16, 17, 24, 39, 40, 41, 44)
  .chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
const optionsArb = fc.array(fc.oneof(
  { weight: 3, arbitrary: fc.record({ code: fc.constantFrom(3, 8, 12, 15), data: fc.uint8Array({ maxLength: 6 }) }) },
  { weight: 4, arbitrary: cookieArb.map((data) => ({ code: COOKIE, data })) },
), { maxLength: 3 });

/** A response: a question name, answers at it, an OPT with options (or none), an extended rcode, TC. */
const responseArb = fc.record({
  id: fc.integer({ min: 0, max: 0xffff }),
  name: nameArb,
  rcode: fc.constantFrom(0, 1, 2, 3, 4, 5, 16, 23, 0x3a3),
  tc: fc.boolean(),
  edns: fc.option(fc.record({ options: optionsArb, do: fc.boolean() }), { nil: undefined }),
  answers: fc.nat({ max: 3 }),
  authority: fc.boolean(),
  questions: fc.constantFrom(0, 1, 1, 1, 2),
});

type Response = typeof responseArb extends fc.Arbitrary<infer T> ? T : never;

function encode(r: Response, client: Uint8Array, goodCookie: boolean): Uint8Array {
  const edns = r.edns === undefined && r.rcode > 15 ? { options: [] as EdnsOption[], do: false } : r.edns;
  // Some cookies start with our client cookie, as a server's answer does.
  const options = edns?.options.map((o: EdnsOption) => (o.code === COOKIE && goodCookie && o.data.length >= 8 ? { code: COOKIE, data: Uint8Array.of(...client, ...o.data.subarray(8)) } : o));
  return encodeMessage({
    id: r.id, rcode: r.rcode, flags: { qr: true, tc: r.tc, rd: true, ra: true },
    questions: Array.from({ length: r.questions }, () => ({ name: r.name, type: 1, class: 1 })),
    answers: Array.from({ length: r.answers }, (_, i) => ({ name: r.name, type: 'A', class: 1, ttl: 60 + i, data: `192.0.2.${i}` })),
    authorities: r.authority ? [{ name: r.name, type: 'SOA', class: 1, ttl: 5, data: { mname: 'ns.example', rname: 'h.example', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 } }] : [],
    edns: edns === undefined ? undefined : { payload: 1232, do: edns.do, options: options ?? [] },
  });
}

function serverState(seen: boolean, known: Uint8Array | undefined): ServerState {
  return { cookieSeen: seen, serverCookie: known } as unknown as ServerState;
}


describe('the receive path on the wire agrees with the checks it replaced', () => {
  it('rcode (with the OPT bits) and TC read in place equal the decoded message', () => {
    fc.assert(fc.property(responseArb, editsArb, (r, edits) => {
      const b = mangle(encode(r, new Uint8Array(8), false), edits);
      const full = decodeMessage(b);
      if (!full.ok) return;
      expect(checkMessage(b, 65535)).toBeUndefined();
      expect(responseRcode(b, walked.opt)).toBe(full.message.rcode);
      expect(truncated(b)).toBe(full.message.flags.tc);
    }), { seed, numRuns: 1500 });
  });

  it('nameTextEquals is readName(...) === text, for the name itself, other cases of it, and other names', () => {
    fc.assert(fc.property(nameArb, nameArb, fc.array(fc.boolean(), { maxLength: 8 }), fc.nat({ max: 3 }), (name, other, flips, pick) => {
      const b = encodeMessage({ id: 1, questions: [{ name, type: 1, class: 1 }], answers: [{ name, type: 'A', class: 1, ttl: 1, data: '192.0.2.1' }] });
      const text = [name, flipCase(name, flips), other, `${name}x`][pick] as string;
      expect(nameTextEquals(b, 12, text)).toBe(readName(b, 12) === text);
      // The answer's owner is a pointer to the question name.
      const owner = skipName(b, 12) + 4;
      expect(nameTextEquals(b, owner, text)).toBe(readName(b, owner) === text);
    }), { seed, numRuns: 2000 });
  });

  it('the 0x20 screen and the cookie check give what the Message-based ones gave, and leave the server in the same state', () => {
    fc.assert(fc.property(
      responseArb, fc.array(fc.boolean(), { maxLength: 8 }), fc.boolean(), fc.boolean(), fc.option(fc.uint8Array({ minLength: 0, maxLength: 32 }), { nil: undefined }), fc.boolean(), fc.uint8Array({ minLength: 8, maxLength: 8 }),
      (r, flips, seen, goodCookie, known, withCookie, client) => {
        const b = encode(r, client, goodCookie);
        const full = decodeMessage(b);
        expect(full.ok).toBe(true);
        if (!full.ok) return;
        expect(checkMessage(b, 65535)).toBeUndefined();
        const opt = walked.opt;
        const caseName = flipCase(r.name, flips);
        const cookie = withCookie ? client : undefined;
        // The old screen, step by step, with a recording host; the new one with another.
        const run = (wire: boolean): [boolean, string[], boolean, Uint8Array | undefined] => {
          const s = serverState(seen, known);
          const log: string[] = [];
          const check = wire
            ? (sv: ServerState, c: Uint8Array) => checkCookie(sv, c, b, opt)
            : (sv: ServerState, c: Uint8Array) => oldCheckCookie(sv, c, full.message);
          const host = {
            stats: newStats(), settings: { schedule: { timeout: 400, minTimeout: 100, maxTimeout: 4000, backoff: 2, attempts: undefined } }, tracer: undefined,
            send: () => void log.push('send'), serverFailed: () => void log.push('failed'), note: () => undefined,
            drop: (reason: string) => void log.push(`drop ${reason}`),
            policies: { cookies: { check: (sv: ServerState, c: Uint8Array) => (log.push('check'), check(sv, c)) }, case0x20: { miss: () => void log.push('miss') } },
          } as unknown as ScreenHost;
          const a = { server: s, caseName, cookie } as unknown as Attempt;
          let passed: boolean;
          if (wire) passed = screen(host, a, { data: b, peer: { transport: 'udp', address: '192.0.2.1', port: 53 } }, opt, 0);
          else {
            // screen.ts as it read a Message.
            if (oldScreenCase(full.message, caseName)) {
              host.drop('wrong-case', undefined as never, 0);
              if (cookie === undefined || host.policies.cookies!.check(s, cookie, undefined as never, -1)) host.policies.case0x20!.miss(host, a, 0);
              passed = false;
            } else if (cookie !== undefined && !host.policies.cookies!.check(s, cookie, undefined as never, -1)) {
              host.drop('bad-cookie', undefined as never, 0);
              passed = false;
            } else passed = true;
          }
          return [passed, log, s.cookieSeen, s.serverCookie];
        };
        expect(run(true)).toEqual(run(false));
      },
    ), { seed, numRuns: 2000 });
  });
});
