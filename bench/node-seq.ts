/**
 * One query at a time (issue 13): the cost per query of a service that
 * resolves names one after another, where nothing is ever in flight
 * between two queries.
 *
 *   npm run bench -- node-seq
 *
 * The demo zone (`src/cli/demo-zone.ts`) is served by the loopback zone
 * server in a child process, so its CPU is not counted. This process then
 * asks `resolve4('www.sansdns.test')` 3,000 times in a row (after 1,000 to
 * warm up), with sansdns's `NodeResolver` (cache and coalescing off) and
 * with Node's `dns.promises.Resolver`, three rounds each, alternated. CPU per
 * query is `process.cpuUsage`. Only the ratio travels.
 *
 * sansdns closes every UDP socket when nothing is in flight, so that
 * sporadic queries each get a fresh random source port (RFC 5452 §9.2;
 * `drivers/node/transport.ts`); c-ares keeps its socket. Under
 * `strace -c -f` that shows as one socket(), bind(), connect() and close()
 * per query.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Resolver as NodeDns } from 'node:dns/promises';
import { fileURLToPath } from 'node:url';
import { NodeResolver } from '../src/drivers/node/resolver.js';

const N = 3000;
const WARM = 1000;
const NAME = 'www.sansdns.test';

/** The loopback zone server in a child process; resolves to its port and a stop. */
async function server(): Promise<{ port: number; stop(): void }> {
  const script = `import { serveZones } from ${JSON.stringify(fileURLToPath(new URL('../src/cli/loopback-server.ts', import.meta.url)))};
import { DEMO_ZONE } from ${JSON.stringify(fileURLToPath(new URL('../src/cli/demo-zone.ts', import.meta.url)))};
const s = await serveZones([DEMO_ZONE]); console.log(s.port);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return { port: Number(chunk.toString().trim()), stop: () => child.kill('SIGKILL') };
}

async function cpuPerQuery(ask: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARM; i++) await ask();
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) await ask();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / N;
}

export async function run(): Promise<void> {
  const srv = await server();
  try {
    const ours = new NodeResolver({ servers: [`127.0.0.1:${srv.port}`], resolvConf: false, hostsFile: false, cache: false, coalesce: false });
    const node = new NodeDns();
    node.setServers([`127.0.0.1:${srv.port}`]);
    const a: number[] = [];
    const b: number[] = [];
    for (let round = 0; round < 3; round++) {
      a.push(await cpuPerQuery(() => ours.resolve4(NAME)));
      b.push(await cpuPerQuery(() => node.resolve4(NAME)));
    }
    const best = (xs: number[]): number => Math.min(...xs);
    console.log(`loopback zone server (child process) on 127.0.0.1:${srv.port}; ${N} queries one at a time, A ${NAME}, 3 rounds alternated`);
    console.log(`  sansdns NodeResolver        ${a.map((x) => x.toFixed(1)).join(' / ')} CPU µs/q`);
    console.log(`  node dns.promises.Resolver  ${b.map((x) => x.toFixed(1)).join(' / ')} CPU µs/q`);
    console.log(`  sansdns / node: ${(best(a) / best(b)).toFixed(2)}x CPU per query (best round of each)`);
    ours.close();
  } finally {
    srv.stop();
  }
}
