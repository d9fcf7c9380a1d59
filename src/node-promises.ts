/**
 * `sansdns/node/promises`: node:dns/promises over sansdns, name for name
 * (`import dns from 'sansdns/node/promises'` in place of
 * `import dns from 'node:dns/promises'`). The same object as the
 * `promises` of `sansdns/node`. See `src/drivers/node/dns-module.ts`.
 * @packageDocumentation
 */
import { promises } from './drivers/node/dns-module.js';

export { NodeResolver as Resolver } from './drivers/node/resolver.js';
export const {
  lookup, lookupService, getServers, setServers, getDefaultResultOrder, setDefaultResultOrder, resolve, resolve4,
  resolve6, resolveAny, resolveCaa, resolveCname, resolveMx, resolveNaptr, resolveNs, resolvePtr, resolveSoa, resolveSrv,
  resolveTxt, reverse,
} = promises;
export * from './drivers/node/dns-codes.js';
export default promises;
