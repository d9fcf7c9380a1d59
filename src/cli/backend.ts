/**
 * The resolver behind a command: the Node driver (`sansdns/node`), the DoH
 * client (`sansdns/doh`) for `@https://` servers, or the simulator
 * (`sansdns/sim`) for `--simulate`, each recorded into a {@link CoreMirror}
 * so the command can show what the core did. One resolver serves every
 * question of a command (bulk mode included).
 */
import { DohResolver } from '../doh.js';
import { NodeResolver, readResolvConf, type PromiseResolver, type PromiseResolverOptions } from '../node.js';
import { recordingCore } from '../trace.js';
import { SimResolver } from '../sim.js';
import type { ServerInput } from '../index.js';
import type { QueryFlags } from './args.js';
import { DEMO_ZONE } from './demo-zone.js';
import { CoreMirror } from './mirror.js';
import type { Outcome } from './outcome.js';
import type { ServerArg } from './server-arg.js';
import { UsageError } from './usage-error.js';

/** Addresses of the simulated servers of `--simulate` (both serve the demo zone). */
export const SIM_SERVERS: readonly string[] = ['192.0.2.1', '192.0.2.2'];

/** A resolver, its mirror and its clock. */
export interface Backend {
  readonly resolver: PromiseResolver;
  readonly mirror: CoreMirror;
  /** The resolver's clock in ms (virtual under `--simulate`). */
  now(): number;
  /** Advance the simulator until every started query is done (no-op on the network). */
  settle(): void;
  close(): void;
}

/** Looks a server's host name up (only used for `@host` arguments). */
export type HostLookup = (host: string) => Promise<string>;

/** Host names of `@host` through sansdns itself (`/etc/hosts`, then the system's servers). */
export const lookupHost: HostLookup = async (host) => {
  const r = new NodeResolver();
  try {
    const [first] = await r.lookupAll(host);
    if (first === undefined) throw new Error('no address');
    return first.address;
  } catch (error) {
    throw new UsageError('bad-server', `cannot find the address of server ${host}: ${(error as { code?: string }).code ?? String(error)}`);
  } finally {
    r.close();
  }
};

async function serverInputs(servers: readonly ServerArg[], tcp: boolean, lookup: HostLookup): Promise<ServerInput[]> {
  const out: ServerInput[] = [];
  for (const s of servers) {
    if (s.kind === 'doh') out.push({ url: s.url, transport: 'doh' });
    else {
      const address = s.kind === 'ip' ? s.address : await lookup(s.host);
      out.push({ address, port: s.port, transport: tcp ? 'tcp' : 'udp' });
    }
  }
  return out;
}

function common(flags: QueryFlags, mirror: CoreMirror): PromiseResolverOptions {
  return {
    trace: mirror.record,
    ...(flags.timeout === undefined ? {} : { deadline: flags.timeout }),
    ...(flags.tries === undefined ? {} : { tries: flags.tries }),
    ...(flags.edns ? {} : { edns: false }),
    ...(flags.cookies === undefined ? {} : { cookies: flags.cookies }),
    ...(flags.caseRandomization ? { case0x20: true } : {}),
  };
}

/** Build the resolver the flags ask for. `autoSettle: false` lets the simulator run several queries at once. */
export async function openBackend(flags: QueryFlags, traced: boolean, autoSettle = true, lookup: HostLookup = lookupHost): Promise<Backend> {
  const mirror = new CoreMirror(traced);
  const options = common(flags, mirror);
  if (flags.simulate !== undefined) {
    const s = flags.simulate;
    const sim = new SimResolver({
      ...options,
      seed: s.seed,
      servers: SIM_SERVERS.map((address) => ({ address, zones: [DEMO_ZONE] })),
      network: { latency: s.latency, jitter: s.jitter, loss: s.loss, duplicate: s.duplicate, reorder: s.reorder },
      ...(flags.tcp ? { ask: SIM_SERVERS.map((a) => `tcp://${a}:53`) } : {}),
      autoRun: autoSettle,
    });
    return { resolver: sim, mirror, now: () => sim.now(), settle: () => void sim.settle(), close: () => sim.close() };
  }
  const servers = await serverInputs(flags.servers, flags.tcp, lookup);
  const first = servers[0];
  if (first !== undefined && typeof first === 'object' && 'url' in first) {
    const doh = new DohResolver({ ...options, servers: servers as { url: string; transport: 'doh' }[], core: recordingCore });
    return { resolver: doh, mirror, now: () => performance.now(), settle: () => undefined, close: () => doh.close() };
  }
  const system = servers.length === 0 && flags.tcp
    ? readResolvConf().nameservers.map((address): ServerInput => ({ address, port: 53, transport: 'tcp' }))
    : servers;
  const node = new NodeResolver({ ...options, ...(system.length === 0 ? {} : { servers: system }) });
  return { resolver: node, mirror, now: () => performance.now(), settle: () => undefined, close: () => node.close() };
}

let nextTag = 1;

/**
 * Ask one question through a backend and wait for its outcome. Never
 * rejects: a query the core refused (a bad name) is an error outcome too.
 */
export async function ask(backend: Backend, name: string, type: string): Promise<Outcome> {
  const tag = nextTag++;
  backend.mirror.expect(tag);
  let failure: unknown;
  try {
    await backend.resolver.query(name, type, { search: false }); // as dig: the name as given (+nosearch)
  } catch (error) {
    failure = error;
  }
  const outcome = backend.mirror.take(tag);
  if (outcome !== undefined) return outcome;
  // The core refused the question before it started (the mirror saw it throw).
  const e = failure as { code?: string; message?: string; cause?: { message?: string } } | undefined;
  return {
    kind: 'error', name, type, code: e?.code ?? 'EUNKNOWN', message: e?.cause?.message ?? e?.message ?? String(failure),
    elapsed: 0, sent: 0, timeline: undefined,
  };
}
