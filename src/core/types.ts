/**
 * Public types of the resolver core: endpoints, datagrams, options, events and
 * counters. See `resolver.ts` for the theory of operation.
 */
import type { DnsError, QueryErrorCode } from './errors.js';
import type { DnsRecord, Message, Question } from './codec/types.js';

/**
 * How a message travels (an endpoint's `transport`). `tcp` and `tls`
 * messages are framed by the driver (RFC 7766 §8; `tls` is DNS over TLS,
 * RFC 7858, a stream like `tcp`); `doh` messages are HTTP exchanges
 * (RFC 8484). Not to be confused with the API's `Transport`, the platform a
 * driver gives the promise API.
 */
export type Protocol = 'udp' | 'tcp' | 'tls' | 'doh';

/**
 * Where a datagram comes from or goes to. Addresses are normalised (IPv6 per
 * RFC 5952). A `tls` endpoint may name the server (`servername`): the
 * authentication domain name of RFC 8310 §2, sent as SNI and checked against
 * the certificate by the driver; without it the address is checked.
 */
export type Endpoint =
  | { readonly transport: 'udp' | 'tcp'; readonly address: string; readonly port: number }
  | { readonly transport: 'tls'; readonly address: string; readonly port: number; readonly servername?: string }
  | { readonly transport: 'doh'; readonly url: string };

/** A datagram the core wants sent. */
export interface Transmit {
  /** The message. The core may keep a reference to it: treat it as read-only. */
  readonly data: Uint8Array;
  readonly peer: Endpoint;
  /** The query this datagram belongs to. */
  readonly handle: number;
  /**
   * Opaque token of this transmission. A DoH driver must echo it on the
   * response (DoH messages carry ID 0, RFC 8484 §4.1); other drivers may.
   */
  readonly token: number;
}

/** A datagram received from the network, whole (TCP/DoH: one message without framing). */
export interface Received {
  readonly data: Uint8Array;
  readonly peer: Endpoint;
  /** The token of the transmission this answers; required for `doh`. */
  readonly token?: number;
}

/** A server as the caller writes it. */
export type ServerInput =
  | string
  | { readonly address: string; readonly port?: number; readonly transport?: 'udp' | 'tcp' }
  /** DNS over TLS (RFC 7858): port 853 by default; `servername` as in {@link Endpoint}. */
  | { readonly address: string; readonly port?: number; readonly transport: 'tls'; readonly servername?: string }
  | { readonly url: string; readonly transport: 'doh' };

