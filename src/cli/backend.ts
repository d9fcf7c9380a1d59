/**
 * The resolver behind a command: the Node driver (`sansdns/node`), the DoH
 * client (`sansdns/doh`) for `@https://` servers, or the simulator
 * (`sansdns/sim`) for `--simulate`, built from the command's flags and one
 * question's {@link Ask} (questions that ask alike share one resolver).
 * With a {@link CoreMirror} the command can show what the core did (dig's
 * messages, `--trace`, the size of each response); without one (bulk mode's
 * fast path) each outcome comes straight from the promise API.
 */
import { DohResolver } from '../doh.js';
import { NodeResolver, readResolvConf, type PromiseResolver, type PromiseResolverOptions } from '../node.js';
import { recordingCore } from '../trace.js';
import { SimResolver } from '../sim.js';
import type { ServerInput } from '../index.js';
import type { Flags } from './args.js';
import { DEMO_ZONE } from './demo-zone.js';
import { CoreMirror } from './mirror.js';
import type { Ask } from './settings.js';
import type { ServerArg } from './server-arg.js';
import { isUsageError, UsageError } from './usage-error.js';

/** Addresses of the simulated servers of `--simulate` (both serve the demo zone). */
export const SIM_SERVERS: readonly string[] = ['192.0.2.1', '192.0.2.2'];

/** A resolver, its mirror (when traced) and its clock. */
export interface Backend {
  readonly resolver: PromiseResolver;
  readonly mirror: CoreMirror | undefined;
  /** True under `--simulate`: the clock is virtual. */
  readonly simulated: boolean;
  /** The resolver's clock in ms (virtual under `--simulate`). */
  now(): number;
  /** Advance the simulator until every started query is done (no-op on the network). */
  settle(): void;
  close(): void;
}

/** Looks a server's host name up (only used for `@host` arguments): every address. */
export type HostLookup = (host: string) => Promise<string[]>;

/** Host names of `@host` through sansdns itself (`/etc/hosts`, then the system's servers). */
export const lookupHost: HostLookup = async (host) => {
  const r = new NodeResolver();
  try {
    const all = await r.lookupAll(host);
    if (all.length === 0) throw new Error('no address');
    return all.map((a) => a.address);
  } catch (error) {
    throw new UsageError('no-server', `couldn't get address for '${host}': ${(error as { code?: string }).code ?? String(error)}`);
  } finally {
    r.close();
  }
};

/** The servers of the command line, resolved, with `-p` and `-4`/`-6` applied (UDP); empty for the system's. */
export async function serverInputs(flags: Flags, lookup: HostLookup): Promise<ServerInput[]> {
  const out: ServerInput[] = [];
  for (const s of flags.servers) {
    if (s.kind === 'doh') {
      out.push({ url: s.url, transport: 'doh' });
      continue;
    }
    const port = s.port ?? flags.port ?? 53;
    const addresses = s.kind === 'ip' ? [s.address] : await lookupOrFail(lookup, s.host);
    for (const address of addresses.filter((a) => familyOk(a, flags.family))) out.push({ address, port, transport: 'udp' });
    if (!addresses.some((a) => familyOk(a, flags.family))) throw familyError(s);
  }
  return out;
}

async function lookupOrFail(lookup: HostLookup, host: string): Promise<string[]> {
  try {
    return await lookup(host);
  } catch (error) {
    if (isUsageError(error)) throw error;
    throw new UsageError('no-server', `couldn't get address for '${host}': ${(error as Error).message}`);
  }
}

function familyOk(address: string, family: 4 | 6 | undefined): boolean {
  return family === undefined || (family === 6) === address.includes(':');
}

function familyError(s: Exclude<ServerArg, { kind: 'doh' }>): UsageError {
  return new UsageError('no-server', `couldn't get address for '${s.kind === 'ip' ? s.address : s.host}': address family not supported`);
}

