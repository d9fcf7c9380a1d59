/**
 * `sansdns demo` (`npm start`): a lossy network on loopback, no internet.
 *
 * An authoritative server for the embedded zone (the simulator's
 * `ZoneServer` behind a real `dgram` socket and a TCP listener) on a free
 * loopback port, a relay in front of it that drops a seeded share of
 * datagrams each way (and always the first one, so a retry shows), and the
 * real Node driver (`NodeResolver` of `sansdns/node`) asking a handful of
 * questions through the relay. Each question prints the core's timeline:
 * sends, timers, retries, the truncated answer moving to TCP, NXDOMAIN.
 * Everything it opens, it closes.
 */
import { endpointText } from '../index.js';
import { NodeResolver } from '../node.js';
import type { Backend } from './backend.js';
import { ask } from './ask.js';
import { DEMO_ORIGIN, DEMO_ZONE } from './demo-zone.js';
import { recordLine } from './dig-lines.js';
import { ms } from './format-dig.js';
import { formatTimeline } from './format-trace.js';
import type { CliIo } from './io.js';
import { serveZones } from './loopback-server.js';
import { startRelay } from './lossy-relay.js';
import { CoreMirror } from './mirror.js';
import { rcodeName, type Outcome } from './outcome.js';
import { PLAIN_STYLE } from './rdata.js';
import { defaultDisplay } from './settings.js';

/** The relay's share of datagrams dropped each way. */
export const DEMO_LOSS = 0.2;
/** The seed of the relay's drops unless `--seed` says otherwise. */
export const DEMO_SEED = 7;

/** The questions of the demo, in order, with what each one shows. */
export const DEMO_QUESTIONS: readonly { name: string; type: string; why: string }[] = [
  { name: `www.${DEMO_ORIGIN}`, type: 'A', why: 'the relay drops the first datagram: the timer fires and the core retries' },
  { name: `alias.${DEMO_ORIGIN}`, type: 'AAAA', why: 'a CNAME and its target in one answer' },
  { name: `big.${DEMO_ORIGIN}`, type: 'A', why: '100 records do not fit in 1232 bytes: TC=1, and the core asks again over TCP' },
  { name: `txt.${DEMO_ORIGIN}`, type: 'TXT', why: 'TXT with two strings' },
  { name: `${DEMO_ORIGIN}`, type: 'MX', why: 'MX at the apex' },
  { name: `nothere.${DEMO_ORIGIN}`, type: 'A', why: 'a name that does not exist: NXDOMAIN is an answer, with the SOA' },
  { name: `onlytxt.${DEMO_ORIGIN}`, type: 'A', why: 'a name without an A record: NODATA' },
];

const SHOW_RECORDS = 4;
const DISPLAY = defaultDisplay(false);

/** The short result of one demo question: a few records and the status line. */
export function demoResult(o: Outcome): string {
  if (o.kind === 'error') return `=> ${o.code}: ${o.message} (${o.sent} sent, ${ms(round1(o.elapsed))} ms)\n`;
  const m = o.message;
  const shown = m.answers.slice(0, SHOW_RECORDS).map((r) => `   ${recordLine(r, DISPLAY, PLAIN_STYLE)}`);
  if (m.answers.length > SHOW_RECORDS) shown.push(`   ... and ${m.answers.length - SHOW_RECORDS} more`);
  if (m.answers.length === 0) shown.push(...m.authorities.map((r) => `   ${recordLine(r, DISPLAY, PLAIN_STYLE)}   (authority)`));
  const what = m.rcode === 0 && m.answers.length === 0 ? 'NOERROR (NODATA)' : rcodeName(m.rcode);
  const via = `${o.server.transport} ${endpointText(o.server)}`;
  return `${shown.join('\n')}\n=> ${what}: ${plural(m.answers.length, 'record')} via ${via}, ${plural(o.sent ?? 0, 'datagram')} sent, ${ms(round1(o.elapsed))} ms\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Run the demo; resolves with exit status 0. */
export async function runDemo(io: CliIo, seed = DEMO_SEED): Promise<number> {
  const server = await serveZones([DEMO_ZONE]);
  const relay = await startRelay({ upstream: server, loss: DEMO_LOSS, seed, dropFirst: 1 });
  const mirror = new CoreMirror(true);
  const resolver = new NodeResolver({ servers: [`127.0.0.1:${relay.port}`], resolvConf: false, hostsFile: false, trace: mirror.record });
  const backend: Backend = { resolver, mirror, simulated: false, now: () => performance.now(), settle: () => undefined, close: () => resolver.close() };
  const started = performance.now();
  try {
    io.stdout(intro(server.port, relay.port, seed));
    for (const q of DEMO_QUESTIONS) {
      io.stdout(`\n$ sansdns @127.0.0.1:${relay.port} ${q.name} ${q.type} --trace\n;; ${q.why}\n`);
      const o = await ask(backend, { name: q.name, type: q.type });
      io.stdout(formatTimeline(o));
      io.stdout(demoResult(o));
    }
  } finally {
    backend.close();
    await relay.close();
    await server.close();
  }
  const s = relay.stats;
  io.stdout(`\nThe relay dropped ${s.droppedToServer} of ${s.toServer} datagrams to the server and ${s.droppedToClient} of ${s.toClient} back; `
    + `it carried ${s.tcpConnections} TCP connection(s). The core sent ${resolver.stats.datagramsSent} messages in ${Math.round(performance.now() - started)} ms.\n`
    + `\nThe same zone without any network, on virtual time (identical output on every run):\n`
    + `  sansdns --simulate 'loss=0.3,latency=20,seed=7' --trace big.${DEMO_ORIGIN}\n`
    + `  npm start -- --seed 8     (another seed: other drops)\n`);
  return 0;
}

function intro(serverPort: number, relayPort: number, seed: number): string {
  return `sansdns demo: a lossy network on loopback, no internet needed.

  authoritative server  127.0.0.1:${serverPort} (UDP and TCP): the simulator's ZoneServer for ${DEMO_ORIGIN} behind real sockets
  lossy relay           127.0.0.1:${relayPort}: drops ${DEMO_LOSS * 100}% of datagrams each way (seed ${seed}), and always the first one
  resolver              sansdns/node's NodeResolver (dgram + net), its core traced

Each question shows the core's timeline (ms from the start of the query): every datagram out and in,
with transport, server, ID and size; every timer that fired; every fallback; every drop and why.
`;
}