/** Options of {@link Resolver}. Every bound is explicit (ARCHITECTURE.md rule 11). */
export interface ResolverOptions {
  /**
   * Servers in order of preference. `192.0.2.1`, `192.0.2.1:5353`, `[2001:db8::1]:53`,
   * `tls://192.0.2.1[:853][#dns.example]` (DoT), `https://…` (DoH), or objects.
   */
  readonly servers: readonly ServerInput[];
  /**
   * The only source of randomness (query IDs, and later cookie secrets and case bits):
   * fills the array it is given. `crypto.getRandomValues.bind(crypto)` in a driver,
   * a seeded PRNG in a simulator. Required; there is no default.
   */
  readonly random: (bytes: Uint8Array) => unknown;
  /**
   * Wait after a send before the next one, in ms, while no server has an RTT
   * sample (default 400: DNS over UDP retries cheaply; unbound starts at 376).
   * After that the wait is the server's RTO (RFC 6298), the same in every
   * round while it answers (`schedule.ts`).
   */
  readonly timeout?: number;
  /** Floor of the wait after a send in ms (default 100, or `timeout` when lower). `minTimeout = maxTimeout` fixes the wait: a per-try timeout. */
  readonly minTimeout?: number;
  /** Ceiling of the wait after a send in ms (default 4000, or `timeout` when higher). */
  readonly maxTimeout?: number;
  /** Growth of the wait per failure of a demoted server, one that answers nothing (default 2). */
  readonly backoff?: number;
  /** Overall deadline of a query in ms from its start (default 5000). Nothing outlives it. */
  readonly deadline?: number;
  /**
   * UDP tries per server, each one sent before the deadline (waits cut to fit
   * when needed; a fixed wait that cannot fit throws `EBADOPTION`). Default:
   * as many as the deadline allows, at most `deadline / minTimeout`.
   */
  readonly attempts?: number;
  /** Send an EDNS0 OPT record (default true, RFC 6891). */
  readonly edns?: boolean;
  /** Advertised UDP payload size (default 1232; 512..65535). */
  readonly ednsPayload?: number;
  /** Set RD on queries (default true). */
  readonly recursionDesired?: boolean;
  /** Queries in flight at most (default 100000); starting one more throws `ELIMIT`. */
  readonly maxInFlight?: number;
  /** IDs of finished attempts remembered to absorb late replies (default 4096). */
  readonly recentLimit?: number;
  /** Emit `trace` events for every send, timer, retry and drop (default false). */
  readonly trace?: boolean;
  /** Cache answers, negative answers and failures (default true). See `cache.ts`. */
  readonly cache?: boolean;
  /** Cache entries at most (default 10000); least recently used out first. */
  readonly cacheMaxEntries?: number;
  /** Bytes of cached messages at most, counted in wire format (default 4194304). */
  readonly cacheMaxBytes?: number;
  /** Floor of a cached TTL in seconds (default 0). A TTL of 0 is never cached. */
  readonly minTtl?: number;
  /** Ceiling of a cached positive TTL in seconds (default 86400). */
  readonly maxTtl?: number;
  /** Ceiling of a cached negative TTL in seconds (default 3600, RFC 2308 §5). */
  readonly negativeMaxTtl?: number;
  /** Seconds a SERVFAIL outcome is remembered (default 5, at most 300, RFC 9520 §3.2); 0 turns it off. */
  readonly failureTtl?: number;
  /** Answer from expired data when every server fails (default false, RFC 8767). */
  readonly serveStale?: boolean;
  /** How long past its expiry data may be served stale, in seconds (default 86400, RFC 8767 §5). */
  readonly maxStale?: number;
  /** TTL in seconds of a stale answer (default 30, RFC 8767 §4). */
  readonly staleTtl?: number;
  /** Attach a query to an identical one in flight instead of sending (default true). */
  readonly coalesce?: boolean;
  /** CNAME links followed in an answer at most (default 8); a longer chain or a loop is `EBADRESP`. */
  readonly maxCnameChain?: number;
  /** Search domains for relative names, in order (default none; resolv.conf `search`). See `search.ts`. */
  readonly search?: readonly string[];
  /** Names with fewer dots than this try the search list first (default 1, 0..15; resolv.conf `ndots`). */
  readonly ndots?: number;
  /** Answer `localhost`/`*.localhost` with loopback (RFC 6761 §6.3) and `*.onion` with NXDOMAIN (RFC 7686), without a datagram (default true). */
  readonly specialNames?: boolean;
  /** Accept U-labels and send them as A-labels (punycode, RFC 5891; default true). Off: non-ASCII is `EBADNAME`. */
  readonly idn?: boolean;
  /** Start each query one server further along the list, round-robin (default false; resolv.conf `rotate`). */
  readonly rotate?: boolean;
  /** Ask every server at once, first good answer wins (default false; musl's behaviour). */
  readonly race?: boolean;
  /**
   * Timeouts or failures in a row after which a server is demoted behind the
   * healthy ones and backed off (default 3; more on a lossy link, up to 16:
   * enough that a live server's run of that many misses is rarer than 1 in
   * 1000; only timeouts of attempts sent after its last response count).
   */
  readonly demoteAfter?: number;
  /** Share of new queries that probe a demoted server first (default 0.05, 0..1). */
  readonly probeShare?: number;
  /** Send DNS cookies with EDNS and check them (default true; RFC 7873, RFC 9018). Off when `edns` is false. */
  readonly cookies?: boolean;
  /** 0x20 case randomisation: `true` for every server, or a list of server indexes (default false). */
  readonly case0x20?: boolean | readonly number[];
}

/** Per-query options. */
export interface QueryOptions {
  /** Class by name or number (default `IN`). */
  readonly class?: string | number;
  /** Overall deadline of this query in ms from now (default: the resolver's `deadline`). */
  readonly timeout?: number;
  /** Set the CD bit (RFC 4035 §3.2.2). */
  readonly checkingDisabled?: boolean;
  /** Set the DO bit in the OPT record (RFC 3225). */
  readonly dnssecOk?: boolean;
  /**
   * Apply the search list to a relative name (default true). `false` asks
   * the name as given, as `res_query` and Node's `dns.resolve*` do.
   */
  readonly search?: boolean;
}

/** A query's question, as sent. */
export interface QueryQuestion extends Question {
  readonly typeName: string;
}

/**
 * Where a final event's outcome came from: this query's own datagrams
 * (`network`), an identical query in flight it was attached to
 * (`coalesced`), the cache (`cache`), or expired cache data served because
 * every server failed (`stale`, RFC 8767).
 */
export type AnswerSource = 'network' | 'coalesced' | 'cache' | 'stale' | 'local';

