/**
 * sansdns/node's `getDefaultResultOrder()` state: the default `order` of
 * every `lookup` of this package (Node's own `dns.setDefaultResultOrder`
 * does not reach it). It starts as Node's (`--dns-result-order` included),
 * and lives on `globalThis` under a registered symbol, so an ESM and a
 * CommonJS copy of the package share it.
 */
import nodeDns from 'node:dns';
import type { ResultOrder } from '../../api/lookup-args.js';

const KEY = Symbol.for('sansdns.node.resultOrder.v1');
const holder = globalThis as unknown as Record<symbol, { order: ResultOrder } | undefined>;
const state = (holder[KEY] ??= { order: nodeDns.getDefaultResultOrder() as ResultOrder });

/** The current default order. */
export function defaultOrder(): ResultOrder {
  return state.order;
}

/** Set the default order (checked by the caller). */
export function setOrder(order: ResultOrder): void {
  state.order = order;
}
