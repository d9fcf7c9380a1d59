/**
 * A child process of `bench/bridge.ts` and `bench/bridge-attack.ts`, so
 * that its CPU time is its own:
 *   node bench/bridge-server.(ts via tsx, or bundled) bridge <upstream> <key.pem> <cert.pem>
 *     the DoH bridge over TLS (HTTP/2 and HTTP/1.1) in front of <upstream>;
 *   ... plain <answer hex> <key.pem> <cert.pem>
 *     the floor: a plain `node:http2` server (stream API, as the bridge uses)
 *     answering every request with the same fixed DNS message, after reading
 *     a POST's body.
 *   ... attack <kind> <port>
 *     one of the hostile clients of `bench/bridge-attacks.ts` against <port>.
 * Prints `{"port":N}` once listening (or attacking); exits when its stdin closes.
 */
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import { createDohServer } from '../src/node.js';
import { ATTACKS, type AttackKind } from './bridge-attacks.js';

const [mode, arg, keyFile, certFile] = process.argv.slice(2) as [string, string, string, string];
const key = mode === 'attack' || keyFile === '-' ? Buffer.alloc(0) : readFileSync(keyFile);
const cert = mode === 'attack' || keyFile === '-' ? Buffer.alloc(0) : readFileSync(certFile);

async function plain(answer: Buffer): Promise<number> {
  const server = http2.createSecureServer({ key, cert, allowHTTP1: true });
  const headers = { ':status': 200, 'content-type': 'application/dns-message', 'content-length': answer.length, 'cache-control': 'max-age=300' };
  server.on('stream', (stream, h) => {
    stream.on('error', () => undefined);
    if (h[':method'] !== 'POST') {
      stream.respond(headers);
      stream.end(answer);
      return;
    }
    stream.resume();
    stream.on('end', () => {
      stream.respond(headers);
      stream.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** The bridge over TLS, or in clear (h2c, HTTP/1.1, DNS over TCP) when the key file is `-`. */
async function bridge(upstream: string): Promise<number> {
  const b = createDohServer({ upstreams: [upstream], ...(keyFile === '-' ? {} : { tls: { key, cert } }) });
  return (await b.listen()).port;
}

async function attack(kind: string, port: number): Promise<number> {
  ATTACKS[kind as AttackKind](port);
  return port;
}

const port = mode === 'plain' ? await plain(Buffer.from(arg, 'hex')) : mode === 'attack' ? await attack(arg, Number(keyFile)) : await bridge(arg);
console.log(JSON.stringify({ port }));
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
