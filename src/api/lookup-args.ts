/**
 * The arguments of `dns.lookup` and `dns.promises.lookup`, checked and read
 * as Node reads them (lib/dns.js and lib/internal/dns/promises.js of Node
 * 20): the same checks in the same order, with the same codes and messages.
 */
import { invalidArgType, invalidArgValue, validateBoolean, validateFunction, validateNumber, validateOneOf, validateString } from './node-args.js';

/** Order of the addresses `lookup` returns (Node's `order` option and `setDefaultResultOrder`). */
export type ResultOrder = 'verbatim' | 'ipv4first' | 'ipv6first';
export const RESULT_ORDERS: readonly ResultOrder[] = ['verbatim', 'ipv4first', 'ipv6first'];

/** getaddrinfo's hint flags, whose values are the platform's (Node's `dns.ADDRCONFIG`, `dns.V4MAPPED`, `dns.ALL`). */
export interface HintFlags { readonly ADDRCONFIG: number; readonly V4MAPPED: number; readonly ALL: number }
/** glibc's values, for a platform that does not say. */
export const LINUX_HINTS: HintFlags = Object.freeze({ ADDRCONFIG: 0x20, V4MAPPED: 0x08, ALL: 0x10 });

/** What a lookup asks for, once its arguments are read. */
export interface LookupRequest {
  readonly family: 0 | 4 | 6;
  readonly all: boolean;
  readonly hints: number;
  readonly order: ResultOrder;
}

const FAMILIES = [0, 4, 6] as const;

/** `options.hints` as Node reads it: a number, taken as uint32, only the three known flags. */
function readHints(value: unknown, flags: HintFlags): number {
  validateNumber(value, 'options.hints');
  const hints = value >>> 0;
  if ((hints & ~(flags.ADDRCONFIG | flags.ALL | flags.V4MAPPED)) !== 0) throw invalidArgValue('hints', hints);
  return hints;
}

/** `options.family`; the callback form also takes `'IPv4'` and `'IPv6'` (Node 20's promise form does not). */
function readFamily(value: unknown, names: boolean): 0 | 4 | 6 {
  if (names && value === 'IPv4') return 4;
  if (names && value === 'IPv6') return 6;
  validateOneOf(value, 'options.family', FAMILIES);
  return value;
}

/** The options object (or `undefined`) of either form. */
function readObject(options: { readonly [k: string]: unknown } | undefined | null, order: ResultOrder, names: boolean, flags: HintFlags): LookupRequest {
  let family: 0 | 4 | 6 = 0;
  let all = false;
  let hints = 0;
  if (options?.['hints'] != null) hints = readHints(options['hints'], flags);
  if (options?.['family'] != null) family = readFamily(options['family'], names);
  if (options?.['all'] != null) {
    validateBoolean(options['all'], 'options.all');
    all = options['all'];
  }
  if (options?.['verbatim'] != null) {
    validateBoolean(options['verbatim'], 'options.verbatim');
    order = options['verbatim'] ? 'verbatim' : 'ipv4first';
  }
  if (options?.['order'] != null) {
    validateOneOf(options['order'], 'options.order', RESULT_ORDERS);
    order = options['order'];
  }
  return { family, all, hints, order };
}

/**
 * `dns.lookup(hostname, [options], callback)`'s arguments: the request and
 * the callback. `argc` is the number of arguments given (Node names the
 * options as the missing callback when there are two).
 */
export function callbackLookupArgs(
  hostname: unknown, options: unknown, callback: unknown, argc: number, order: ResultOrder, flags: HintFlags = LINUX_HINTS,
): { request: LookupRequest; callback: (...args: never[]) => unknown } {
  if (hostname) validateString(hostname, 'hostname');
  if (typeof options === 'function') {
    return { request: { family: 0, all: false, hints: 0, order }, callback: options as (...args: never[]) => unknown };
  }
  if (typeof options === 'number') {
    validateFunction(callback, 'callback');
    validateOneOf(options, 'family', FAMILIES);
    return { request: { family: options, all: false, hints: 0, order }, callback };
  }
  if (options !== undefined && typeof options !== 'object') {
    validateFunction(argc === 2 ? options : callback, 'callback');
    throw invalidArgType('options', 'of type object or integer', options);
  }
  validateFunction(callback, 'callback');
  return { request: readObject(options as { readonly [k: string]: unknown } | undefined | null, order, true, flags), callback };
}

/** `dns.promises.lookup(hostname, [options])`'s arguments. */
export function promiseLookupArgs(hostname: unknown, options: unknown, order: ResultOrder, flags: HintFlags = LINUX_HINTS): LookupRequest {
  if (hostname) validateString(hostname, 'hostname');
  if (typeof options === 'number') {
    validateOneOf(options, 'family', FAMILIES);
    return { family: options, all: false, hints: 0, order };
  }
  if (options !== undefined && typeof options !== 'object') throw invalidArgType('options', 'of type object or integer', options);
  return readObject(options as { readonly [k: string]: unknown } | undefined | null, order, false, flags);
}
