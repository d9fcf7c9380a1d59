/**
 * The hot path's wire reading (issue 13) against the full decoder, over
 * hostile and fuzzed inputs: matching a question on the wire
 * (`response-match.ts`) agrees with matching the decoded question's text,
 * names compared on the wire (`wire-name.ts`) agree with `namesEqual` on
 * their text, and a message built with a known name (`buildMessage`) equals
 * `decodeMessage`'s, byte for byte in every string. dns-packet 5.6.1 is the
 * oracle for what the records say.
 */
import * as dnsPacket from 'dns-packet';
import { Buffer } from 'buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMessage, checkMessage, decodeMessage } from '../../src/core/codec/decode.js';
import { encodeQuery, namesEqual, parseName } from '../../src/core/codec/index.js';
import { readName, skipName } from '../../src/core/codec/text.js';
import { nameText, wireNamesEqual, type KnownName } from '../../src/core/codec/wire-name.js';
import { isResponse, matchQuestion, questionCount } from '../../src/core/response-match.js';
import type { Attempt, Query } from '../../src/core/query.js';
import { editsArb, mangle } from '../helpers/mangle.js';

const labelChar = fc.constantFrom(...'aAbBzZ09-_'.split(''));
const label = fc.array(labelChar, { minLength: 1, maxLength: 6 }).map((cs) => cs.join(''));
const hostName = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.'));

/** The query wire of `name` and its known name, as the machine keeps them. */
function known(name: string, type = 1): KnownName {
  const p = parseName(name);
  const wire = encodeQuery({ id: 0, labels: p.labels, type, class: 1, rd: true, cd: false, edns: { payload: 1232, do: false } });
  return { wire, offset: 12, text: readName(wire, 12) };
}

/** A response of dns-packet: the question `qname`, answers at names drawn from `names`, compressed as dns-packet compresses. */
const packetArb = fc.tuple(hostName, fc.array(fc.tuple(hostName, fc.constantFrom('A', 'AAAA', 'CNAME')), { maxLength: 5 }), fc.boolean())
  .map(([qname, rrs, sameCase]) => {
    const answers = rrs.map(([n, type], i) => {
      const name = i % 2 === 0 ? (sameCase ? qname : qname.toUpperCase()) : n;
      const data = type === 'A' ? `192.0.2.${i}` : type === 'AAAA' ? `2001:db8::${i + 1}` : (i % 3 === 0 ? qname : n);
      return { name, type, class: 'IN', ttl: 60 + i, data } as dnsPacket.Answer;
    });
    const bytes = Uint8Array.from(dnsPacket.encode({ id: 7, type: 'response', flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: qname, type: 'A', class: 'IN' }], answers }));
    return { qname, bytes };
  });

/** Every owner-name offset of the records of an accepted message. */
function ownerOffsets(b: Uint8Array): number[] {
  let p = 12;
  for (let i = (b[4] as number) * 256 + (b[5] as number); i > 0; i--) p = skipName(b, p) + 4;
  const out: number[] = [];
  const n = ((b[6] as number) << 8 | (b[7] as number)) + ((b[8] as number) << 8 | (b[9] as number)) + ((b[10] as number) << 8 | (b[11] as number));
  for (let i = 0; i < n; i++) {
    out.push(p);
    p = skipName(b, p);
    p += 10 + ((b[p + 8] as number) << 8 | (b[p + 9] as number));
  }
  return out;
}

/** An attempt chain over queries for `names` (only what `matchQuestion` reads). */
function chainOf(names: readonly string[], type: number): Attempt {
  let next: Attempt | undefined;
  for (let i = names.length - 1; i >= 0; i--) {
    const k = known(names[i] as string, type);
    const query = { name: k.text, type, class: 1, wire: k.wire } as unknown as Query;
    next = { query, next } as unknown as Attempt;
  }
  return next as Attempt;
}

