/**
 * The zone of the demo and of `--simulate`: `sansdns.test` (RFC 2606 keeps
 * `.test` off the internet), as RFC 1035 master-file text for the
 * simulator's `parseZoneFile`.
 *
 * - `www` A and AAAA; `alias` CNAME to it; the apex A, MX, TXT, CAA, NS, SOA;
 * - `txt` two strings; `_dns._udp` SRV;
 * - `big`: 100 A records, about 1,650 bytes, over the 1232-byte EDNS
 *   payload, so the server truncates it over UDP and the resolver asks
 *   again over TCP;
 * - `onlytxt`: TXT only, so its A is NODATA; any other name is NXDOMAIN.
 */

/** The origin of the demo zone. */
export const DEMO_ORIGIN = 'sansdns.test';

/** How many A records `big` has. */
export const BIG_RECORDS = 100;

const bigRecords = Array.from({ length: BIG_RECORDS }, (_, i) => `big\t\tIN\tA\t198.51.100.${i + 1}`).join('\n');

/** The zone as master-file text. */
export const DEMO_ZONE = `$ORIGIN ${DEMO_ORIGIN}.
$TTL 300
@\t3600\tIN\tSOA\tns1 hostmaster (
\t\t\t2024060101 ; serial
\t\t\t7200       ; refresh
\t\t\t900        ; retry
\t\t\t1209600    ; expire
\t\t\t300 )      ; minimum: the TTL of NXDOMAIN and NODATA answers
@\t\tIN\tNS\tns1
ns1\t\tIN\tA\t192.0.2.1
@\t\tIN\tA\t192.0.2.10
@\t\tIN\tMX\t10 mail
@\t\tIN\tTXT\t"v=spf1 -all"
@\t\tIN\tCAA\t0 issue "ca.example.net"
www\t\tIN\tA\t192.0.2.10
www\t\tIN\tAAAA\t2001:db8::10
alias\t\tIN\tCNAME\twww
mail\t\tIN\tA\t192.0.2.25
txt\t\tIN\tTXT\t"sansdns: a DNS stub resolver whose core does no I/O" "and a second string"
_dns._udp\tIN\tSRV\t10 0 53 ns1
onlytxt\t\tIN\tTXT\t"only a TXT record here: its A is NODATA"
${bigRecords}
`;
