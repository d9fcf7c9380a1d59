/**
 * Retransmission under loss through real sockets (issue 14).
 *
 *   npm run bench -- node-loss       or   node --import tsx bench/node-loss.ts
 *
 * As `npm start`'s demo does it: the simulator's zone server behind real
 * sockets on 127.0.0.1 (`serveZones`) and in front of it the seeded lossy
 * relay (`startRelay`), 30% loss each way (then none), every datagram held
 * 20 ms each way. Through it,
 * 2,000 `resolve4` of unique names, 50 in flight (a worker moves on when the
 * answer comes or its 2 s budget runs out), by `sansdns/node`'s Resolver
 * with the option sets of issue 14 and by Node's `dns.promises.Resolver`,
 * one after the other in one run. Datagrams per query are those the relay
 * received from the client, counted once every query has ended (those sent
 * after the caller gave up included). Then, alone against a silent server
 * (a socket that never answers), the datagrams one query sends in 2 s.
 */
import dgram from 'node:dgram';
import { loadavg } from 'node:os';
import { promises as dnsPromises } from 'node:dns';
import { pathToFileURL } from 'node:url';
import { NodeResolver as Resolver, type NodeResolverOptions } from '../src/node.js';
import { serveZones } from '../src/cli/loopback-server.js';
import { startRelay } from '../src/cli/lossy-relay.js';

const QUERIES = Number(process.env.BENCH_QUERIES ?? 2000);
const CONCURRENCY = 50;
const BUDGET = 2000;
const LATENCY = 20;
const SEED = 2024;

const ZONE = `$ORIGIN example.test.
$TTL 300
@ IN SOA ns hostmaster 1 7200 3600 1209600 300
* IN A 192.0.2.80
`;

/** One contender: how it resolves a name, and how it lets go. */
interface Contender {
  readonly name: string;
  make(server: string): { resolve4(name: string): Promise<unknown>; close(): void };
}

function ours(name: string, o: NodeResolverOptions): Contender {
  return {
    name,
    make: (server) => {
      const r = new Resolver({ ...o, servers: [server], resolvConf: false, hostsFile: false });
      return { resolve4: (n) => r.resolve4(n), close: () => r.close() };
    },
  };
}

function node(name: string, o: { timeout?: number; tries?: number }): Contender {
  return {
    name,
    make: (server) => {
      const r = new dnsPromises.Resolver(o);
      r.setServers([server]);
      return { resolve4: (n) => r.resolve4(n), close: () => r.cancel() };
    },
  };
}

const CONTENDERS: readonly Contender[] = [
  ours('sansdns { timeout: 150, tries: 13 }', { timeout: 150, tries: 13 }),
  ours('sansdns { deadline: 2000, tries: 13 }', { deadline: 2000, tries: 13 }),
  ours('sansdns { deadline: 2000 }', { deadline: 2000 }),
  ours('sansdns (no options)', {}),
  node('node { timeout: 200, tries: 4 }', { timeout: 200, tries: 4 }),
  node('node (no options)', {}),
];

interface Figures { answered: number; p50: number; p99: number; perQuery: number }

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number;
}

/** The closed loop: CONCURRENCY workers, each waits for its query at most BUDGET ms. */
async function load(c: Contender, server: string, sentSoFar: () => number): Promise<Figures> {
  const r = c.make(server);
  const latency = new Float64Array(QUERIES).fill(Infinity);
  const all: Promise<unknown>[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < QUERIES) {
      const i = next++;
      const t0 = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const answer = r.resolve4(`host${i}.example.test`).then(() => {
        const elapsed = performance.now() - t0;
        if (elapsed <= BUDGET) latency[i] = elapsed;
      }, () => undefined);
      all.push(answer);
      await Promise.race([answer, new Promise<void>((resolve) => (timer = setTimeout(resolve, BUDGET)))]);
      clearTimeout(timer);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await Promise.all(all);
  r.close();
  latency.sort();
  const answered = latency.filter(Number.isFinite).length;
  return { answered: answered / QUERIES, p50: percentile(latency, 0.5), p99: percentile(latency, 0.99), perQuery: sentSoFar() / QUERIES };
}

/** Datagrams one query sends to a server that never answers, in its first BUDGET ms. */
async function aloneSilent(c: Contender): Promise<number> {
  const silent = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
  let got = 0;
  silent.on('message', () => got++);
  const r = c.make(`127.0.0.1:${silent.address().port}`);
  r.resolve4('silent.example.test').catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, BUDGET));
  const n = got;
  r.close();
  silent.close();
  return n;
}

function ms(v: number): string {
  return Number.isFinite(v) ? `${Math.round(v)} ms` : '> 2 s';
}

/** Print the table for 30% loss, then for none, then the silent-server column. */
export async function run(): Promise<void> {
  console.log(`load average at the start: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (timers on a busy machine fire late: RTTs grow, spurious retries appear)`);
  const zone = await serveZones([ZONE]);
  try {
    for (const loss of [0.3, 0]) {
      console.log(`\n${QUERIES} resolve4 of unique names, ${CONCURRENCY} in flight, ${loss * 100}% loss each way (seeded relay), ${LATENCY} ms each way, ${BUDGET} ms budget per query`);
      console.log(`${'contender'.padEnd(40)} ${'answered'.padStart(8)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'dgrams/q'.padStart(9)}`);
      for (const c of CONTENDERS) {
        const relay = await startRelay({ upstream: zone, loss, seed: SEED, latency: LATENCY });
        const f = await load(c, `127.0.0.1:${relay.port}`, () => relay.stats.toServer);
        await relay.close();
        console.log(`${c.name.padEnd(40)} ${`${(f.answered * 100).toFixed(2)}%`.padStart(8)} ${ms(f.p50).padStart(9)} ${ms(f.p99).padStart(9)} ${f.perQuery.toFixed(2).padStart(9)}`);
      }
    }
    console.log(`\nalone against a silent server: datagrams one query sends in its first ${BUDGET} ms`);
    for (const c of CONTENDERS) console.log(`${c.name.padEnd(40)} ${await aloneSilent(c)}`);
  } finally {
    await zone.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
