/**
 * wire-slab.ts: the attempts' datagrams share slabs, and no byte is handed out
 * twice, so a `Transmit.data` that `poll()` returned never changes (the core's
 * contract with drivers that keep a datagram: a socket still sending it, the
 * send pacer's queue, a trace, the simulator's network).
 */
import { describe, expect, it } from 'vitest';
import { SLAB_BYTES, WireSlab } from '../../../src/core/wire-slab.js';
import { withCookie } from '../../../src/core/cookies.js';
import { A, decode, makeResolver, reply } from '../../helpers/core-harness.js';
import type { Transmit } from '../../../src/core/types.js';

describe('WireSlab', () => {
  it('hands out zeroed views that never overlap, a new slab when one is full, and room for one larger than a slab', () => {
    const slab = new WireSlab();
    const views: Uint8Array[] = [];
    for (let i = 0; i < 3 * (SLAB_BYTES / 100); i++) {
      const v = slab.take(100);
      expect(v.length).toBe(100);
      expect(v.every((b) => b === 0)).toBe(true);
      v.fill(i % 255 + 1);
      views.push(v);
    }
    views.push(slab.take(SLAB_BYTES + 1).fill(7));
    for (let i = 0; i < views.length - 1; i++) expect(views[i]!.every((b) => b === i % 255 + 1)).toBe(true);
    // Views of one slab share its buffer, side by side; the views of a full slab moved on to another.
    expect(views[1]!.buffer).toBe(views[0]!.buffer);
    expect(views[1]!.byteOffset).toBe(views[0]!.byteOffset + 100);
    expect(views.at(-2)!.buffer).not.toBe(views[0]!.buffer);
  });
});

describe('Transmit.data after poll()', () => {
  it('stays as it was while later attempts are written (queries, retransmissions, cookies learned)', () => {
    const r = makeResolver({ timeout: 50, minTimeout: 50 });
    const kept: { data: Uint8Array; copy: Uint8Array }[] = [];
    const keep = (ts: readonly Transmit[]) => {
      for (const t of ts) kept.push({ data: t.data, copy: t.data.slice() });
      return ts;
    };
    let t = 0;
    for (let i = 0; i < 150; i++) r.query(t, `q${i}.example`, 'A');
    const first = keep(r.poll().transmits);
    // The server's cookie is learned from an answer: later attempts are longer, written after the first ones.
    const answered = first[0]!;
    const client = decode(answered.data).edns!.options[0]!.data;
    const data = withCookie(reply(answered), client, new Uint8Array(24).fill(9));
    r.handleDatagrams(t, [{ data, peer: A }]);
    expect(r.poll().events.some((e) => e.kind === 'answer')).toBe(true);
    r.query(t, 'longer.example', 'A');
    const longer = keep(r.poll().transmits)[0]!;
    expect(longer.data.length).toBe(answered.data.length + 24 + ('longer'.length - 'q0'.length));
    for (let round = 0; round < 6; round++) {
      t += 60;
      r.handleTimeout(t);
      keep(r.poll().transmits);
      for (let i = 0; i < 40; i++) r.query(t, `r${round}-${i}.example`, 'AAAA');
      keep(r.poll().transmits);
    }
    expect(kept.length).toBeGreaterThan(3 * (8192 / 60));
    for (const { data: d, copy } of kept) expect(d).toEqual(copy);
    // Each is a whole DNS message of its own (a view: its byteOffset may be anything).
    for (const { data: d } of kept) expect(decode(d).questions.length).toBe(1);
  });

  it('writes the cookie option as withCookie writes it (client cookie, then the server cookie when known)', () => {
    const r = makeResolver({ servers: ['192.0.2.1'] });
    r.query(0, 'a.example', 'A');
    const [t1] = r.poll().transmits;
    const m1 = decode(t1!.data);
    const client = m1.edns!.options[0]!.data;
    expect(client.length).toBe(8);
    const serverCookie = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    const answer = reply(t1!);
    // The answer echoes our client cookie with a server cookie (RFC 7873 §5.3).
    const echoed = withCookie(answer, client, serverCookie);
    r.handleDatagrams(1, [{ data: echoed, peer: A }]);
    r.poll();
    r.query(2, 'b.example', 'A');
    const [t2] = r.poll().transmits;
    const m2 = decode(t2!.data);
    expect(m2.edns!.options).toEqual([{ code: 10, data: Uint8Array.from([...client, ...serverCookie]) }]);
    // Byte for byte what withCookie makes of the query wire with this ID.
    const plain = t2!.data.slice(0, t2!.data.length - 4 - 24);
    plain[plain.length - 1] = 0;
    expect(withCookie(plain, client, serverCookie)).toEqual(t2!.data.slice());
  });
});
