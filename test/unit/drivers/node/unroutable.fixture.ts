/**
 * Run by socket-errors.test.ts inside `unshare --net` (loopback down, no
 * routes): a query to an IPv6 server must reject with a typed error, never
 * crash the process (issue 12). Prints one JSON line.
 */
import { NodeResolver as Resolver } from '../../../../src/node.js';

let uncaught = 0;
process.on('uncaughtException', () => uncaught++);
process.on('unhandledRejection', () => uncaught++);
const r = new Resolver({ resolvConf: false, hostsFile: false, servers: ['[::1]:53'], timeout: 5000, tries: 1 });
const out = await r.resolve4('unroutable.test').then(
  () => ({ code: 'answered', cause: '', syscall: '' }),
  (e: { code: string; syscall: string; cause?: { code?: string } }) => ({ code: e.code, cause: e.cause?.code, syscall: e.syscall }),
);
r.close();
await new Promise((res) => setTimeout(res, 50));
process.stdout.write(`${JSON.stringify({ ...out, uncaught })}\n`);
