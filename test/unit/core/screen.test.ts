/** screen.ts: a matched response's 0x20 case and cookie, on a recording stand-in for the machine. */
import { describe, expect, it } from 'vitest';
import { screen, type ScreenHost } from '../../../src/core/screen.js';
import { newStats } from '../../../src/core/events.js';
import { encodeMessage } from '../../../src/core/codec/index.js';
import type { Attempt } from '../../../src/core/query.js';
import type { ServerState } from '../../../src/core/servers.js';
import type { Received } from '../../../src/core/types.js';

function setup(cookieValid: boolean) {
  const log: string[] = [];
  const host: ScreenHost = {
    stats: newStats(), settings: { schedule: { timeout: 400, minTimeout: 100, maxTimeout: 4000, backoff: 2, attempts: undefined } }, tracer: undefined,
    send: () => void log.push('send'),
    serverFailed: () => void log.push('failed'),
    note: () => undefined,
    drop: (reason) => void log.push(`drop ${reason}`),
    policies: {
      cookies: { check: () => (log.push('check'), cookieValid) },
      case0x20: { miss: () => void log.push('miss') },
    },
  };
  const server = {} as ServerState;
  const attempt = (caseName: string | undefined, cookie: Uint8Array | undefined) => ({ server, caseName, cookie }) as unknown as Attempt;
  // A response on the wire, with a question of `name` (none for undefined); no OPT record (-1).
  const message = (name: string | undefined): Received => ({
    peer: { transport: 'udp', address: '192.0.2.1', port: 53 },
    data: encodeMessage({
      id: 1, opcode: 0, rcode: 0, flags: { qr: true, aa: false, tc: false, rd: true, ra: true, ad: false, cd: false },
      questions: name === undefined ? [] : [{ name, type: 1, class: 1 }], answers: [], authorities: [], additionals: [], edns: undefined,
    }),
  });
  return { host, log, attempt, message };
}

describe('screen', () => {
  it('passes an answer in the exact case with a valid cookie, checking the cookie once', () => {
    const { host, log, attempt, message } = setup(true);
    expect(screen(host, attempt('wWw.ExAmple', new Uint8Array(8)), message('wWw.ExAmple'), -1, 0)).toBe(true);
    expect(log).toEqual(['check']);
  });

  it('drops an answer in another case first; with a valid cookie (or none) it counts as a miss', () => {
    for (const [cookie, valid, want] of [
      [new Uint8Array(8), true, ['drop wrong-case', 'check', 'miss']],
      [new Uint8Array(8), false, ['drop wrong-case', 'check']],
      [undefined, false, ['drop wrong-case', 'miss']],
    ] as const) {
      const { host, log, attempt, message } = setup(valid);
      expect(screen(host, attempt('wWw.ExAmple', cookie), message('www.example'), -1, 0)).toBe(false);
      expect(log).toEqual(want);
    }
  });

  it('drops an answer whose cookie does not check; a question-less answer has no case to check', () => {
    const { host, log, attempt, message } = setup(false);
    expect(screen(host, attempt('wWw.ExAmple', new Uint8Array(8)), message(undefined), -1, 0)).toBe(false);
    expect(log).toEqual(['check', 'drop bad-cookie']);
  });
});
