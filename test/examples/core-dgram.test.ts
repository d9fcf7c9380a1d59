/**
 * The README's driver loop runs as written: the code block in README.md is
 * examples/core-dgram.ts, and here it resolves names from a UDP responder on
 * loopback (answering through our validated encoder).
 */
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../src/codec.js';

const run = promisify(execFile);
let server: dgram.Socket;
let port = 0;

beforeAll(async () => {
  server = dgram.createSocket('udp4');
  server.on('message', (msg, rinfo) => {
    const q = decodeMessage(msg);
    if (!q.ok) return;
    const question = q.message.questions[0]!;
    const nx = question.name.startsWith('nx.');
    const bytes = encodeMessage({
      id: q.message.id, opcode: 0, rcode: nx ? 3 : 0,
      flags: { qr: true, aa: true, tc: false, rd: true, ra: false, ad: false, cd: false },
      questions: [question],
      answers: nx ? [] : [{ name: question.name, type: 'A', class: 1, ttl: 60, data: '192.0.2.53' }],
      authorities: [], additionals: [], edns: undefined,
    });
    server.send(bytes, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
  port = server.address().port;
});
afterAll(() => server.close());

describe('README example', () => {
  it('is the file examples/core-dgram.ts, verbatim', () => {
    const readme = readFileSync('README.md', 'utf8');
    const example = readFileSync('examples/core-dgram.ts', 'utf8');
    expect(readme).toContain('```ts\n' + example + '```');
  });

  it('resolves a name and prints the answer', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/core-dgram.ts', 'www.example.test', 'A', `127.0.0.1:${port}`]);
    expect(stdout.trim()).toBe('www.example.test 60 A 192.0.2.53');
  });

  it('prints nothing but exits for NXDOMAIN, and reports a timeout when nobody answers', async () => {
    const nx = await run(process.execPath, ['--import', 'tsx', 'examples/core-dgram.ts', 'nx.example.test', 'A', `127.0.0.1:${port}`]);
    expect(nx.stdout).toBe('');
    const silent = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    const dead = await run(process.execPath, ['--import', 'tsx', 'examples/core-dgram.ts', 'a.test', 'A', `127.0.0.1:${silent.address().port}`]);
    silent.close();
    expect(dead.stdout.trim()).toBe('error: ETIMEOUT');
  });
});
