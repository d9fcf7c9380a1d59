/**
 * Snapshot and restore of what a resolver has learned: its cache and its
 * per-server state, as a plain JSON-able object, for a warm start in a
 * serverless function or a new worker process.
 *
 * A cached answer is saved as the response it came from (base64) with its
 * absolute expiry on the caller's timeline; a restore decodes it with the
 * same validating decoder as the network path, checks its CNAME chain again
 * and rebuilds the entry, so a snapshot is trusted no more than a datagram.
 * Anything malformed makes the whole restore throw `EBADSNAPSHOT` and change
 * nothing. A restored entry is exactly one the resolver itself could have
 * made: a response (QR set, opcode QUERY, one question, NOERROR or NXDOMAIN,
 * not truncated over UDP) to a question its callers can ask (no type 0, AXFR, IXFR, OPT, TKEY,
 * TSIG; no class 0 or NONE), and the same holds for remembered failures.
 *
 * Timeline: expiries are on the timeline of the `now` given to `snapshot`.
 * `restore(now, snap, { elapsed })` ages every entry by `elapsed` ms (the
 * real time between the snapshot and the restore, which only the caller
 * knows); without it, the age is `now - snap.taken` when that is positive
 * (right when both calls share one timeline, as `Date.now()` does) and 0
 * otherwise (a fresh `performance.now()` timeline: pass `elapsed` there).
 * A restored entry never lives longer than the same answer received now.
 *
 * {@link snapshot} and {@link restore} are functions of a `Resolver`, not
 * methods, so a bundle that never calls them leaves this file out.
 */
import { classFromInput, decodeMessage, parseName, typeFromInput } from './codec/index.js';
import { DnsError, type QueryErrorCode } from './errors.js';
import { failureEntry, keysOf, type Cache, type Entry } from './cache.js';
import { assembleChain } from './cname.js';
import { typeToName } from './codec/index.js';
import { base64Decode, base64Encode } from './codec/base-n.js';
import { NOERROR, NXDOMAIN } from './codec/rcode.js';
import { endpointKey, isEndpoint, type ServerState } from './servers.js';
import type { Endpoint } from './types.js';
import type { ResolverCore } from './resolver.js';

/** A cached answer: the response as received (base64), its expiry and the DO (1) / CD (2) bits of its query. */
export interface SnapshotAnswer {
  readonly kind: 'data';
  readonly wire: string;
  readonly expires: number;
  readonly bits: number;
  readonly server: Endpoint;
}

/** A remembered failure (RFC 9520). */
export interface SnapshotFailure {
  readonly kind: 'failure';
  readonly name: string;
  readonly type: number;
  readonly class: number;
  readonly bits: number;
  readonly code: QueryErrorCode;
  readonly expires: number;
}

/** What is kept per server, by endpoint key (`udp 192.0.2.1 53`). */
export interface SnapshotServer {
  readonly server: string;
  readonly srtt: number | null;
  readonly rttvar: number;
  readonly noEdns: boolean;
}

/** A resolver's learned state, JSON-able (`JSON.stringify` round-trips it). */
export interface ResolverSnapshot {
  readonly version: 1;
  /** The `now` it was taken at. */
  readonly taken: number;
  /** Cache entries, least recently used first. */
  readonly cache: readonly (SnapshotAnswer | SnapshotFailure)[];
  readonly servers: readonly SnapshotServer[];
}

/** Options of `restore`. */
export interface RestoreOptions {
  /** Real time in ms between the snapshot and this restore (see the timeline note in `snapshot.ts`). */
  readonly elapsed?: number;
}

function bad(why: string): DnsError {
  return new DnsError('EBADSNAPSHOT', `bad snapshot: ${why}`);
}

function fromBase64(text: unknown): Uint8Array {
  const bytes = base64Decode(text as string);
  if (bytes === undefined) throw bad('wire is not base64');
  return bytes;
}

