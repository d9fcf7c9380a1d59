import * as dnsPacket from 'dns-packet';
import { Buffer } from 'buffer';
import { describe, expect, it } from 'vitest';
import { isDnsError } from '../../../src/core/errors.js';
import { decodeMessage, encodeQuery, parseName, readId } from '../../../src/core/codec/index.js';

describe('encodeQuery', () => {
  it('writes the exact bytes of a plain query', () => {
    const q = encodeQuery({ id: 0xbeef, labels: parseName('Ab.c').labels, type: 28, class: 1, rd: true });
    expect(q.constructor).toBe(Uint8Array);
    expect(Array.from(q)).toEqual([
      0xbe, 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
      2, 0x41, 0x62, 1, 0x63, 0, 0, 28, 0, 1,
    ]);
  });

  it('writes flags, EDNS with DO and options', () => {
    const q = encodeQuery({
      id: 1, labels: [], type: 0xff01, class: 0x8003, rd: false, cd: true, ad: true,
      edns: { payload: 1232, do: true, options: [{ code: 10, data: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) }, { code: 0xfffe, data: new Uint8Array(0) }] },
    });
    expect(Array.from(q)).toEqual([
      0, 1, 0x00, 0x30, 0, 1, 0, 0, 0, 0, 0, 1,
      0, 0xff, 0x01, 0x80, 0x03,
      0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 16,
      0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8,
      0xff, 0xfe, 0, 0,
    ]);
  });

  it('writes EDNS without DO or options', () => {
    const q = encodeQuery({ id: 2, labels: parseName('x').labels, type: 1, class: 1, rd: true, edns: { payload: 512 } });
    expect(Array.from(q.subarray(-11))).toEqual([0, 0, 41, 2, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('round-trips through dns-packet and our decoder', () => {
    const q = encodeQuery({ id: 4242, labels: parseName('wWw.example.org').labels, type: 65, class: 1, rd: true, edns: { payload: 1232, do: true } });
    const d = dnsPacket.decode(Buffer.from(q));
    expect(d.id).toBe(4242);
    // dns-packet 5.6.1 has no name for type 65.
    expect(d.questions).toEqual([{ name: 'wWw.example.org', type: 'UNKNOWN_65', class: 'IN' }]);
    expect(d.additionals?.[0]).toMatchObject({ type: 'OPT', udpPayloadSize: 1232, flag_do: true });
    const ours = decodeMessage(q);
    expect(ours.ok && ours.message.questions).toEqual([{ name: 'wWw.example.org', type: 65, class: 1 }]);
    expect(ours.ok && ours.message.edns).toEqual({ payload: 1232, version: 0, do: true, options: [] });
    expect(ours.ok && ours.message.flags.rd).toBe(true);
    expect(readId(q)).toBe(4242);
  });

  it('refuses EDNS options that cannot fit a 16-bit rdlength', () => {
    const big = { code: 1, data: new Uint8Array(0x8000) };
    try {
      encodeQuery({ id: 1, labels: [], type: 1, class: 1, rd: true, edns: { payload: 1232, options: [big, big] } });
      expect.unreachable();
    } catch (e) {
      expect(isDnsError(e) && e.code).toBe('EBADOPTION');
    }
  });
});

describe('readId', () => {
  it('reads the ID of anything at least a header long', () => {
    expect(readId(new Uint8Array(11))).toBeUndefined();
    expect(readId(Uint8Array.of(0xab, 0xcd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))).toBe(0xabcd);
  });
});
