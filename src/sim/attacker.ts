/**
 * An off-path attacker (RFC 5452 §4): it cannot see queries, but knows the
 * question (it made the victim ask it) and races the real server with
 * forged responses: the right question, guessed IDs, the server's address as
 * the spoofed source. Some forgeries are sloppier (the attacker's own
 * source, or another question) to exercise every matching rule. Every forged
 * answer carries {@link FORGED_A} or {@link FORGED_TXT}, so a test can see
 * whether one was ever accepted.
 */
import { encodeMessage } from '../core/codec/index.js';
import type { DnsRecord, Question } from '../core/codec/types.js';
import type { Prng } from './prng.js';
import { TimeQueue } from './queue.js';
import type { Packet, SimEndpoint } from './packet.js';

/** The address every forged A record points to. */
export const FORGED_A = '203.0.113.66';
/** The text of every forged TXT record. */
export const FORGED_TXT = 'forged';

/** Options of {@link OffPathAttacker}. */
export interface AttackerOptions {
  /** The resolver's endpoint: where forgeries go. */
  readonly victim: SimEndpoint;
  /** The servers the attacker impersonates. */
  readonly servers: readonly SimEndpoint[];
  /** The attacker's own address (sloppy forgeries come from here). */
  readonly address?: string;
  /** Forged datagrams per second of virtual time during a race (default 1000). */
  readonly rate?: number;
  /** How long a race lasts after the question is asked, in ms (default 200). */
  readonly window?: number;
  /** Share of forgeries that are sloppy: wrong source or wrong question (default 0.2). */
  readonly sloppy?: number;
}

/** One forged datagram, kept so a test can check what became of it. */
export interface Forgery {
  readonly at: number;
  readonly id: number;
  readonly from: SimEndpoint;
  readonly question: Question;
  readonly sloppy: boolean;
}

/** The attacker. Sans-IO: `race` schedules, `poll` emits, `deadline` says when. */
export class OffPathAttacker {
  readonly forgeries: Forgery[] = [];
  private readonly queue = new TimeQueue<Packet>();

  constructor(
    private readonly options: AttackerOptions,
    private readonly prng: Prng,
  ) {}

  /** The victim is about to ask `question` at `now`: schedule a race of forged answers. */
  race(now: number, question: Question): void {
    const rate = this.options.rate ?? 1000;
    const window = this.options.window ?? 200;
    const count = Math.max(1, Math.round((rate * window) / 1000));
    for (let i = 0; i < count; i++) {
      const at = now + (i * window) / count;
      this.queue.push(at, this.forge(at, question));
    }
  }

  /** When the next forgery goes out, or `undefined`. */
  deadline(): number | undefined {
    return this.queue.peekTime();
  }

  /** Forgeries due at `now`. */
  poll(now: number): Packet[] {
    return this.queue.popDue(now).map((e) => e.value);
  }

  private forge(at: number, question: Question): Packet {
    const o = this.options;
    const servers = o.servers;
    const id = this.prng.int(65536);
    let from = servers[this.prng.int(servers.length)] as SimEndpoint;
    let q = question;
    const sloppy = this.prng.chance(o.sloppy ?? 0.2);
    if (sloppy && this.prng.chance(0.5)) from = { ...from, address: o.address ?? '198.51.100.66' };
    else if (sloppy) q = { ...question, name: `x${question.name === '.' ? '' : `.${question.name}`}` };
    this.forgeries.push({ at, id, from, question: q, sloppy });
    const data = encodeMessage({
      id, flags: { qr: true, aa: true, rd: true }, questions: [q], answers: [forgedRecord(q)],
      edns: { payload: 1232 },
    });
    return { from, to: o.victim, data };
  }
}

function forgedRecord(q: Question): DnsRecord {
  if (q.type === 16) return { name: q.name, type: 'TXT', class: 1, ttl: 86400, data: [new TextEncoder().encode(FORGED_TXT)] };
  if (q.type === 28) return { name: q.name, type: 'AAAA', class: 1, ttl: 86400, data: '2001:db8::66' };
  return { name: q.name, type: 'A', class: q.class, ttl: 86400, data: FORGED_A };
}

/** True when `records` hold a forged record (any of the markers this attacker plants). */
export function isForged(records: readonly DnsRecord[]): boolean {
  return records.some((r) => (r.type === 'A' && r.data === FORGED_A) || (r.type === 'AAAA' && r.data === '2001:db8::66')
    || (r.type === 'TXT' && r.data.length === 1 && new TextDecoder().decode(r.data[0]) === FORGED_TXT));
}