/** Final event: a response was accepted (any rcode that is an answer: NOERROR, NODATA, NXDOMAIN). */
export interface AnswerEvent {
  readonly kind: 'answer';
  readonly handle: number;
  readonly question: QueryQuestion;
  readonly message: Message;
  readonly server: Endpoint;
  /** ms from the query's start to this answer. */
  readonly elapsed: number;
  /** Datagrams sent for this query (0 from the cache and for a coalesced query that never led). */
  readonly sent: number;
  /**
   * The answer records on the CNAME chain from the question name: each
   * CNAME followed, then the RRset of the asked type (with RRSIGs of names
   * on the chain). Off-chain records of `message.answers` are not here.
   */
  readonly records: readonly DnsRecord[];
  /**
   * See {@link AnswerSource}. From the cache, `message` holds what was
   * cached: the question as asked now, ID 0, AA clear, on-chain answers and
   * the SOA of a negative answer, TTLs counted down from `now`; `server` is
   * the server that gave the original answer.
   */
  readonly source: AnswerSource;
}

/** Final event: the query failed. */
export interface ErrorEvent {
  readonly kind: 'error';
  readonly handle: number;
  readonly question: QueryQuestion;
  readonly code: QueryErrorCode;
  readonly error: DnsError;
  readonly elapsed: number;
  readonly sent: number;
  /** Set when the failure was remembered (`cache`, RFC 9520) or shared with a query this one was attached to (`coalesced`). */
  readonly source?: 'cache' | 'coalesced';
}

/** Why something happened, for traces (ARCHITECTURE.md rule 12). */
export type TraceWhat =
  | 'send'
  | 'receive'
  | 'timeout'
  | 'tcp-fallback'
  | 'edns-fallback'
  | 'server-failed'
  | 'drop'
  | 'deadline'
  | 'demoted'
  | 'bad-cookie'
  | 'case-fallback'
  | 'search'
  /** A DNSSEC verdict: which RRset, signature, key and rule (`dnssec/validating-resolver.ts`). */
  | 'dnssec';

/** Non-final event, emitted only with `trace: true`. */
export interface TraceEvent {
  readonly kind: 'trace';
  readonly at: number;
  readonly what: TraceWhat;
  readonly handle: number | undefined;
  readonly peer: Endpoint | undefined;
  readonly id: number | undefined;
  readonly size: number | undefined;
  readonly detail: string;
}

export type ResolverEvent = AnswerEvent | ErrorEvent | TraceEvent;

/** Reasons a received datagram was dropped. Stable strings. */
export type DropReason =
  | 'unknown-peer'
  | 'malformed'
  | 'not-response'
  | 'unmatched'
  | 'wrong-question'
  | 'late'
  /** 0x20: the question came back in another case than sent. */
  | 'wrong-case'
  /** RFC 7873: a COOKIE option without our client cookie, or none from a server that sends cookies. */
  | 'bad-cookie';

/** What one call to `poll()` hands back. */
export interface Output {
  readonly transmits: Transmit[];
  readonly events: ResolverEvent[];
  /** When to call `handleTimeout`: absolute, on the caller's timeline; `undefined` for never. */
  readonly deadline: number | undefined;
}

/** Counters since construction. */
export interface ResolverStats {
  queriesStarted: number;
  answered: number;
  failed: number;
  cancelled: number;
  datagramsSent: number;
  datagramsReceived: number;
  retransmissions: number;
  tcpFallbacks: number;
  ednsFallbacks: number;
  timeouts: number;
  /** Queries answered (or failed) from the cache without a datagram, stale answers included. */
  cacheHits: number;
  /** Queries that looked in the cache and found nothing live. */
  cacheMisses: number;
  /** Answers served from expired data (RFC 8767). */
  staleAnswers: number;
  /** Cache entries pushed out by the bounds. */
  cacheEvictions: number;
  /** Queries attached to an identical query in flight. */
  coalesced: number;
  /** Answer records ignored because they were not on the CNAME chain from the question name. */
  offChainRecords: number;
  /** Servers demoted after `demoteAfter` failures in a row. */
  demotions: number;
  /** Queries that asked a demoted server first. */
  probes: number;
  /** BADCOOKIE answers (RFC 7873 §5.3). */
  badCookies: number;
  /** Servers found not to preserve case, asked without 0x20 since. */
  caseFallbacks: number;
  /** Further search-list candidates asked after an NXDOMAIN or NODATA. */
  searched: number;
  /** Queries answered locally (`localhost`, `.onion`). */
  local: number;
  dropped: Record<DropReason, number>;
  malformed: Record<string, number>;
}
