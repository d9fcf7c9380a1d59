/**
 * Hostile inputs for the codec: whatever the bytes, decodeMessage returns a
 * result and never throws, and whatever it accepts is clean enough to be
 * re-encoded by encodeMessage and decoded to the same message.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeMessage, encodeMessage, type DnsRecord, type Message, type DecodeResult,
} from '../../src/core/codec/index.js';

// ---- presentation text the way the codec writes it (canonical, so round trips compare equal)

function esc(bytes: Uint8Array, forName: boolean): string {
  let s = '';
  for (const c of bytes) {
    if (c >= (forName ? 0x21 : 0x20) && c < 0x7f) s += (c === 0x5c || (forName && c === 0x2e) ? '\\' : '') + String.fromCharCode(c);
    else s += `\\${String(c).padStart(3, '0')}`;
  }
  return s;
}

const byteAlphabet = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...Array.from('abcXYZ019-_', (c) => c.charCodeAt(0))) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
);
const labelArb = fc.array(byteAlphabet, { minLength: 1, maxLength: 20 }).map((a) => Uint8Array.from(a));
const labelsArb = fc.array(labelArb, { maxLength: 4 });
const nameArb = labelsArb.map((ls) => (ls.length === 0 ? '.' : ls.map((l) => esc(l, true)).join('.')));
const wireName = (ls: Uint8Array[]): number[] => [...ls.flatMap((l) => [l.length, ...l]), 0];
const bytesArb = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const textArb = (max: number) => bytesArb(0, max).map((b) => esc(b, false));
const u8 = fc.integer({ min: 0, max: 255 });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u31 = fc.integer({ min: 0, max: 0x7fffffff });

const ipv6Arb = fc.oneof(
  fc.constantFrom('::', '::1', '2001:db8::1', 'fe80::1:2', '1::', '2001:db8:0:1:1:1:1:1', '1:0:0:1::1'),
  fc.array(fc.integer({ min: 1, max: 0xffff }), { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(':')),
);
const bitmapArb = fc.uniqueArray(u8, { maxLength: 3 }).chain((wins) =>
  fc.tuple(...wins.sort((a, b) => a - b).map((w) => bytesArb(1, 32).map((b) => [w, b.length, ...b]))).map((parts) => parts.flat()),
);

const dataArbs: Record<string, fc.Arbitrary<unknown>> = {
  A: fc.ipV4(),
  AAAA: ipv6Arb,
  NS: nameArb, CNAME: nameArb, PTR: nameArb, DNAME: nameArb,
  MX: fc.record({ preference: u16, exchange: nameArb }),
  TXT: fc.array(fc.oneof(bytesArb(0, 30), bytesArb(255, 255)), { minLength: 1, maxLength: 3 }),
  SOA: fc.record({ mname: nameArb, rname: nameArb, serial: u32, refresh: u32, retry: u32, expire: u32, minimum: u32 }),
  SRV: fc.record({ priority: u16, weight: u16, port: u16, target: nameArb }),
  CAA: fc.record({ flags: u8, tag: bytesArb(1, 15).map((b) => esc(b, false)), value: textArb(40) }),
  NAPTR: fc.record({ order: u16, preference: u16, flags: textArb(3), services: textArb(20), regexp: textArb(30), replacement: nameArb }),
  HINFO: fc.record({ cpu: textArb(20), os: textArb(20) }),
  SVCB: fc.record({
    priority: u16, target: nameArb,
    params: fc.uniqueArray(u16, { maxLength: 4 }).chain((keys) =>
      fc.tuple(...keys.sort((a, b) => a - b).map((key) => bytesArb(0, 10).map((value) => ({ key, value }))))),
  }),
  DS: bytesArb(4, 40), DNSKEY: bytesArb(4, 40), TLSA: bytesArb(3, 40), SSHFP: bytesArb(2, 40),
  RRSIG: fc.tuple(bytesArb(18, 18), labelsArb, bytesArb(0, 30)).map(([a, n, s]) => Uint8Array.from([...a, ...wireName(n), ...s])),
  NSEC: fc.tuple(labelsArb, bitmapArb).map(([n, bm]) => Uint8Array.from([...wireName(n), ...bm])),
  NSEC3: fc.tuple(bytesArb(4, 4), bytesArb(0, 8), bytesArb(1, 20), bitmapArb).map(([h, salt, hash, bm]) =>
    Uint8Array.from([...h, salt.length, ...salt, hash.length, ...hash, ...bm])),
};
dataArbs['HTTPS'] = dataArbs['SVCB'] as fc.Arbitrary<unknown>;

const typeArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...Object.keys(dataArbs)) },
  { weight: 1, arbitrary: fc.constantFrom('TYPE0', 'TYPE10', 'TYPE99', 'TYPE255', 'TYPE65280', 'TYPE65535') },
);
const recordArb: fc.Arbitrary<DnsRecord> = typeArb.chain((type) =>
  // TTLs up to 2^31 - 1: one with the top bit set decodes as 0 (RFC 2181 §8), so it cannot round-trip.
  fc.record({ name: nameArb, type: fc.constant(type), class: u16, ttl: u31, data: dataArbs[type] ?? bytesArb(0, 30) }) as fc.Arbitrary<DnsRecord>,
);
const ednsArb = fc.option(
  fc.record({ payload: u16, version: u8, do: fc.boolean(), options: fc.array(fc.record({ code: u16, data: bytesArb(0, 20) }), { maxLength: 3 }) }),
  { nil: undefined },
);
const flagsArb = fc.record({ qr: fc.boolean(), aa: fc.boolean(), tc: fc.boolean(), rd: fc.boolean(), ra: fc.boolean(), ad: fc.boolean(), cd: fc.boolean() });

const messageArb: fc.Arbitrary<Message> = fc
  .record({
    id: u16, opcode: fc.integer({ min: 0, max: 15 }), rcode: fc.integer({ min: 0, max: 4095 }), flags: flagsArb,
    questions: fc.array(fc.record({ name: nameArb, type: u16, class: u16 }), { maxLength: 2 }),
    answers: fc.array(recordArb, { maxLength: 4 }),
    authorities: fc.array(recordArb, { maxLength: 2 }),
    additionals: fc.array(recordArb, { maxLength: 2 }),
    edns: ednsArb,
  })
  .map((m) => (m.edns === undefined ? { ...m, rcode: m.rcode & 0xf } : m));

const validBytes = messageArb.map((m) => encodeMessage(m));

// ---- the invariant every result must hold

function safeDecode(bytes: Uint8Array): DecodeResult {
  let r: DecodeResult | undefined;
  expect(() => {
    r = decodeMessage(bytes);
  }).not.toThrow();
  return r as DecodeResult;
}

/** Anything accepted re-encodes and decodes to an equal message: no garbage reaches a result. */
function checkClean(bytes: Uint8Array): DecodeResult {
  const r = safeDecode(bytes);
  if (r.ok) {
    const again = decodeMessage(encodeMessage(r.message));
    expect(again).toEqual(r);
  }
  return r;
}

