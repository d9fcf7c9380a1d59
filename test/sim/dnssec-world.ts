/** A signed hierarchy on the simulator: root, `test`, `example.test` (signed), `insecure.test` (unsigned), `bad.test` (signed, breakable). */
import type { DnsRecord } from '../../src/core/codec/types.js';
import { toHex } from '../../src/core/dnssec/bytes.js';
import { Prng } from '../../src/sim/prng.js';
import { ZoneServer } from '../../src/sim/server.js';
import { SignedZone } from '../../src/sim/dnssec/signed-zone.js';
import type { SimAlgorithm } from '../../src/sim/dnssec/keys.js';
import { Zone, type ZoneRecord } from '../../src/sim/zone.js';
import { ValidatingSimulation, type ValidatingSimulationOptions } from '../../src/sim/dnssec/validating-simulation.js';

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
  readonly server: ZoneServer;
  readonly anchor: string;
}

/** Build the hierarchy; signatures valid from `inception` to `expiration` (UNIX seconds). */
export function hierarchy(seed: number, validity = { inception: EPOCH - 3600, expiration: EPOCH + 86400 }, algorithm: SimAlgorithm = 13): Hierarchy {
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
    ],
  });
  const bad = new SignedZone({
    origin: 'bad.test', prng, validity, algorithm,
    records: [soa('bad.test'), { name: 'bad.test', type: 'NS', data: 'ns.bad.test' }, { name: 'www.bad.test', type: 'A', data: '192.0.2.66' }],
  });
  const insecure = new Zone('insecure.test', [soa('insecure.test'), { name: 'insecure.test', type: 'NS', data: 'ns.insecure.test' }, { name: 'host.insecure.test', type: 'A', data: '192.0.2.77' }]);
  const tld = new SignedZone({
    origin: 'test', prng, validity, algorithm, children: [example, bad],
    records: [
      soa('test'), { name: 'test', type: 'NS', data: 'ns.test' },
      { name: 'example.test', type: 'NS', data: 'ns.example.test' }, { name: 'ns.example.test', type: 'A', data: '192.0.2.53' },
      { name: 'bad.test', type: 'NS', data: 'ns.bad.test' },
      { name: 'insecure.test', type: 'NS', data: 'ns.insecure.test' },
    ],
  });
  const root = new SignedZone({
    origin: '.', prng, validity, algorithm: 15, children: [tld],
    records: [soa('.'), { name: '.', type: 'NS', data: 'a.root' }, { name: 'test', type: 'NS', data: 'ns.test' }],
  });
  const server = new ZoneServer({ address: '10.0.0.53', zones: [root, tld, example, bad, insecure] });
  return { root, tld, example, bad, server, anchor: dsText(root.ds()) };
}

/** A validating simulation over the hierarchy. */
export function simulate(h: Hierarchy, seed: number, resolver: ValidatingSimulationOptions['resolver'] = {}, extra: Partial<ValidatingSimulationOptions> = {}): ValidatingSimulation {
  return new ValidatingSimulation({ seed, epoch: EPOCH, servers: [h.server], resolver: { trustAnchors: h.anchor, ...resolver }, ...extra });
}

/** The final event of `handle` among the simulation's outputs. */
export function finalOf(sim: ValidatingSimulation, handle: number): Record<string, unknown> & { kind: string } {
  for (const { output } of sim.outputs) for (const e of output.events) if (e.kind !== 'trace' && e.handle === handle) return e as never;
  throw new Error(`no final event for ${handle}`);
}
