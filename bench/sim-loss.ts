/**
 * Retransmission under loss, in the simulator (issues 3 and 14).
 *
 *   npm run bench -- sim-loss        or   node --import tsx bench/sim-loss.ts
 *
 * Each scenario: 2,000 queries of unique names, 50 in flight (a new one as
 * soon as one ends or the caller's 2 s budget for it runs out), 20 ms one
 * way, on one or two servers, with independent loss of 30% each way or bursty
 * loss (Gilbert-Elliott, 30% on average each way, bursts of 3 datagrams on
 * average), a dead server among two, and no loss at all. Contenders:
 * - sansdns with the option sets of issue 14, as `sansdns/node`'s Resolver
 *   maps them onto the core (`coreOptions`): what a new user would write;
 * - Node's `dns.promises.Resolver` schedule (c-ares 1.34, `cares-model.ts`),
 *   with `{ timeout: 200, tries: 4 }` and with its defaults.
 * Printed per contender: answered within 2 s, p50 and p99 (an unanswered
 * query counts as never answered), datagrams sent per query (those sent
 * after the caller gave up included); with a dead server, how many queries
 * sent to it and the most one query sent to it. Then, alone against a
 * silent server, the datagrams one query sends in its first 2 s. Last, the
 * promise API on virtual time (`SimResolver`): 2,000 `resolve4` started in
 * one `Promise.all`, `{ deadline: 2000 }`, one and two servers: answered,
 * virtual time taken, datagrams per query.
 */
import { Resolver, type ResolverOptions } from '../src/index.js';
import { SimResolver, World, Zone, type LinkOptions } from '../src/sim.js';
import { coreOptions, type PromiseResolverOptions } from '../src/api/options.js';
import { closedLoop, sendsWhenSilent, type LoadFigures, type LoopClient } from './sim-closed-loop.js';
import { NodeScheduleModel, type NodeScheduleOptions } from './cares-model.js';

const QUERIES = Number(process.env.BENCH_QUERIES ?? 2000);
const CONCURRENCY = 50;
const BUDGET = 2000;
const SEED = 2024;

const ZONE = new Zone('example.test', [
  { name: 'example.test', type: 'SOA', data: { mname: 'ns.example.test', rname: 'hostmaster.example.test', serial: 1, refresh: 7200, retry: 3600, expire: 1209600, minimum: 300 } },
  { name: '*.example.test', type: 'A', data: '192.0.2.80' },
]);
const ADDRESSES = ['192.0.2.1', '192.0.2.2'];

const INDEPENDENT: LinkOptions = { latency: 20, loss: 0.3 };
/** Bad state: everything lost; good: nothing. Stationary share of bad = 0.3 / (0.3 + 0.7), mean burst 1 / pBadToGood = 3. */
const BURSTY: LinkOptions = { latency: 20, gilbertElliott: { pGoodToBad: 1 / 7, pBadToGood: 1 / 3 } };

interface Scenario { readonly name: string; readonly servers: number; readonly link: LinkOptions; readonly dead?: boolean }
const SCENARIOS: readonly Scenario[] = [
  { name: '1 server, 30% loss each way', servers: 1, link: INDEPENDENT },
  { name: '1 server, bursty loss (Gilbert-Elliott, 30% mean each way)', servers: 1, link: BURSTY },
  { name: '2 servers, 30% loss each way', servers: 2, link: INDEPENDENT },
  { name: '2 servers, bursty loss', servers: 2, link: BURSTY },
  { name: '2 servers, the first dead, 30% loss each way to the other', servers: 2, link: INDEPENDENT, dead: true },
  { name: '1 server, no loss', servers: 1, link: { latency: 20 } },
];

type Contender = { readonly name: string } & ({ readonly ours: PromiseResolverOptions } | { readonly node: NodeScheduleOptions });
const CONTENDERS: readonly Contender[] = [
  { name: 'sansdns { timeout: 150, tries: 13 }', ours: { timeout: 150, tries: 13 } },
  { name: 'sansdns { deadline: 2000, tries: 13 }', ours: { deadline: 2000, tries: 13 } },
  { name: 'sansdns { deadline: 2000 }', ours: { deadline: 2000 } },
  { name: 'sansdns (no options)', ours: {} },
  { name: 'node { timeout: 200, tries: 4 }', node: { timeout: 200, tries: 4 } },
  { name: 'node (no options)', node: {} },
];

function world(s: Scenario, seed: number): World {
  const w = new World({ seed, servers: ADDRESSES.slice(0, s.servers).map((address) => ({ address, zones: [ZONE] })), network: s.link });
  if (s.dead === true) w.network.outage(ADDRESSES[0] as string, { from: 0, until: Infinity });
  return w;
}

