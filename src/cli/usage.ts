/**
 * The help texts: `sansdns --help` (also `sansdns help`), `sansdns help
 * bulk` (also `sansdns -f FILE --help`), `sansdns demo --help` (also
 * `sansdns help demo`) and `sansdns help help`.
 */
import type { HelpTopic } from './args.js';
import { DEFAULT_CONCURRENCY } from './args.js';
import { MIN_REORDER, REORDER_FACTOR } from './bulk-window.js';

/** The text of `sansdns --help`. */
export const USAGE = `usage:
  sansdns [@server ...] [-p PORT] name [type] [class] [+opts] [name [type] [class] [+opts] ...]
  sansdns -x ADDR [@server ...] [+opts]             reverse lookup (PTR)
  sansdns -f FILE [@server ...] [type] [+opts]      bulk: a dig command line per line (sansdns help bulk)
  sansdns demo [--seed N]                           the demo: a lossy network on loopback (sansdns help demo)
  sansdns help [bulk|demo|help]                     this text, or another

Output and exit status are dig's: 0 when a response arrived (any rcode), 9 when none
did, 1 for a usage error, 10 for a name that is not legal or a server not found.

servers (repeatable; default: the nameservers of /etc/resolv.conf):
  @192.0.2.1  @192.0.2.1:5353  @[2001:db8::1]:53  @host:port  @https://dns.example/dns-query

dig's options (+opts before the first name apply to every question, after a name to that one):
  -t TYPE  -c CLASS  -q NAME  -x ADDR  -p PORT  -4  -6
  +[no]short      only the answers' rdata          +[no]rec        the RD bit (default on)
  +[no]dnssec     the DO bit                       +[no]cd         the CD bit
  +[no]tcp, +vc   TCP only                         +[no]edns       an OPT record (default on)
  +bufsize=N      EDNS UDP payload (512..65535)    +[no]cookie     DNS cookies (default on)
  +time=T         seconds per try                  +tries=N, +retry=N
  +[no]search     the search list (default off)    +domain=NAME, +ndots=N
  +[no]idnout     A-labels shown as Unicode (default on when stdout is a terminal)
  +[no]all, +[no]cmd, +[no]comments, +[no]question, +[no]answer, +[no]authority,
  +[no]additional, +[no]stats, +[no]class, +[no]ttlid
                  what is shown (+noall +answer: the answer section only)
  An option may be shortened to any prefix that names one option only (+nocl, +ans).

sansdns's options:
  --timeout MS       overall deadline of each question (default 5000; +time and +tries
                     without it give T × N)
  --0x20             0x20 case randomisation (the output shows names as typed)
  --no-cache         no cache, no sharing of identical questions: each goes to the network
  --json             one JSON object per question
  --trace            the timeline of each query as the core saw it
  --simulate SPEC    resolve in the simulator on virtual time: loss=0.3,latency=20,jitter=0,
                     duplicate=0,reorder=0,seed=7 (names under sansdns.test, e.g. www, big, txt)
  --tcp, --no-edns, --cookies, --no-cookies, --tries N
                     the same as +tcp, +noedns, +cookie, +nocookie, +tries=N
  -h, --help         this text
  -v, --version      the version
`;

/** The text of `sansdns help bulk`. */
export const BULK_USAGE = `usage:
  sansdns -f FILE [@server ...] [type] [+opts] [options]    FILE: - for stdin

Each line is a dig command line: name [type] [class] [+opts], or -x ADDR, -t, -c, -q,
several questions on one line too; # and ; start a comment. The command line's type and
+opts are every line's defaults. The input is read as it is needed, so a list of
millions of names (or an endless stream) starts at once, in memory that does not grow.

options:
  --concurrency N    questions in flight at most (default ${DEFAULT_CONCURRENCY})
  --unordered        print each result when it comes (default: in input order, through a
                     reorder buffer of at most ${REORDER_FACTOR} × N results, at least ${MIN_REORDER})
  --rate N           start at most N questions per second
  --no-cache         no cache, no sharing of identical questions: each goes to the network
  --json             one JSON object per result, then a summary object ("summary": true)
  --dig              dig's full text per result (instead of one line)
  --progress, --no-progress
                     the progress bar on stderr (default: when stderr is a terminal):
                     done, q/s, and with a file, the share read and the time left
  --trace, --timeout MS, --0x20, --simulate SPEC, -p PORT, -4, -6: as for one question

output: one line per result, name, type, status (NOERROR, NODATA, NXDOMAIN, SERVFAIL,
REFUSED, TIMEOUT, ...) and data, tab-separated; then a summary by outcome.
exit status: 0 when every question got a response, 9 when one did not, 1 when a line
could not be read, 8 when the input could not be opened.
`;

/** The text of `sansdns demo --help`. */
export const DEMO_USAGE = `usage:
  sansdns demo [--seed N]

Starts an authoritative server for a small embedded zone and a relay in front
of it that drops 20% of datagrams each way, both on 127.0.0.1, then resolves a
handful of names through the relay with the Node driver and prints each
query's timeline (sends, timers, retries, TCP after truncation, NXDOMAIN).
Nothing leaves this machine.

options:
  --seed N           the seed of the relay's drops (0 to 4294967295; default 7)
  -h, --help         this text
`;

/** The text of `sansdns help help`. */
export const HELP_USAGE = `usage:
  sansdns help [TOPIC]

Prints help on TOPIC: main (the default: one question, dig's options), bulk (-f FILE),
demo, or help (this text). Every subcommand also takes -h or --help.
`;

/** The help text of a topic. */
export function helpText(topic: HelpTopic): string {
  return { main: USAGE, bulk: BULK_USAGE, demo: DEMO_USAGE, help: HELP_USAGE }[topic];
}