const runs = { numRuns: 400 };

describe('codec under hostile input', () => {
  it('encodeMessage of any valid message decodes back equal', () => {
    fc.assert(fc.property(messageArb, (m) => {
      expect(decodeMessage(encodeMessage(m))).toEqual({ ok: true, message: m });
    }), runs);
  });

  it('random bytes never throw, and what is accepted is clean', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
      checkClean(b);
    }), { numRuns: 2000 });
  });

  it('random bytes behind a plausible header never throw', () => {
    const header = fc.tuple(u16, u16, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }));
    fc.assert(fc.property(header, fc.uint8Array({ maxLength: 300 }), ([id, fl, qd, an, ns, ar], body) => {
      const h = [id >> 8, id & 255, fl >> 8, fl & 255, 0, qd, 0, an, 0, ns, 0, ar];
      checkClean(Uint8Array.from([...h, ...body]));
    }), { numRuns: 2000 });
  });

  it('every truncation of a valid message is refused', () => {
    fc.assert(fc.property(validBytes, (b) => {
      for (let n = 0; n < b.length; n++) expect(safeDecode(b.subarray(0, n)).ok).toBe(false);
    }), { numRuns: 150 });
  });

  it('bit flips never throw, and what is accepted is clean', () => {
    fc.assert(fc.property(validBytes, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (b, flips) => {
      const c = b.slice();
      for (const f of flips) c[f % c.length] = (c[f % c.length] as number) ^ (1 << (f % 8));
      checkClean(c);
    }), runs);
  });

  it('random byte overwrites (rdlength and count lies among them) never throw', () => {
    fc.assert(fc.property(validBytes, fc.array(fc.tuple(fc.nat(), u8), { minLength: 1, maxLength: 3 }), (b, writes) => {
      const c = b.slice();
      for (const [at, v] of writes) c[at % c.length] = v;
      checkClean(c);
    }), runs);
  });

  it('count lies never throw', () => {
    fc.assert(fc.property(validBytes, fc.array(u16, { minLength: 4, maxLength: 4 }), (b, counts) => {
      const c = b.slice();
      counts.forEach((n, i) => {
        c[4 + 2 * i] = n >> 8;
        c[5 + 2 * i] = n & 255;
      });
      checkClean(c);
    }), runs);
  });

  it('rdlength lies are refused or clean', () => {
    const withAnswer = messageArb.filter((m) => m.questions.length === 0 && m.answers.length > 0);
    fc.assert(fc.property(withAnswer, u16, (m, len) => {
      const b = encodeMessage(m);
      // The first answer starts at 12; find its rdlength after the owner name.
      let p = 12;
      while (b[p] !== 0 && (b[p] as number) < 0xc0) p += (b[p] as number) + 1;
      p += b[p] === 0 ? 1 : 2;
      const c = b.slice();
      c[p + 8] = len >> 8;
      c[p + 9] = len & 255;
      const r = checkClean(c);
      // A lie may still frame a different valid message, never the original one.
      if (len !== ((b[p + 8] as number) << 8 | (b[p + 9] as number)) && r.ok) expect(r.message).not.toEqual(m);
    }), runs);
  });

  it('random pointers (loops, forward, chains) never throw', () => {
    fc.assert(fc.property(validBytes, fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 }), (b, ptrs) => {
      const c = b.slice();
      for (const [at, to] of ptrs) {
        const i = at % (c.length - 1);
        const t = to % c.length;
        c[i] = 0xc0 | (t >> 8);
        c[i + 1] = t & 255;
      }
      checkClean(c);
    }), runs);
  });

  it('a 64 KiB message of chained pointers is refused', () => {
    // Question names: "a" at 12, then each question is a pointer to the previous question's name.
    const parts: number[] = [1, 0x61, 0, 0, 1, 0, 1];
    for (let at = 12; parts.length + 12 + 6 <= 65535; at += at === 12 ? 7 : 6) parts.push(1, 0x62, 0xc0 | (at >> 8), at & 255, 0, 1, 0, 1);
    const qd = Math.floor((parts.length - 7) / 8) + 1;
    const b = Uint8Array.from([0, 1, 0, 0, qd >> 8, qd & 255, 0, 0, 0, 0, 0, 0, ...parts]);
    expect(b.length).toBeGreaterThan(60000);
    const r = decodeMessage(b);
    expect(r.ok).toBe(false);
    expect(r).toEqual({ ok: false, reason: 'bad-pointer' });
  });

  it('a 64 KiB message of pointer loops and long chains in rdata is refused', () => {
    const rrs: number[] = [];
    const n = 65535 - 12;
    // Each record: owner = pointer to previous owner + label; an unbounded chain a decoder without a hop cap would follow.
    let at = 12;
    rrs.push(1, 0x61, 0, 0xff, 0, 0, 1, 0, 0, 0, 0, 0, 0);
    let count = 1;
    while (rrs.length + 12 + 15 <= n) {
      const start = 12 + rrs.length;
      rrs.push(1, 0x62, 0xc0 | (at >> 8), at & 255, 0xff, 0, 0, 1, 0, 0, 0, 0, 0, 0);
      at = start;
      count++;
    }
    const b = Uint8Array.from([0, 1, 0x81, 0x80, 0, 0, count >> 8, count & 255, 0, 0, 0, 0, ...rrs]);
    expect(decodeMessage(b)).toEqual({ ok: false, reason: 'bad-pointer' });
  });
});
