/**
 * `npm run bench -- cpu-where`: where the main thread's on-CPU time per query
 * goes, for sansdns and for Node's resolver (c-ares) in the same run: the
 * closed loop of `node-udp` (`resolve4`, 100 in flight, cache and coalescing
 * off) against Knot (env BENCH_SERVERS=bind for BIND), CPU_QUERIES (default
 * 30,000, env BENCH_CPU_QUERIES) queries each after a warm-up of 10,000,
 * under V8's CPU profiler (the inspector's `Profiler`, 50 µs sampling).
 *
 * Each sample's time (its `timeDelta`) goes to the frame on top of the stack
 * (self time), grouped by where the frame's script lives: `src/core/codec`,
 * the rest of `src/core`, `src/api`, `src/drivers`, Node's own JavaScript
 * (`node:` scripts: dgram, the promise and timer machinery), native code
 * entered from JavaScript (bindings such as the UDP send, builtins that are
 * not inlined), the garbage collector, and `(program)`: native work with no
 * JavaScript on the stack (libuv's receive path, c-ares itself). `(idle)` is
 * the thread waiting in epoll: off CPU, printed apart and left out of the
 * total. The total is the main thread's; `process.cpuUsage` per query is
 * printed beside it (it adds the GC's and libuv's helper threads and the
 * kernel). Diagnostic: the figures with targets are `node-udp`'s.
 */
import { promises as dnsPromises } from 'node:dns';
import { Session } from 'node:inspector';
import { pathToFileURL } from 'node:url';
import { closedLoop } from './closed-loop.js';
import { NodeResolver } from '../src/node.js';
import { serverAvailable, startServer } from '../test/integration/servers.js';

const N = Number(process.env.BENCH_CPU_QUERIES ?? 30_000);
const NAME = 'www.example.test';
const SAMPLING_US = 50;
const SRC = new URL('../src/', import.meta.url).href;

interface CallFrame { url: string; functionName: string }
interface ProfileNode { id: number; callFrame: CallFrame; parent?: number; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** The group a frame's self time counts for (see the file's comment). */
export function groupOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') {
    if (functionName === '(idle)' || functionName === '(program)' || functionName === '(garbage collector)') return functionName;
    if (functionName === '(root)') return '(program)';
    return 'native from JS';
  }
  if (url.startsWith(SRC)) {
    const path = url.slice(SRC.length);
    if (path.startsWith('core/codec/')) return 'src/core/codec';
    const dir = path.split('/')[0] as string;
    return dir.endsWith('.ts') ? 'src (entry)' : `src/${dir}`;
  }
  if (url.startsWith('node:')) return 'node internals';
  return 'other JS (harness, deps)';
}

/** µs of self time per group, and per "group function" site, of a profile. */
function attribute(p: CpuProfile): { groups: Map<string, number>; sites: Map<string, number> } {
  const byId = new Map<number, ProfileNode>();
  const parentOf = new Map<number, ProfileNode>();
  for (const n of p.nodes) byId.set(n.id, n);
  for (const n of p.nodes) for (const c of n.children ?? []) parentOf.set(c, n);
  const groups = new Map<string, number>();
  const sites = new Map<string, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const node = byId.get(p.samples[i] as number) as ProfileNode;
    const dt = p.timeDeltas[i] ?? 0;
    // The profiler's own stop (`dispatch` under `node:inspector`) is the harness's.
    const g = parentOf.get(node.id)?.callFrame.url === 'node:inspector' ? 'other JS (harness, deps)' : groupOf(node.callFrame);
    groups.set(g, (groups.get(g) ?? 0) + dt);
    const site = `${g.padEnd(16)} ${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(SRC, '')}`;
    sites.set(site, (sites.get(site) ?? 0) + dt);
  }
  return { groups, sites };
}