/** Take a snapshot at `t`. */
function takeSnapshot(t: number, cache: Cache, servers: readonly ServerState[]): ResolverSnapshot {
  const entries = cache.entries().map((e): SnapshotAnswer | SnapshotFailure => e.kind === 'failure'
    ? { kind: 'failure', name: e.question.name, type: e.question.type, class: e.question.class, bits: e.bits, code: e.code as QueryErrorCode, expires: e.expires }
    : { kind: 'data', wire: base64Encode(e.wire), expires: e.expires, bits: e.bits, server: e.server as Endpoint });
  const list = servers.map((s) => ({ server: endpointKey(s.endpoint), srtt: Number.isNaN(s.srtt) ? null : s.srtt, rttvar: s.rttvar, noEdns: s.noEdns }));
  return { version: 1, taken: t, cache: entries, servers: list };
}

const CODES: readonly string[] = ['ETIMEOUT', 'ESERVFAIL', 'EREFUSED', 'EBADRESP', 'EFORMERR', 'ENOTIMP', 'ECONNREFUSED', 'ENETUNREACH', 'ECONNRESET'];

function finite(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`${what} is not a finite number`);
  return v;
}

function integer(v: unknown, what: string, max: number): number {
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > max) throw bad(`${what} is not an integer in 0..${max}`);
  return v as number;
}

/**
 * A question the resolver could have asked: a type and class its callers
 * may give (not 0, OPT, AXFR, IXFR, TKEY, TSIG; not class 0 or NONE).
 */
function askable(type: number, qclass: number): boolean {
  try {
    typeFromInput(type);
    classFromInput(qclass);
    return true;
  } catch {
    return false;
  }
}

/** Rebuild a data entry from its saved response, checked as if it had just arrived. */
function readAnswer(x: Record<string, unknown>, t: number, cache: Cache, maxChain: number): Entry {
  const bits = integer(x.bits, 'bits', 3);
  if (!isEndpoint(x.server)) throw bad('server is not an endpoint');
  const wire = fromBase64(x.wire);
  const d = decodeMessage(wire);
  if (!d.ok) throw bad(`wire is malformed (${d.reason})`);
  const m = d.message;
  const q = m.questions[0];
  // What the resolver accepts as an answer (RFC 1035 §4.1.1: QR set, opcode QUERY, one question; NOERROR or NXDOMAIN).
  if (q === undefined || m.questions.length !== 1 || !m.flags.qr || m.opcode !== 0 || (m.rcode !== NOERROR && m.rcode !== NXDOMAIN)) {
    throw bad('wire is not a cacheable answer');
  }
  if (!askable(q.type, q.class)) throw bad(`wire answers type ${q.type} class ${q.class}, which no query asks`);
  // A truncated answer over UDP moves the query to TCP (RFC 7766 §5); only TCP's answer is kept.
  if (m.flags.tc && x.server.transport === 'udp') throw bad('wire is a truncated answer over UDP');
  const chain = assembleChain(m.answers, q.name, q.type, typeToName(q.type), q.class, maxChain);
  const e = chain.ok ? cache.entryOf(t, q, bits, m, chain, x.server, wire) : undefined;
  if (e === undefined) throw bad('wire is not a cacheable answer');
  return e;
}

function readFailure(x: Record<string, unknown>, t: number, cache: Cache): Entry {
  if (typeof x.name !== 'string' || typeof x.code !== 'string' || !CODES.includes(x.code)) throw bad('failure entry without name or code');
  let name: string;
  try {
    name = parseName(x.name).name;
  } catch {
    throw bad('failure entry with a bad name');
  }
  const question = { name, type: integer(x.type, 'type', 65535), class: integer(x.class, 'class', 65535) };
  if (!askable(question.type, question.class)) throw bad(`failure of type ${question.type} class ${question.class}, which no query asks`);
  const bits = integer(x.bits, 'bits', 3);
  const key = keysOf(name, question.type, question.class, bits).fail;
  return failureEntry(key, question, bits, x.code as QueryErrorCode, t + cache.s.failureTtl * 1000);
}

