/** trace-events.ts: each kind of trace event, with the words it has always had. */
import { describe, expect, it } from 'vitest';
import { TRACE_EVENTS as T } from '../../../src/core/trace-events.js';

const peer = { transport: 'udp', address: '192.0.2.1', port: 53 } as const;

describe('trace events', () => {
  it('say what happened and why, with the key order of a TraceEvent', () => {
    const send = T.send(5, 1, peer, 77, 40, 399.6);
    expect(Object.keys(send)).toEqual(['kind', 'at', 'what', 'handle', 'peer', 'id', 'size', 'detail']);
    expect(send).toEqual({ kind: 'trace', at: 5, what: 'send', handle: 1, peer, id: 77, size: 40, detail: 'size 40, timer 400 ms' });
    expect(T.timeout(6, 1, peer)).toMatchObject({ what: 'timeout', id: undefined, detail: 'attempt timed out' });
    expect(T.tcpFallback(6, 1, peer, 3)).toMatchObject({ what: 'tcp-fallback', detail: 'TC=1: asking again over TCP' });
    expect(T.ednsFallback(6, 1, peer, 3, 16)).toMatchObject({ what: 'edns-fallback', detail: 'rcode 16 to EDNS: asking again without it' });
    expect(T.badCookie(6, 1, peer, 3)).toMatchObject({ what: 'bad-cookie', detail: 'BADCOOKIE' });
    expect(T.caseFallback(6, 1, peer, 3)).toMatchObject({ what: 'case-fallback', detail: 'case not preserved twice: asking again without 0x20' });
    expect(T.serverFailed(6, 1, peer, 3, 'rcode 5')).toMatchObject({ what: 'server-failed', detail: 'rcode 5' });
    expect(T.demoted(6, peer, 3)).toMatchObject({ what: 'demoted', handle: undefined, detail: '3 failures in a row: asked after the healthy servers' });
    expect(T.deadline(6, 1, 'no answer within 5000 ms')).toMatchObject({ what: 'deadline', peer: undefined, detail: 'no answer within 5000 ms' });
    expect(T.receive(6, 1, peer, 3, 0, true, 90)).toMatchObject({ what: 'receive', size: 90, detail: 'rcode 0 TC' });
    expect(T.receive(6, 1, peer, 3, 3, false, 90).detail).toBe('rcode 3');
    expect(T.search(6, 1, true, 'www.a', 'www.b')).toMatchObject({ what: 'search', detail: 'NODATA for www.a: asking www.b' });
    expect(T.search(6, 1, false, 'www.a', 'www').detail).toBe('NXDOMAIN for www.a: asking www');
  });

  it('a drop carries the ID of the datagram when it has a header, and the reason with its detail', () => {
    const data = Uint8Array.of(0x12, 0x34, ...new Array<number>(10).fill(0));
    expect(T.drop(7, peer, data, 'malformed', 'truncated')).toMatchObject({ what: 'drop', id: 0x1234, size: 12, detail: 'malformed (truncated)' });
    expect(T.drop(7, peer, Uint8Array.of(1), 'unmatched', undefined)).toMatchObject({ id: undefined, size: 1, detail: 'unmatched' });
  });
});
