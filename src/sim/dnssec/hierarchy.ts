/**
 * A ready-made signed hierarchy for simulations and benchmarks (issue 16):
 * keys from the seed, so the same seed gives the same zones, signatures and
 * transcripts. Break `bad` with `hierarchy.bad.breaks.add(...)`.
 */
import type { DnsRecord } from '../../core/codec/types.js';
import { toHex } from '../../core/dnssec/bytes.js';
import { Prng } from '../prng.js';
import { ZoneServer } from '../server.js';
import { Zone, type ZoneRecord } from '../zone.js';
import { SignedZone } from './signed-zone.js';
import type { SimAlgorithm } from './keys.js';
import type { Validity } from './sign.js';

/** UNIX seconds at virtual time 0 in the examples (2023-11-14). */
export const EPOCH = 1_700_000_000;

const soa = (origin: string): ZoneRecord => ({ name: origin, type: 'SOA', data: { mname: `ns.${origin === '.' ? 'root' : origin}`, rname: 'h.example', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 300 } });

/** Zone-file text of a DS record, for the `trustAnchors` option. */
export function dsText(ds: DnsRecord): string {
  const d = ds.data as Uint8Array;
  return `${ds.name} IN DS ${(d[0]! << 8) | d[1]!} ${d[2]} ${d[3]} ${toHex(d.subarray(4))}`;
}

export interface Hierarchy {
  readonly root: SignedZone;
  readonly tld: SignedZone;
  readonly example: SignedZone;
  readonly bad: SignedZone;
  readonly trap: SignedZone;
  readonly server: ZoneServer;
  readonly anchor: string;
}

/** Options of {@link signedHierarchy}. */
export interface HierarchyOptions {
  /** Signature validity, UNIX seconds (default: EPOCH - 1 h to EPOCH + 1 day). */
  readonly validity?: Validity;
  /** Algorithm of the zones below the root (default 13; the root signs with 15). */
  readonly algorithm?: SimAlgorithm;
  /** Extra names `host-<i>.example.test` with an A record each (default 0). */
  readonly hosts?: number;
  /** Make `trap.test` a KeyTrap zone (see `SignedZoneOptions.keyTrap`; default: an honest zone). */
  readonly keyTrap?: { readonly keys: number; readonly signatures: number };
}

/**
 * A signed hierarchy on one simulated server at 10.0.0.53: the root (Ed25519),
 * `test`, `example.test` (signed; names www, mail, alias, out, a wildcard
 * under wild, an empty non-terminal a.b), `bad.test` (signed, for `breaks`),
 * `trap.test` (signed; a KeyTrap zone with option `keyTrap`)
 * and `insecure.test` (unsigned, delegated without DS). `anchor` is the
 * root's DS as zone-file text, for the `trustAnchors` option.
 */
export function signedHierarchy(seed: number, options: HierarchyOptions = {}): Hierarchy {
  const validity = options.validity ?? { inception: EPOCH - 3600, expiration: EPOCH + 86400 };
  const algorithm = options.algorithm ?? 13;
  const hosts: ZoneRecord[] = Array.from({ length: options.hosts ?? 0 }, (_, i) => ({ name: `host-${i}.example.test`, type: 'A', data: `198.51.100.${i % 256}` }));
  const prng = new Prng(seed).fork('keys');
  const example = new SignedZone({
    origin: 'example.test', prng, validity, algorithm,
    records: [
      soa('example.test'), { name: 'example.test', type: 'NS', data: 'ns.example.test' }, { name: 'ns.example.test', type: 'A', data: '192.0.2.53' },
      { name: 'www.example.test', type: 'A', data: '192.0.2.1' }, { name: 'www.example.test', type: 'A', data: '192.0.2.2' },
      { name: 'mail.example.test', type: 'MX', data: { preference: 10, exchange: 'Mx.Example.test' } },
      { name: 'alias.example.test', type: 'CNAME', data: 'www.example.test' },
      { name: 'out.example.test', type: 'CNAME', data: 'host.insecure.test' },
      { name: '*.wild.example.test', type: 'TXT', data: [new TextEncoder().encode('wild')] },
      { name: 'deep.a.b.example.test', type: 'A', data: '192.0.2.9' },
      ...hosts,
    ],
  });
  const bad = new SignedZone({
    origin: 'bad.test', prng, validity, algorithm,
    records: [soa('bad.test'), { name: 'bad.test', type: 'NS', data: 'ns.bad.test' }, { name: 'www.bad.test', type: 'A', data: '192.0.2.66' }],
  });
  const trap = new SignedZone({
    origin: 'trap.test', prng, validity, algorithm, ...(options.keyTrap && { keyTrap: options.keyTrap }),
    records: [soa('trap.test'), { name: 'trap.test', type: 'NS', data: 'ns.trap.test' }, { name: 'www.trap.test', type: 'A', data: '192.0.2.99' }],
  });
  const insecure = new Zone('insecure.test', [soa('insecure.test'), { name: 'insecure.test', type: 'NS', data: 'ns.insecure.test' }, { name: 'host.insecure.test', type: 'A', data: '192.0.2.77' }]);
  const tld = new SignedZone({
    origin: 'test', prng, validity, algorithm, children: [example, bad, trap],
    records: [
      soa('test'), { name: 'test', type: 'NS', data: 'ns.test' },
      { name: 'example.test', type: 'NS', data: 'ns.example.test' }, { name: 'ns.example.test', type: 'A', data: '192.0.2.53' },
      { name: 'bad.test', type: 'NS', data: 'ns.bad.test' },
      { name: 'trap.test', type: 'NS', data: 'ns.trap.test' },
      { name: 'insecure.test', type: 'NS', data: 'ns.insecure.test' },
    ],
  });
  const root = new SignedZone({
    origin: '.', prng, validity, algorithm: 15, children: [tld],
    records: [soa('.'), { name: '.', type: 'NS', data: 'a.root' }, { name: 'test', type: 'NS', data: 'ns.test' }],
  });
  const server = new ZoneServer({ address: '10.0.0.53', zones: [root, tld, example, bad, trap, insecure] });
  return { root, tld, example, bad, trap, server, anchor: dsText(root.ds()) };
}
