/**
 * The " Received ..." end of Node's argument errors, as Node 20 writes it
 * (`determineSpecificType` in lib/internal/errors.js), so a caller mistake
 * reads the same from sansdns as from `node:dns` (issue 12, issue 18).
 */
import { argError } from './errors.js';

/** What Node says it received: `null`, `type number (42)`, `an instance of Foo`, `function f`. */
export function received(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  switch (typeof value) {
    case 'function':
      return `function ${value.name}`;
    case 'object': {
      const ctor = (value as { constructor?: { name?: unknown } }).constructor;
      if (ctor !== undefined && typeof ctor.name === 'string' && ctor.name !== '') return `an instance of ${ctor.name}`;
      return Object.getPrototypeOf(value) === null && Object.keys(value).length === 0 ? '[Object: null prototype] {}' : 'an object';
    }
    case 'string': {
      const text = value.length > 28 ? `${value.slice(0, 25)}...` : value;
      return `type string (${text.includes("'") ? JSON.stringify(text) : `'${text}'`})`;
    }
    case 'bigint':
      return `type bigint (${value}n)`;
    case 'symbol':
      return `type symbol (${String(value)})`;
    default:
      return `type ${typeof value} (${Object.is(value, -0) ? '-0' : String(value)})`;
  }
}

/** Node's `ERR_INVALID_ARG_TYPE` for argument `name` that must be a `type`. */
export function invalidArgType(name: string, type: string, value: unknown): Error & { code: string } {
  const what = name.includes('.') ? 'property' : 'argument';
  return argError('ERR_INVALID_ARG_TYPE', `The "${name}" ${what} must be of type ${type}. Received ${received(value)}`);
}
