/**
 * One attempt of a query and the datagram it sends. The query's wire (encoded
 * once, `machine.ts`) is copied with:
 * - a fresh random ID (RFC 5452 §9.2), unique among the live attempts to the
 *   same slot while it has a free one (`AttemptIndex.freshId`); DoH carries ID 0
 *   (RFC 8484 §4.1) and is matched by the transmission's token;
 * - the OPT record cut for a server that answered EDNS with FORMERR, NOTIMP
 *   or BADVERS (RFC 6891 §7), and the additional count with it;
 * - the question name in random case for a 0x20 server (the `case0x20`
 *   policy, `case0x20.ts`);
 * - a COOKIE option with EDNS over UDP and TCP (the `cookies` policy,
 *   `cookies.ts`), unless option `cookies` is off.
 * Random bytes are drawn in this order: the ID, the case bits, the client
 * cookie (on its first use), so the same bytes give the same datagrams.
 * The query's wire is never written: it may be shared by every query of the
 * same question (`machine.ts`). The copy is written once, into room of its
 * own in a shared slab (`wire-slab.ts`, issue 13), and never again: a
 * datagram `poll()` handed out does not change.
 */
import type { AttemptIndex } from './attempt-index.js';
import type { randomizeCase } from './case0x20.js';
import { putCookie, type clientCookie } from './cookies.js';
import type { Attempt, Query } from './query.js';
import type { RandomPool } from './random.js';
import type { ServerState } from './servers.js';
import type { Settings } from './settings.js';
import type { Spares } from './spares.js';
import type { TokenIndex } from './token-index.js';
import type { Protocol } from './types.js';

/** What {@link newAttempt} uses of the policies (`policies.ts`): the cookie's, the 0x20 case's. */
export interface AttemptPolicies {
  readonly cookies?: CookieWriter;
  readonly case0x20?: CaseWriter;
}
interface CookieWriter {
  readonly client: typeof clientCookie;
}
interface CaseWriter {
  readonly randomize: typeof randomizeCase;
}

/**
 * A new attempt of `q` to `server` over `transport` at `t` (a spare one set
 * up anew when `spares` keeps one), made the query's `current` attempt, and
 * its datagram, returned (no pair per attempt, issue 13). The attempt is not
 * yet in the index, nor on the query's live list. Given with the `udp` policy
 * (`policies.ts`): a core without it has DoH servers only, and makes
 * {@link dohAttempt}s.
 */
export function newAttempt(
  q: Query, server: ServerState, transport: Protocol, t: number, token: number,
  s: Settings, policies: AttemptPolicies, index: TokenIndex, random: RandomPool, spares: Spares | undefined,
): Uint8Array {
  const slot = server.index * 2 + (transport === 'tcp' && server.tcp !== undefined ? 1 : 0);
  // Only a core with the udp policy has other transports, and its index is an AttemptIndex.
  const id = transport === 'doh' ? 0 : (index as AttemptIndex).freshId(slot, random);
  const key = transport === 'doh' ? -token : slot * 65536 + id;
  const edns = s.edns && !server.noEdns;
  const mixCase = server.case0x20 && !server.noCase;
  const cookies = edns && s.policy.cookies && transport !== 'doh' ? policies.cookies : undefined;
  const wire = q.wire;
  const copied = edns ? wire.length : q.questionEnd;
  const serverCookie = cookies === undefined ? undefined : server.serverCookie;
  const length = copied + (cookies === undefined ? 0 : 12 + (serverCookie === undefined ? 0 : serverCookie.length));
  const data = spares === undefined ? new Uint8Array(length) : spares.wires.take(length);
  if (edns) data.set(wire);
  else for (let i = 0; i < copied; i++) data[i] = wire[i] as number;
  // A server is asked with 0x20 only when the case0x20 policy marked it (`applyCase`).
  const caseName = mixCase ? (policies.case0x20 as CaseWriter).randomize(data, q.questionEnd - 4, q.name, random) : undefined;
  const cookie = cookies?.client(server, random);
  if (cookie !== undefined) putCookie(data, copied, cookie, serverCookie);
  data[0] = id >>> 8;
  data[1] = id & 0xff;
  if (!edns) {
    data[10] = 0;
    data[11] = 0;
  }
  q.current = spares?.attempt(q, server, transport, id, key, token, t, edns, caseName, cookie)
    ?? { query: q, server, transport, id, key, token, sentAt: t, edns, caseName, cookie, next: undefined, prev: undefined, nextLive: q.live, spare: false };
  return data;
}

/**
 * A new DoH attempt of `q` to `server` at `t`, made the query's `current`
 * attempt, and its datagram, in a core without the `udp` policy: what
 * {@link newAttempt} makes for DoH (ID 0, RFC 8484 §4.1, keyed by `-token`;
 * no 0x20 case, no cookie), without the code of the other transports.
 */
export function dohAttempt(q: Query, server: ServerState, t: number, token: number, s: Settings): Uint8Array {
  const edns = s.edns && !server.noEdns;
  const data = q.wire.slice(0, edns ? q.wire.length : q.questionEnd);
  if (!edns) {
    data[10] = 0;
    data[11] = 0;
  }
  q.current = {
    query: q, server, transport: 'doh', id: 0, key: -token, token, sentAt: t, edns, caseName: undefined, cookie: undefined,
    next: undefined, prev: undefined, nextLive: q.live, spare: false,
  };
  return data;
}
