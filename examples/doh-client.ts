// DNS over HTTPS: the browser client (sansdns/doh, fetch only) through the DoH bridge (sansdns/node).
// node --import tsx examples/doh-client.ts 127.0.0.1:5300 www.sansdns.test
import { createDohServer } from 'sansdns/node';
import { DohResolver } from 'sansdns/doh';

const [upstream = '127.0.0.1', name = 'example.com'] = process.argv.slice(2);
const bridge = createDohServer({ upstreams: [upstream] });
const { url } = await bridge.listen(0, '127.0.0.1'); // http://127.0.0.1:PORT/dns-query
const dns = new DohResolver({ servers: [url] });
try {
  console.log(await dns.resolve4(name));
  const { message } = await dns.query(name, 'AAAA');
  console.log(message.answers.map((r) => `${r.name} ${r.ttl} ${r.type} ${String(r.data)}`));
} finally {
  dns.close();
  await bridge.close();
}
