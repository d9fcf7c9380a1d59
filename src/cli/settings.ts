/**
 * What one question on the command line (or one line of a bulk file) asks
 * for: the question itself, how to ask it (dig's query options), and what
 * to show of the answer (dig's display options). Plain data with defaults;
 * `dig-options.ts` changes it from `+keyword[=value]` arguments.
 */

/** dig's display options: which parts of a response are printed. */
export interface Display {
  /** `+[no]comments`: the header, the OPT pseudosection and the section titles. */
  comments: boolean;
  question: boolean;
  answer: boolean;
  authority: boolean;
  additional: boolean;
  /** `+[no]stats`: query time, server, when, message size. */
  stats: boolean;
  /** `+[no]class`: the class column of records. */
  class: boolean;
  /** `+[no]ttlid`: the TTL column of records. */
  ttlid: boolean;
  /** `+[no]idnout`: names with A-labels shown as Unicode (default on when stdout is a terminal). */
  idnout: boolean;
}

/** dig's query options: how a question is asked. */
export interface Ask {
  /** `+[no]rec`: the RD bit (RFC 1035 §4.1.1). */
  rec: boolean;
  /** `+[no]dnssec`: the DO bit (RFC 3225). */
  dnssec: boolean;
  /** `+[no]cd`: the CD bit (RFC 4035 §3.2.2). */
  cd: boolean;
  /** `+[no]tcp`, `+[no]vc`. */
  tcp: boolean;
  /** `+[no]edns`: an OPT record (RFC 6891). */
  edns: boolean;
  /** `+bufsize=N`: the advertised UDP payload size. */
  bufsize: number | undefined;
  /** `+[no]cookie`: DNS cookies (RFC 7873); `undefined` for the core's default (on). */
  cookie: boolean | undefined;
  /** `+[no]search`: apply the search list to a relative name. */
  search: boolean;
  /** `+ndots=N`. */
  ndots: number | undefined;
  /** `+domain=NAME`: the search list is this one name (and `+search` is on). */
  domain: string | undefined;
  /** `+time=T`: seconds per try. */
  time: number | undefined;
  /** `+tries=N` (or `+retry=N-1`): tries per server. */
  tries: number | undefined;
}

/** One question: what to ask, how, and what to show. */
export interface Question {
  /** The name as typed (or made by `-x`). */
  readonly name: string;
  /** The type's name (`A`, `TYPE65400`). */
  readonly type: string;
  /** The class's name (`IN`, `CH`, `CLASS3`). */
  readonly class: string;
  readonly ask: Ask;
  readonly display: Display;
}

/** dig's defaults (RD on, EDNS on, the name as given: `+nosearch`). */
export function defaultAsk(): Ask {
  return {
    rec: true, dnssec: false, cd: false, tcp: false, edns: true, bufsize: undefined, cookie: undefined,
    search: false, ndots: undefined, domain: undefined, time: undefined, tries: undefined,
  };
}

/** Everything shown; `+idnout` as given. */
export function defaultDisplay(idnout: boolean): Display {
  return {
    comments: true, question: true, answer: true, authority: true, additional: true, stats: true,
    class: true, ttlid: true, idnout,
  };
}

/** The settings a resolver is built from: two questions that agree here share one resolver. */
export function resolverKey(a: Ask): string {
  return JSON.stringify([a.rec, a.tcp, a.edns, a.bufsize, a.cookie, a.search ? [a.ndots, a.domain] : [], a.time, a.tries]);
}
