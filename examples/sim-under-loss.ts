import { SimResolver } from 'sansdns/sim';

// Your code: anything that takes a dns.promises.Resolver-shaped object.
async function pickAddress(dns: { resolve4(name: string): Promise<string[]> }, name: string): Promise<string> {
  const addresses = await dns.resolve4(name);
  return addresses.sort()[0] ?? 'none';
}

const zone = `$ORIGIN example.com.
@    3600 IN SOA ns hostmaster 1 7200 3600 1209600 300
api  300  IN A   192.0.2.10
api  300  IN A   192.0.2.11
`;
const dns = new SimResolver({
  seed: Number(process.argv[2] ?? 42), // keep the seed to reproduce a run, change it to explore
  servers: [{ address: '192.0.2.1', zones: [zone] }, { address: '192.0.2.2', zones: [zone] }],
  network: { latency: 20, loss: 0.3 }, // 30% loss each way, 20 ms one way
  deadline: 2000,
});
const result = await pickAddress(dns, 'api.example.com').catch((e: { code: string }) => e.code);
console.log(result, `at ${dns.now()} ms virtual time, after ${dns.stats.datagramsSent} datagrams`);