/** Profile `body` on the main thread; returns the profile and the process's CPU µs over it. */
async function profile(body: () => Promise<unknown>): Promise<{ p: CpuProfile; cpu: number }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  try {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: SAMPLING_US });
    await post('Profiler.start');
    const c0 = process.cpuUsage();
    await body();
    const c = process.cpuUsage(c0);
    const { profile: p } = (await post('Profiler.stop')) as { profile: CpuProfile };
    return { p, cpu: c.user + c.system };
  } finally {
    session.disconnect();
  }
}

const ORDER = ['src/core/codec', 'src/core', 'src/api', 'src/drivers', 'src (entry)', 'node internals', 'native from JS', '(garbage collector)', '(program)', 'other JS (harness, deps)'];

export async function run(): Promise<void> {
  const kind = process.env.BENCH_SERVERS === 'bind' ? 'bind' : 'knot';
  if (!(await serverAvailable(kind))) {
    console.log(`cpu-where: ${kind} is not installed; skipped`);
    return;
  }
  const server = await startServer(kind);
  try {
    const addr = `${server.address}:${server.port}`;
    const ours = new NodeResolver({ resolvConf: false, servers: [addr], cache: false, coalesce: false });
    const node = new dnsPromises.Resolver();
    node.setServers([addr]);
    const contenders: [string, () => Promise<unknown>][] = [['sansdns', () => ours.resolve4(NAME)], ['node', () => node.resolve4(NAME)]];
    const results = new Map<string, { groups: Map<string, number>; sites: Map<string, number>; cpu: number; failed: number }>();
    for (const [name, one] of contenders) {
      await closedLoop('warm-up', 10_000, 100, one);
      let failed = 0;
      const { p, cpu } = await profile(async () => { failed = (await closedLoop(name, N, 100, one)).failed; });
      results.set(name, { ...attribute(p), cpu, failed });
    }
    ours.close();
    const us = (r: { groups: Map<string, number> }, g: string): number => (r.groups.get(g) ?? 0) / N;
    const a = results.get('sansdns') as NonNullable<ReturnType<typeof results.get>>;
    const b = results.get('node') as NonNullable<ReturnType<typeof results.get>>;
    console.log(`${kind} ${server.version} on ${addr}; ${N} queries each, concurrency 100, A ${NAME}; self time on the main thread, µs per query (sampling ${SAMPLING_US} µs)`);
    console.log(`${'group'.padEnd(26)} ${'sansdns'.padStart(8)} ${'node'.padStart(8)}`);
    let ta = 0;
    let tb = 0;
    for (const g of ORDER) {
      ta += us(a, g);
      tb += us(b, g);
      console.log(`${g.padEnd(26)} ${us(a, g).toFixed(2).padStart(8)} ${us(b, g).toFixed(2).padStart(8)}`);
    }
    console.log(`${'main thread on CPU'.padEnd(26)} ${ta.toFixed(2).padStart(8)} ${tb.toFixed(2).padStart(8)}   ratio ours/node ${(ta / tb).toFixed(2)}`);
    console.log(`${'(idle: off CPU)'.padEnd(26)} ${us(a, '(idle)').toFixed(2).padStart(8)} ${us(b, '(idle)').toFixed(2).padStart(8)}`);
    console.log(`${'process CPU (cpuUsage)'.padEnd(26)} ${(a.cpu / N).toFixed(2).padStart(8)} ${(b.cpu / N).toFixed(2).padStart(8)}   ratio ours/node ${(a.cpu / b.cpu).toFixed(2)}`);
    if (a.failed + b.failed > 0) console.log(`failed calls: sansdns ${a.failed}, node ${b.failed}`);
    console.log('\nsansdns: the 20 costliest functions (self µs per query)');
    const top = [...a.sites].filter(([s]) => !s.startsWith('(idle)')).sort((x, y) => y[1] - x[1]).slice(0, 20);
    for (const [site, t] of top) console.log(`${(t / N).toFixed(2).padStart(7)}  ${site}`);
  } finally {
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
