/**
 * The browser page of the DoH test: built by esbuild from the published
 * browser entry (`sansdns/doh`, here `src/doh.ts`), loaded by headless
 * Chromium. It resolves names through the bridge given as `?bridge=` and
 * shows the results as JSON in `<pre id="out">`.
 */
import { DohResolver, isDnsError } from '../../src/doh.js';

async function settle<T>(p: Promise<T>): Promise<T | { error: string }> {
  try {
    return await p;
  } catch (e) {
    return { error: (e as { code?: string }).code ?? String(e) };
  }
}

async function main(): Promise<Record<string, unknown>> {
  const bridge = new URLSearchParams(location.search).get('bridge') ?? '';
  const post = new DohResolver({ servers: [bridge] });
  const get = new DohResolver({ servers: [bridge], method: 'GET' });
  // The first server is a wrong path: over POST its CORS preflight fails (a network error in a
  // browser), over GET (no preflight) the 404 is seen. Either way a typed error for that
  // server, and the core moves on.
  const failover = new DohResolver({ servers: [bridge.replace('/dns-query', '/missing'), bridge] });
  const serverErrors: string[] = [];
  const seen = new DohResolver({ servers: [bridge.replace('/dns-query', '/missing')], method: 'GET', onServerError: (e) => serverErrors.push(`${e.reason} ${e.status}`) });
  return {
    nodeGlobals: typeof (globalThis as Record<string, unknown>)['Buffer'] + ' ' + typeof (globalThis as Record<string, unknown>)['process'],
    a: await settle(post.resolve4('example.test')),
    aaaa: await settle(post.resolve6('example.test')),
    txt: await settle(post.resolveTxt('txt.example.test')),
    mx: await settle(post.resolveMx('example.test')),
    chain: await settle(post.resolve4('chain1.example.test')),
    bigCount: await settle(post.resolve4('big.example.test').then((a) => a.length)),
    ttl: await settle(post.resolve4('www.example.test', { ttl: true })),
    nx: await settle(post.resolve4('nope.example.test')),
    nodata: await settle(post.resolve4('onlytxt.example.test')),
    get: await settle(get.resolve4('www.example.test')),
    getSrv: await settle(get.resolveSrv('_sip._tcp.example.test')),
    failover: await settle(failover.resolve4('www.example.test')),
    failoverGet: await settle(new DohResolver({ servers: [bridge.replace('/dns-query', '/missing'), bridge], method: 'GET' }).resolve4('www.example.test')),
    allFail: await settle(seen.resolve4('www.example.test').catch((e: unknown) => {
      throw isDnsError((e as Error).cause) ? e : new Error('not a DnsError cause');
    })),
    serverErrors,
    servers: post.getServers(),
  };
}

const out = document.getElementById('out') as HTMLElement;
main().then(
  (result) => {
    out.textContent = JSON.stringify(result, null, 2);
    out.dataset['done'] = 'ok';
  },
  (error: unknown) => {
    out.textContent = `page failed: ${String(error)}`;
    out.dataset['done'] = 'failed';
  },
);