/** What `findAttempt` does with the decoded question's text, for one question. */
function byText(chain: Attempt, b: Uint8Array): Attempt | undefined {
  const r = decodeMessage(b);
  if (!r.ok || r.message.questions.length !== 1) return undefined;
  const q0 = r.message.questions[0] as { name: string; type: number; class: number };
  for (let a: Attempt | undefined = chain; a !== undefined; a = a.next) {
    if (q0.type === a.query.type && q0.class === a.query.class && namesEqual(q0.name, a.query.name, false)) return a;
  }
  return undefined;
}


const runs = { numRuns: 500 };

describe('the wire path against the full decode', () => {
  it('buildMessage with a known name equals decodeMessage for dns-packet responses, and both agree with dns-packet', () => {
    fc.assert(fc.property(packetArb, ({ qname, bytes }) => {
      const full = decodeMessage(bytes);
      expect(full.ok).toBe(true);
      if (!full.ok) return;
      const k = known(qname);
      const lazy = buildMessage(bytes, k);
      expect(lazy).toEqual(full.message);
      // The oracle: dns-packet reads the same names, types, TTLs and data.
      const oracle = dnsPacket.decode(Buffer.from(bytes));
      expect(lazy.answers.map((r) => [r.name, r.type, r.ttl, r.data])).toEqual(
        (oracle.answers ?? []).map((r) => { const x = r as { name: string; type: string; ttl: number; data: unknown }; return [x.name, x.type, x.ttl, x.data]; }));
      // A name byte for byte the known one is the known text itself, no new string.
      if (lazy.questions[0]?.name === k.text) expect(Object.is(lazy.questions[0].name, k.text)).toBe(true);
    }), runs);
  });

  it('whatever the bytes, the wire path agrees with the full decode (hostile and fuzzed responses)', () => {
    // Half the time one of the attempts asks the response's own question name (in another case, maybe).
    const base = fc.oneof(packetArb, fc.uint8Array({ minLength: 12, maxLength: 200 }).map((bytes) => ({ qname: 'a', bytes })));
    const asked = fc.tuple(base, fc.array(hostName, { minLength: 1, maxLength: 3 }), fc.nat(), fc.boolean())
      .map(([p, names, at, own]) => {
        const all = own ? [...names.slice(0, at % names.length), at % 2 === 0 ? p.qname : p.qname.toUpperCase(), ...names.slice(at % names.length)] : names;
        return [p.bytes, all] as const;
      });
    let matched = 0;
    fc.assert(fc.property(asked, editsArb, fc.constantFrom(1, 28), ([bytes, names], edits, type) => {
      const b = mangle(bytes, edits);
      const reason = checkMessage(b, 65535);
      const full = decodeMessage(b);
      expect(reason === undefined).toBe(full.ok);
      if (!full.ok) {
        expect(reason).toBe(full.reason);
        return;
      }
      expect(isResponse(b)).toBe(full.message.flags.qr && full.message.opcode === 0);
      expect(questionCount(b)).toBe(full.message.questions.length);
      const chain = chainOf(names, type);
      if (questionCount(b) === 1) {
        const a = matchQuestion(chain, b);
        expect(a).toBe(byText(chain, b));
        if (a !== undefined) matched++;
      }
      const k = known(names[0] as string, type);
      expect(buildMessage(b, k)).toEqual(full.message);
      for (const off of ownerOffsets(b)) {
        for (const cs of [true, false]) expect(wireNamesEqual(b, off, k.wire, 12, cs)).toBe(namesEqual(readName(b, off), k.text, cs));
        expect(nameText(b, off, k)).toBe(readName(b, off));
      }
    }), { numRuns: 3000 });
    // The runs met matching questions, not only mismatches.
    expect(matched).toBeGreaterThan(100);
  });

  it('a Buffer (a view into a larger pool) builds the same message as a plain array', () => {
    fc.assert(fc.property(packetArb, ({ qname, bytes }) => {
      const pool = Buffer.alloc(bytes.length + 9);
      pool.set(bytes, 9);
      const view = pool.subarray(9);
      expect(checkMessage(view, 65535)).toBeUndefined();
      expect(buildMessage(view, known(qname))).toEqual(buildMessage(bytes, undefined));
    }), { numRuns: 100 });
  });
});