/** The system's servers (`/etc/resolv.conf`, else 127.0.0.1), only when the command names none. */
function systemServers(flags: Flags, tcp: boolean): ServerInput[] {
  const conf = readResolvConf();
  const port = flags.port ?? 53;
  const all = (conf.nameservers.length > 0 ? conf.nameservers : ['127.0.0.1']).filter((a) => familyOk(a, flags.family));
  if (all.length === 0) throw new UsageError('no-server', `no IPv${flags.family ?? ''} server in /etc/resolv.conf`);
  return all.map((address) => ({ address, port, transport: tcp ? 'tcp' : 'udp' }));
}

/** Resolver options from the flags and a question's way of asking. */
export function resolverOptions(flags: Flags, ask: Ask, mirror: CoreMirror | undefined): PromiseResolverOptions {
  const search = ask.search ? (ask.domain !== undefined ? [ask.domain] : readResolvConf().search) : [];
  return {
    recursionDesired: ask.rec,
    edns: ask.edns,
    search,
    // --no-cache: every question goes to the network (no cache, and no sharing of identical questions in flight).
    cache: flags.cache,
    coalesce: flags.cache,
    ...(mirror === undefined ? {} : { trace: mirror.record }),
    ...(ask.bufsize === undefined ? {} : { ednsPayload: ask.bufsize }),
    ...(ask.cookie === undefined ? {} : { cookies: ask.cookie }),
    ...(ask.ndots === undefined ? {} : { ndots: ask.ndots }),
    ...(ask.time === undefined ? {} : { timeout: ask.time * 1000 }),
    ...(ask.tries === undefined ? {} : { tries: ask.tries }),
    ...(flags.timeout === undefined ? {} : { deadline: flags.timeout }),
    ...(flags.caseRandomization ? { case0x20: true } : {}),
  };
}

/** Options of {@link openBackend}. */
export interface BackendOptions {
  /** Follow the core with a mirror (dig's messages, `--trace`, sizes). */
  readonly mirrored: boolean;
  /** Keep every question's timeline (`--trace`). */
  readonly traced: boolean;
  /** The simulator runs on after each call (single questions); off when several run at once. */
  readonly autoSettle: boolean;
  readonly servers: readonly ServerInput[];
}

/** Build the resolver for the flags and one way of asking. */
export function openBackend(flags: Flags, ask: Ask, o: BackendOptions): Backend {
  const mirror = o.mirrored ? new CoreMirror(o.traced) : undefined;
  const options = resolverOptions(flags, ask, mirror);
  if (flags.simulate !== undefined) {
    const s = flags.simulate;
    const sim = new SimResolver({
      ...options,
      seed: s.seed,
      servers: SIM_SERVERS.map((address) => ({ address, zones: [DEMO_ZONE] })),
      network: { latency: s.latency, jitter: s.jitter, loss: s.loss, duplicate: s.duplicate, reorder: s.reorder },
      ...(ask.tcp ? { ask: SIM_SERVERS.map((a) => `tcp://${a}:53`) } : {}),
      autoRun: o.autoSettle,
    });
    return { resolver: sim, mirror, simulated: true, now: () => sim.now(), settle: () => void sim.settle(), close: () => sim.close() };
  }
  const first = o.servers[0];
  if (first !== undefined && typeof first === 'object' && 'url' in first) {
    const doh = new DohResolver({ ...options, servers: o.servers as { url: string; transport: 'doh' }[], core: recordingCore });
    return { resolver: doh, mirror, simulated: false, now: () => performance.now(), settle: () => undefined, close: () => doh.close() };
  }
  const servers = o.servers.length > 0 ? o.servers.map((s) => (ask.tcp && typeof s === 'object' && 'address' in s ? { ...s, transport: 'tcp' as const } : s))
    : systemServers(flags, ask.tcp);
  const node = new NodeResolver({ ...options, servers, resolvConf: false, hostsFile: false });
  return { resolver: node, mirror, simulated: false, now: () => performance.now(), settle: () => undefined, close: () => node.close() };
}