/** The core as `sansdns/node`'s Resolver would build it from these options. */
export function oursClient(w: World, o: PromiseResolverOptions, extra: Partial<ResolverOptions> = {}): LoopClient {
  const core = new Resolver({ ...coreOptions(o, w.serverList(), w.resolverRandom()), ...extra });
  return {
    query: (now, name) => core.query(now, name, 'A', { search: false }),
    handleDatagrams: (now, d) => core.handleDatagrams(now, d),
    handleTimeout: (now) => core.handleTimeout(now),
    pollDeadline: () => core.pollDeadline(),
    poll: () => core.poll(),
    get sent() {
      return core.stats.datagramsSent;
    },
  };
}

function client(c: Contender, w: World): LoopClient {
  return 'ours' in c ? oursClient(w, c.ours) : new NodeScheduleModel(w, c.node, SEED);
}

function ms(v: number): string {
  return Number.isFinite(v) ? `${Math.round(v)} ms` : '> 2 s';
}

function row(name: string, f: LoadFigures, dead: boolean): string {
  const cells = [name.padEnd(40), `${(f.answered * 100).toFixed(2)}%`.padStart(8), ms(f.p50).padStart(9), ms(f.p99).padStart(9), f.perQuery.toFixed(2).padStart(10)];
  if (dead) cells.push(`${f.watched.queries}`.padStart(9), `${f.watched.maxPerQuery}`.padStart(6));
  return cells.join(' ');
}

/** 2,000 `resolve4` in one `Promise.all` through `SimResolver`: answered, virtual ms, datagrams per query. */
async function throughSimResolver(servers: number): Promise<string> {
  const r = new SimResolver({
    seed: SEED, servers: ADDRESSES.slice(0, servers).map((address) => ({ address, zones: [ZONE] })), network: INDEPENDENT, deadline: BUDGET,
  });
  const names = Array.from({ length: QUERIES }, (_, i) => `host${i}.example.test`);
  const ok = await Promise.all(names.map((n) => r.resolve4(n).then(() => true, () => false)));
  const answered = ok.filter(Boolean).length;
  return `${answered} of ${QUERIES} answered (${((answered / QUERIES) * 100).toFixed(2)}%) in ${(r.now() / 1000).toFixed(2)} s of virtual time, `
    + `${(r.stats.datagramsSent / QUERIES).toFixed(2)} datagrams per query`;
}

/** Print every scenario's table, then the silent-server line, then SimResolver's figures. */
export async function run(): Promise<void> {
  console.log(`${QUERIES} queries of unique names, ${CONCURRENCY} in flight, 20 ms one way, ${BUDGET} ms budget per query, seed ${SEED}`);
  for (const s of SCENARIOS) {
    const dead = s.dead === true;
    console.log(`\n${s.name}`);
    const head = ['contender'.padEnd(40), 'answered'.padStart(8), 'p50'.padStart(9), 'p99'.padStart(9), 'dgrams/q'.padStart(10)];
    if (dead) head.push('asked it'.padStart(9), 'max/q'.padStart(6));
    console.log(head.join(' '));
    for (const c of CONTENDERS) {
      const w = world(s, SEED);
      const f = closedLoop(w, client(c, w), { queries: QUERIES, concurrency: CONCURRENCY, budget: BUDGET, name: (i) => `host${i}.example.test`, watch: dead ? ADDRESSES[0] : undefined });
      console.log(row(c.name, f, dead));
    }
  }
  console.log('\nalone against a silent server: datagrams one query sends in its first 2 s (a fresh resolver)');
  for (const c of CONTENDERS) {
    const w = world({ name: 'silent', servers: 1, link: { latency: 20, loss: 1 } }, SEED);
    console.log(`${c.name.padEnd(40)} ${sendsWhenSilent(w, client(c, w), BUDGET)}`);
  }
  console.log(`\nSimResolver, ${QUERIES} resolve4 in one Promise.all, { deadline: 2000 }, 30% loss each way, 20 ms each way:`);
  for (const n of [1, 2]) console.log(`  ${n} server${n === 1 ? ' ' : 's'}: ${await throughSimResolver(n)}`);
  console.log('\ntargets (one server, 30% loss, sansdns with no options or only deadline): >= 99.9% answered, p99 <= 1 s, <= 2.3 datagrams per query;'
    + ' no loss: 1.00 datagram per query; a dead server among two: asked by about probeShare (5%) of queries, at most once each');
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
