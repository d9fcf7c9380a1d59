/**
 * Runs inside a fresh network namespace (`unshare --net`, started by the
 * unbound interop tests): loopback up with 127.0.0.2 added, the authoritative
 * server (BIND or Knot, its argv given) serving the signed hierarchy on
 * 127.0.0.1:53, unbound as a validating recursive resolver on 127.0.0.2:53
 * whose only root hint is 127.0.0.1 and whose only trust anchor is our root
 * key. For each question it prints one JSON line: unbound's verdict (AD set:
 * secure; SERVFAIL: bogus; else insecure) and ours, validating through
 * unbound with CD set. Nothing can leave the machine: the namespace has no
 * other interface.
 *
 *   node --import tsx dnssec-unbound-run.ts DIR ANCHOR QUESTIONS.json SERVER-ARGV.json
 */
import { execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage, encodeQuery, parseName, typeFromInput } from '../../src/core/codec/index.js';
import { LoopResolver, verdictOf } from './dnssec-loop.js';
import type { Question } from './dnssec-questions.js';

const [dir, anchorText, questionsJson, serverJson] = process.argv.slice(2) as [string, string, string, string];
const questions = JSON.parse(readFileSync(questionsJson, 'utf8')) as Question[];
const server = JSON.parse(readFileSync(serverJson, 'utf8')) as [string, ...string[]];

function unboundVerdict(name: string, type: string): Promise<string> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const id = Math.floor(Math.random() * 65536);
    const q = encodeQuery({ id, labels: parseName(name).labels, type: typeFromInput(type), class: 1, rd: true, cd: false, edns: { payload: 1232, do: true } });
    const t = setTimeout(() => { s.close(); resolve('other: timeout'); }, 8000);
    s.on('message', (m) => {
      const r = decodeMessage(new Uint8Array(m));
      if (!r.ok || r.message.id !== id) return;
      clearTimeout(t);
      s.close();
      const { rcode, flags } = r.message;
      resolve(rcode === 2 ? 'bogus' : rcode !== 0 && rcode !== 3 ? `other: rcode ${rcode}` : flags.ad ? 'secure' : 'insecure');
    });
    s.send(q, 53, '127.0.0.2');
  });
}

async function main(): Promise<void> {
  execFileSync('ip', ['link', 'set', 'lo', 'up']);
  execFileSync('ip', ['addr', 'add', '127.0.0.2/8', 'dev', 'lo']);
  const auth = spawn(server[0], server.slice(1), { cwd: dir, stdio: 'ignore' });
  const unbound = spawn('unbound', ['-d', '-c', join(dir, 'unbound.conf')], { stdio: 'ignore' });
  try {
    let ready = false;
    for (let i = 0; i < 100 && !ready; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ready = (await unboundVerdict('tld', 'SOA')) === 'secure';
    }
    if (!ready) throw new Error('unbound did not validate tld SOA in 10 s');
    const ours = new LoopResolver(53, { trustAnchors: anchorText, cache: false }, '127.0.0.2');
    for (const { name, type } of questions) {
      const [u, o] = await Promise.all([unboundVerdict(name, type), ours.ask(name, type)]);
      console.log(JSON.stringify({ name, type, unbound: u, ours: verdictOf(o), why: o.kind === 'error' ? o.error.message : (o.extendedError?.text ?? '') }));
    }
    ours.close();
  } finally {
    auth.kill('SIGKILL');
    unbound.kill('SIGKILL');
  }
}

await main();