/** What a valid snapshot restores: entries with their expiries on the new timeline, and server state. */
interface RestorePlan {
  readonly entries: Entry[];
  readonly servers: { readonly state: ServerState; readonly saved: SnapshotServer }[];
}

/** Check a snapshot completely, changing nothing. Throws `EBADSNAPSHOT`. */
function readSnapshot(
  snap: unknown, t: number, options: RestoreOptions, cache: Cache, servers: readonly ServerState[], maxChain: number,
): RestorePlan {
  const s = snap as Record<string, unknown> | null;
  if (typeof s !== 'object' || s === null || s.version !== 1) throw bad('not a version 1 snapshot');
  const taken = finite(s.taken, 'taken');
  if (!Array.isArray(s.cache) || !Array.isArray(s.servers)) throw bad('cache and servers must be arrays');
  const elapsed = options.elapsed === undefined ? Math.max(0, t - taken) : finite(options.elapsed, 'elapsed');
  const shift = t - taken - elapsed;
  const entries: Entry[] = [];
  for (const item of s.cache as unknown[]) {
    const x = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const expires = finite(x.expires, 'expires') + shift;
    if (x.kind !== 'data' && x.kind !== 'failure') throw bad('entry kind is neither data nor failure');
    const e = x.kind === 'data' ? readAnswer(x, t, cache, maxChain) : readFailure(x, t, cache);
    entries.push({ ...e, expires: Math.min(e.expires, expires) });
  }
  return { entries, servers: readServers(s.servers as unknown[], servers) };
}

function readServers(list: unknown[], servers: readonly ServerState[]): RestorePlan['servers'] {
  const out: { state: ServerState; saved: SnapshotServer }[] = [];
  for (const item of list) {
    const x = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof x.server !== 'string' || typeof x.noEdns !== 'boolean') throw bad('server entry without server or noEdns');
    const srtt = x.srtt === null ? null : finite(x.srtt, 'srtt');
    const saved: SnapshotServer = { server: x.server, srtt, rttvar: finite(x.rttvar, 'rttvar'), noEdns: x.noEdns };
    const state = servers.find((st) => endpointKey(st.endpoint) === saved.server);
    if (state !== undefined) out.push({ state, saved });
  }
  return out;
}

/** Apply a checked plan: the cache is replaced (entries already past any use are left out), server state set. */
function applySnapshot(plan: RestorePlan, t: number, cache: Cache): void {
  cache.clear();
  const staleFor = cache.s.serveStale ? cache.s.maxStale * 1000 : 0;
  for (const e of plan.entries) if (e.expires + (e.kind === 'failure' ? 0 : staleFor) > t) cache.insert(e);
  for (const { state, saved } of plan.servers) {
    state.srtt = saved.srtt ?? NaN;
    state.rttvar = saved.rttvar;
    state.noEdns = saved.noEdns;
  }
}

/**
 * What `resolver` has learned at `now`, as a plain JSON-able object: its
 * cache (expiries absolute on the caller's timeline) and per-server state.
 * Hand it to {@link restore} of another resolver for a warm start.
 */
export function snapshot(resolver: ResolverCore, now: number): ResolverSnapshot {
  return resolver.learned(now, (t, cache, servers) => takeSnapshot(t, cache, servers));
}

/**
 * Replace the cache and per-server state of `resolver` with a snapshot's
 * (servers not configured there are skipped). Every entry is checked as if it
 * had just arrived; a bad snapshot throws `EBADSNAPSHOT` and changes nothing.
 * See the top of this file for `elapsed` and the timeline.
 */
export function restore(resolver: ResolverCore, now: number, snap: ResolverSnapshot, options: RestoreOptions = {}): void {
  resolver.learned(now, (t, cache, servers, maxChain) => applySnapshot(readSnapshot(snap, t, options, cache, servers, maxChain), t, cache));
}
