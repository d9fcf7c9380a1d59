/** resend.ts: the UDP/TCP-only resends, on a recording stand-in for the machine. */
import { describe, expect, it } from 'vitest';
import { afterBadCookie, overTcp, withoutCase, type Resender } from '../../../src/core/resend.js';
import { newStats } from '../../../src/core/events.js';
import { TRACE_EVENTS } from '../../../src/core/trace-events.js';
import type { Attempt, Query } from '../../../src/core/query.js';
import type { ServerState } from '../../../src/core/servers.js';
import type { Protocol } from '../../../src/core/types.js';

const schedule = { timeout: 400, minTimeout: 100, maxTimeout: 4000, backoff: 2, attempts: undefined };

function setup() {
  const sends: { transport: Protocol; timeout: number }[] = [];
  const failures: string[] = [];
  const m: Resender = {
    stats: newStats(), settings: { schedule }, tracer: TRACE_EVENTS,
    send: (_q, _s, transport, _t, timeout) => void sends.push({ transport, timeout }),
    serverFailed: (_a, _t, code, detail) => void failures.push(`${code} ${detail}`),
    note: () => undefined,
  };
  const server = { endpoint: { address: '192.0.2.1', port: 53, transport: 'udp' }, srtt: NaN, caseMisses: 0, noCase: false } as unknown as ServerState;
  const query = { handle: 1, badCookies: 0 } as unknown as Query;
  const attempt = (transport: Protocol): Attempt => ({ query, server, transport, id: 7 }) as unknown as Attempt;
  return { m, sends, failures, attempt, server };
}

describe('resend', () => {
  it('overTcp: TC over UDP asks the same server over TCP with twice the RTO', () => {
    const { m, sends, attempt } = setup();
    overTcp(m, attempt('udp'), 7, 10);
    expect(sends).toEqual([{ transport: 'tcp', timeout: 800 }]);
    expect(m.stats.tcpFallbacks).toBe(1);
  });

  it('afterBadCookie: once more over UDP, then over TCP; over TCP the server failed', () => {
    const { m, sends, failures, attempt } = setup();
    afterBadCookie(m, attempt('udp'), 0);
    afterBadCookie(m, attempt('udp'), 0);
    afterBadCookie(m, attempt('tcp'), 0);
    expect(sends.map((s) => s.transport)).toEqual(['udp', 'tcp']);
    expect(failures).toEqual(['EBADRESP BADCOOKIE over TCP']);
    expect(m.stats.badCookies).toBe(3);
  });

  it('withoutCase: the second wrong case turns 0x20 off and asks again', () => {
    const { m, sends, attempt, server } = setup();
    withoutCase(m, attempt('udp'), 0);
    expect(sends).toHaveLength(0);
    withoutCase(m, attempt('udp'), 0);
    expect(sends).toEqual([{ transport: 'udp', timeout: 400 }]);
    expect(server.noCase).toBe(true);
    expect(m.stats.caseFallbacks).toBe(1);
  });
});
