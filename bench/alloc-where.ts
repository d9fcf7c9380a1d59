/**
 * `npm run bench -- alloc-where`: where sansdns's allocations per query come
 * from. The closed loop of `node-udp` (`NodeResolver.resolve4`, 100 in
 * flight, cache and coalescing off) against Knot (env BENCH_SERVERS=bind for
 * BIND), ALLOC_QUERIES (default 10,000, env BENCH_ALLOC_QUERIES) queries
 * after a warm-up of 10,000, under V8's sampling heap profiler
 * (`alloc-sampler.ts`): objects and bytes per query by the function that
 * allocated them (V8 reports the frame that ran: what it inlined counts for
 * the caller; run with `node --no-turbo-inlining` to see callees, at the cost
 * of allocations that escape analysis would have removed). Diagnostic only:
 * the figure with a target is `ours/q` in `node-udp`.
 */
import { pathToFileURL } from 'node:url';
import { countAllocations } from './alloc-sampler.js';
import { closedLoop } from './closed-loop.js';
import { NodeResolver } from '../src/node.js';
import { serverAvailable, startServer } from '../test/integration/servers.js';

const N = Number(process.env.BENCH_ALLOC_QUERIES ?? 10_000);
const NAME = 'www.example.test';
const ROOT = new URL('../', import.meta.url).href;
const SRC = new URL('../src/', import.meta.url).href;

export async function run(): Promise<void> {
  const kind = process.env.BENCH_SERVERS === 'bind' ? 'bind' : 'knot';
  if (!(await serverAvailable(kind))) {
    console.log(`alloc-where: ${kind} is not installed; skipped`);
    return;
  }
  const server = await startServer(kind);
  try {
    const ours = new NodeResolver({ resolvConf: false, servers: [`${server.address}:${server.port}`], cache: false, coalesce: false });
    await closedLoop('warm-up', 10_000, 100, () => ours.resolve4(NAME));
    const a = await countAllocations(() => closedLoop('measured', N, 100, () => ours.resolve4(NAME)), SRC);
    ours.close();
    console.log(`${kind} ${server.version}; ${N} queries: ${(a.objects / N).toFixed(1)} objects, ${Math.round(a.bytes / N)} B per query in all; `
      + `${(a.mine.objects / N).toFixed(1)} objects, ${Math.round(a.mine.bytes / N)} B by src/`);
    console.log(`${'objects/q'.padStart(9)} ${'B/q'.padStart(6)}  allocating function`);
    const rows = [...a.sites].sort((x, y) => y[1].objects - x[1].objects).slice(0, 30);
    for (const [site, s] of rows) {
      console.log(`${(s.objects / N).toFixed(2).padStart(9)} ${Math.round(s.bytes / N).toString().padStart(6)}  ${site.replace(ROOT, '').trim() || '(native: the receive path in C++)'}`);
    }
  } finally {
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
