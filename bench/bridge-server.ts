/**
 * A child process of `bench/bridge.ts`, so that its CPU time is its own:
 *   node bench/bridge-server.(ts via tsx, or bundled) bridge <upstream> <key.pem> <cert.pem>
 *     the DoH bridge over TLS (HTTP/2 and HTTP/1.1) in front of <upstream>;
 *   ... plain <answer hex> <key.pem> <cert.pem>
 *     the floor: a plain `node:http2` server (stream API, as the bridge uses)
 *     answering every request with the same fixed DNS message, after reading
 *     a POST's body.
 * Prints `{"port":N}` once listening; exits when its stdin closes.
 */
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';
import { createDohServer } from '../src/node.js';

const [mode, arg, keyFile, certFile] = process.argv.slice(2) as [string, string, string, string];
const key = readFileSync(keyFile);
const cert = readFileSync(certFile);

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

async function bridge(upstream: string): Promise<number> {
  const b = createDohServer({ upstreams: [upstream], tls: { key, cert } });
  return (await b.listen()).port;
}

const port = mode === 'plain' ? await plain(Buffer.from(arg, 'hex')) : await bridge(arg);
console.log(JSON.stringify({ port }));
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
