/**
 * DNSSEC with `trace` in the DoH client: the bundle keeps the recorder out by
 * default (`validatingCore(options)` wraps `plainCore`, which refuses
 * `trace`), and a user who imports the recorder injects it as the core the
 * validator wraps: `validatingCore(options, recordingCore)`. The trace then
 * holds the validator's DNSKEY/DS fetches and replays byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { DohResolver } from '../../../../src/doh.js';
import { validatingCore } from '../../../../src/dnssec.js';
import { recordingCore, replayTrace, type TraceRecord } from '../../../../src/trace.js';
import { EPOCH, signedHierarchy } from '../../../../src/sim/dnssec/hierarchy.js';
import { udp } from '../../../../src/sim/packet.js';
import { FakeFetch } from './fake-fetch.js';

const H = signedHierarchy(31);

/** A DoH server in front of the simulator's signed zones: each request's wire to the zone server, its reply back. */
function zoneFetch(): FakeFetch {
  let t = 0;
  return new FakeFetch((req) => {
    t += 1;
    H.server.handle(t, { from: udp('10.9.9.9', 5300), to: udp(H.server.address), data: req.wire, at: t });
    const [reply] = H.server.poll(Number.MAX_SAFE_INTEGER);
    return new Response(reply?.data as BodyInit, { status: 200, headers: { 'content-type': 'application/dns-message' } });
  });
}

const servers = ['https://doh.example/dns-query'];
const dnssec = { unixTime: () => EPOCH, trustAnchors: H.anchor };

describe('DoH client: DNSSEC with trace', () => {
  it('refuses trace when the validator wraps the default core (no recorder in the bundle)', () => {
    expect(() => new DohResolver({ servers, fetch: zoneFetch().fetch, core: validatingCore(dnssec), trace: () => undefined })).toThrow(expect.objectContaining({ code: 'EBADOPTION', message: expect.stringContaining('validatingCore(options, recordingCore)') }));
  });
  it('with the recorder injected, validates (secure, and bogus for an expired zone) and records the core behind the validator, its DNSKEY and DS fetches too, replayed byte for byte', async () => {
    const records: TraceRecord[] = [];
    const r = new DohResolver({ servers, fetch: zoneFetch().fetch, core: validatingCore(dnssec, recordingCore), trace: (x) => records.push(x) });
    try {
      await expect(r.query('www.example.test')).resolves.toMatchObject({ security: 'secure' });
      H.bad.breaks.add('expired');
      await expect(r.resolve4('www.bad.test')).rejects.toMatchObject({ code: 'EBOGUS' });
    } finally {
      H.bad.breaks.delete('expired');
      r.close();
    }
    const asked = records.flatMap((x) => (x.op === 'query' ? [`${x.name}/${x.type}`] : []));
    expect(asked[0]).toBe('www.example.test/A');
    expect(asked).toEqual(expect.arrayContaining(['./48', 'example.test/43', 'example.test/48']));
    const replayed = replayTrace(records);
    expect(replayed.mismatches).toEqual([]);
  });
});
