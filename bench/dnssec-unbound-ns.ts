/**
 * The part of `dnssec-unbound.ts` that runs inside its network namespace
 * (loopback only): knotd on 127.0.0.1:53, unbound validating on 127.0.0.2:53
 * and unbound without validation on 127.0.0.3:53 (root hint: 127.0.0.1), and
 * sansdns in this process. unbound's CPU is read around each answer (its
 * schedstat: on-CPU time only), so a flush before a cold answer is not counted. Prints one JSON `Figure` per measurement.
 *
 *   unshare --net node --import tsx bench/dnssec-unbound-ns.ts DIR ROOT-DS
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeResolver } from '../src/drivers/node/resolver.js';
import { decodeMessage, encodeQuery, parseName } from '../src/core/codec/index.js';
import { COLD, WARM, type Figure } from './dnssec-unbound.js';

const [dir, anchor] = process.argv.slice(2) as [string, string];
const warmNames = Array.from({ length: WARM }, (_, i) => `host-${i}.example.tld`);
const coldNames = warmNames.slice(0, COLD);

/** Queries the authoritative knotd has received (mod-stats, every protocol). */
function authQueries(): number {
  const out = execFileSync('knotc', ['-s', join(dir, 'knot.sock'), 'stats', 'mod-stats.request-protocol'], { encoding: 'utf8' });
  return [...out.matchAll(/=\s*(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
}

/** CPU time of process `pid`, all its threads, ns. */
function schedNs(pid: number): number {
  return readdirSync(`/proc/${pid}/task`).reduce((a, t) => a + Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]), 0);
}

const socket = dgram.createSocket('udp4');
const waiting = new Map<number, (m: Buffer) => void>();
socket.on('message', (m) => { waiting.get(m.readUInt16BE(0))?.(m); });
let nextId = 1;

/** One query to unbound at `address` (RD, DO, CD clear); resolves with whether AD is set. */
function askUnbound(address: string, name: string): Promise<boolean> {
  const id = nextId++ & 0xffff;
  const q = encodeQuery({ id, labels: parseName(name).labels, type: 1, class: 1, rd: true, cd: false, edns: { payload: 1232, do: true } });
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { waiting.delete(id); reject(new Error(`unbound ${address}: no answer for ${name}`)); }, 5000);
    waiting.set(id, (m) => {
      clearTimeout(t);
      waiting.delete(id);
      const r = decodeMessage(new Uint8Array(m));
      if (!r.ok || r.message.rcode !== 0 || r.message.answers.length === 0) return reject(new Error(`unbound ${address}: ${name} failed`));
      resolve(r.message.flags.ad);
    });
    socket.send(q, 53, address);
  });
}

function figure(label: string, resolver: Figure['resolver'], validating: boolean, chain: Figure['chain'], answers: number, cpuUs: number, queries: number): void {
  const f: Figure = { label, resolver, validating, chain, answers, cpuUs: cpuUs / answers, queries: queries / answers };
  console.log(JSON.stringify(f));
}

/** The Node driver, validating or not; `cold`: no answer cache and no key cache, so every answer proves its chain from the anchor. */
function nodeResolver(validating: boolean, cold: boolean): NodeResolver {
  const dnssec = { trustAnchors: anchor, ...(cold ? { keyCacheEntries: 0 } : {}) };
  return new NodeResolver({ servers: ['127.0.0.1:53'], resolvConf: false, hostsFile: false, cache: !cold, ...(validating ? { dnssec } : {}) });
}

async function ours(validating: boolean, chain: Figure['chain']): Promise<void> {
  const names = chain === 'warm' ? warmNames : coldNames;
  const r = nodeResolver(validating, chain === 'cold');
  await r.query('www.example.tld', 'A', { dnssecOk: true });
  const q0 = authQueries();
  const c0 = process.cpuUsage();
  for (const name of names) {
    const a = await r.query(name, 'A', { dnssecOk: true });
    if (validating && a.security !== 'secure') throw new Error(`${name}: ${a.security}`);
  }
  const c = process.cpuUsage(c0);
  const what = validating ? 'validating (node:crypto)' : 'no validation';
  figure(`sansdns, ${chain} chain, ${what}${chain === 'cold' ? ' (no cache)' : ''}`, 'sansdns', validating, chain, names.length, c.user + c.system, authQueries() - q0);
  r.close();
}

async function unboundRun(pid: number, address: string, which: 'validating' | 'plain', chain: Figure['chain']): Promise<void> {
  const validating = which === 'validating';
  const names = chain === 'warm' ? warmNames : coldNames;
  if (chain === 'warm') await askUnbound(address, 'www.example.tld');
  let ns = 0;
  const q0 = authQueries();
  for (const name of names) {
    if (chain === 'cold') execFileSync('unbound-control', ['-c', join(dir, `unbound-${which}.conf`), 'flush_zone', '.'], { stdio: 'ignore' });
    const s0 = schedNs(pid);
    const ad = await askUnbound(address, name);
    ns += schedNs(pid) - s0;
    if (ad !== validating) throw new Error(`unbound ${which}: ${name} AD ${ad}`);
  }
  const queries = authQueries() - q0;
  figure(`unbound, ${chain} chain, ${validating ? 'validating' : 'iterator only'}${chain === 'cold' ? ' (flush_zone . before each)' : ''}`, 'unbound', validating, chain, names.length, ns / 1000, queries);
}

async function ready(address: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await askUnbound(address, 'www.example.tld').then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`unbound on ${address} did not answer`);
}

async function main(): Promise<void> {
  execFileSync('ip', ['link', 'set', 'lo', 'up']);
  execFileSync('ip', ['addr', 'add', '127.0.0.2/8', 'dev', 'lo']);
  execFileSync('ip', ['addr', 'add', '127.0.0.3/8', 'dev', 'lo']);
  socket.bind(0, '127.0.0.1');
  const children: ChildProcess[] = [
    spawn('knotd', ['-c', join(dir, 'knot.conf')], { stdio: 'ignore' }),
    spawn('unbound', ['-d', '-c', join(dir, 'unbound-validating.conf')], { stdio: 'ignore' }),
    spawn('unbound', ['-d', '-c', join(dir, 'unbound-plain.conf')], { stdio: 'ignore' }),
  ];
  try {
    await ready('127.0.0.2');
    await ready('127.0.0.3');
    const [, validating, plain] = children.map((c) => c.pid as number) as [number, number, number];
    for (const chain of ['warm', 'cold'] as const) {
      await unboundRun(plain, '127.0.0.3', 'plain', chain);
      await unboundRun(validating, '127.0.0.2', 'validating', chain);
    }
    for (const chain of ['warm', 'cold'] as const) {
      await ours(false, chain);
      await ours(true, chain);
    }
  } finally {
    for (const c of children) c.kill('SIGKILL');
    socket.close();
  }
}

await main();
