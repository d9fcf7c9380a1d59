/**
 * The off-path attacker against the defaults (issue 5, "Against forged answers").
 *
 *   npm run bench -- attack        or   node --import tsx bench/attack.ts [queries]
 *
 * 100,000 queries, each raced by 1,000 forged answers (100 million in all):
 * the attacker knows the question (it made the victim ask) but sees nothing
 * of the query, so it guesses the ID, and cannot know the 0x20 case bits or
 * the client cookie. 80% of forgeries carry the server's address as their
 * spoofed source and the right question (in the case the attacker knows);
 * 10% come from the attacker's own address; 10% carry another question.
 *
 * How: a bare core (cookies on by default, `case0x20: true`, cache off so
 * every query goes out) and the simulator's ZoneServer (which speaks
 * cookies, RFC 9018). For each query, the core's datagram is handed to the
 * server, the 1,000 forgeries are injected straight into the core with
 * `handleDatagrams` (they all arrive in the race window, before the real
 * answer), then the server's real answer. The full network simulator is
 * left out to keep 100M datagrams within a minute; forgeries are one
 * encoded template per query with the ID patched in, so the cost measured
 * is the core's. A query is "poisoned" if its final event carries a forged
 * record. Then the same run, shorter, with cookies alone and with neither.
 */
import { Resolver } from '../src/core/resolver.js';
import { encodeMessage } from '../src/core/codec/index.js';
import type { DropReason, Received, ResolverOptions } from '../src/core/types.js';
import { FORGED_A, isForged } from '../src/sim/attacker.js';
import { Prng } from '../src/sim/prng.js';
import { ZoneServer } from '../src/sim/server.js';
import { Zone } from '../src/sim/zone.js';

/** What one attack run produced. */
export interface AttackResult {
  readonly queries: number;
  readonly forgeries: number;
  readonly answered: number;
  /** Final answers carrying a forged record: must be 0. */
  readonly poisoned: number;
  /** Forgeries from the server's address with the right question whose guessed ID was the query's. */
  readonly idMatches: number;
  readonly dropped: Readonly<Record<DropReason, number>>;
  readonly seconds: number;
}

const SERVER = { transport: 'udp', address: '192.0.2.53', port: 53 } as const;
const ATTACKER = { transport: 'udp', address: '198.51.100.66', port: 53 } as const;
const CLIENT = { transport: 'udp', address: '10.0.0.1', port: 40000 } as const;

const ZONE = new Zone('example.com', [
  { name: 'example.com', type: 'SOA', data: { mname: 'ns.example.com', rname: 'hostmaster.example.com', serial: 1, refresh: 7200, retry: 3600, expire: 1209600, minimum: 300 } },
  { name: '*.example.com', type: 'A', data: '192.0.2.80' },
]);

function forged(name: string): Uint8Array {
  return encodeMessage({
    id: 0, flags: { qr: true, aa: true, rd: true, ra: true }, questions: [{ name, type: 1, class: 1 }],
    answers: [{ name, type: 'A', class: 1, ttl: 86400, data: FORGED_A }], edns: { payload: 1232 },
  });
}

/** Reusable forged datagrams: 80% spoofed and right, 10% from the attacker, 10% another question. */
function pool(per: number): { batch: Received[]; right: Uint8Array[]; other: Uint8Array[] } {
  const batch: Received[] = [];
  const right: Uint8Array[] = [];
  const other: Uint8Array[] = [];
  const size = forged('h0000000.example.com').length;
  for (let i = 0; i < per; i++) {
    const sloppy = i % 10;
    const data = new Uint8Array(sloppy === 9 ? size + 2 : size);
    (sloppy === 9 ? other : right).push(data);
    batch.push({ data, peer: sloppy === 8 ? ATTACKER : SERVER });
  }
  return { batch, right, other };
}

/** Run `queries` queries, each raced by `per` forgeries. */
export function attack(queries: number, per: number, options: Partial<ResolverOptions> = {}, seed = 2024): AttackResult {
  const prng = new Prng(seed);
  const core = new Resolver({ servers: ['192.0.2.53'], random: prng.fork('resolver').random, cache: false, case0x20: true, ...options });
  const server = new ZoneServer({ address: SERVER.address, zones: [ZONE], prng: prng.fork('server') });
  const ids = prng.fork('attacker');
  const { batch, right, other } = pool(per);
  let answered = 0;
  let poisoned = 0;
  let idMatches = 0;
  const started = performance.now();
  for (let i = 0; i < queries; i++) {
    const now = i;
    const name = `h${String(i).padStart(7, '0')}.example.com`;
    core.query(now, name, 'A');
    const [t] = core.poll().transmits;
    server.handle(now, { from: CLIENT, to: SERVER, data: t!.data, at: now });
    const id = (t!.data[0]! << 8) | t!.data[1]!;
    const good = forged(name);
    const bad = forged(`x.${name}`);
    for (const d of right) d.set(good);
    for (const d of other) d.set(bad);
    let k = 0;
    for (const { data } of batch) {
      const guess = ids.nextU32() & 0xffff;
      data[0] = guess >>> 8;
      data[1] = guess & 0xff;
      if (guess === id && data.length === good.length && batch[k]!.peer === SERVER) idMatches++;
      k++;
    }
    core.handleDatagrams(now, batch);
    core.handleDatagrams(now, server.poll(now).map((p) => ({ data: p.data, peer: SERVER })));
    for (const e of core.poll().events) {
      if (e.kind !== 'answer') continue;
      answered++;
      if (isForged(e.records)) poisoned++;
    }
  }
  return { queries, forgeries: queries * per, answered, poisoned, idMatches, dropped: { ...core.stats.dropped }, seconds: (performance.now() - started) / 1000 };
}

function show(label: string, r: AttackResult): void {
  const d = r.dropped;
  console.log(`${label}: ${r.queries.toLocaleString('en')} queries × ${(r.forgeries / r.queries).toLocaleString('en')} forgeries = ${r.forgeries.toLocaleString('en')} forged datagrams in ${r.seconds.toFixed(1)} s`);
  console.log(`  answered ${r.answered.toLocaleString('en')}, poisoned (forged answer accepted) ${r.poisoned}`);
  console.log(`  dropped: unknown peer ${d['unknown-peer'].toLocaleString('en')}, unmatched ID ${d.unmatched.toLocaleString('en')}, late ${d.late}, `
    + `wrong question ${d['wrong-question']}, wrong case (0x20) ${d['wrong-case']}, bad cookie ${d['bad-cookie']}, malformed ${d.malformed}, not a response ${d['not-response']}`);
  console.log(`  forgeries with spoofed source, right question and the right ID: ${r.idMatches}`);
}

export async function run(): Promise<void> {
  const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 100_000);
  show('cookies + 0x20 (cookies are the default; case0x20: true)', attack(n, 1000));
  show('cookies alone (the defaults)', attack(Math.min(n, 10_000), 1000, { case0x20: false }));
  show('neither (cookies: false, case0x20: false)', attack(Math.min(n, 10_000), 1000, { cookies: false, case0x20: false }));
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
