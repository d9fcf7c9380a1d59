// The Node drop-in: dns.promises.Resolver's API, plus the whole answer with TTLs.
// node --import tsx examples/node-resolver.ts 127.0.0.1:5300 www.sansdns.test
import { NodeResolver as Resolver } from 'sansdns/node';

const [server = '127.0.0.1', name = 'example.com'] = process.argv.slice(2);
const resolver = new Resolver({ timeout: 500, tries: 3 }); // Node's options
resolver.setServers([server]); // the strings Node accepts
try {
  console.log('A', await resolver.resolve4(name, { ttl: true }));
  const { rcode, message, elapsed, sent } = await resolver.query(name, 'AAAA');
  console.log('AAAA rcode', rcode, message.answers.map((r) => r.data), `${sent} sent`, elapsed >= 0);
  await resolver.resolve4(`nothere.${name}`).catch((e: { code: string }) => console.log('nothere:', e.code));
} finally {
  resolver.close();
}
