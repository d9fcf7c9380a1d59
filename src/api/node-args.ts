/**
 * Node's argument checks, with Node's error codes, classes and messages
 * (lib/internal/validators.js and lib/internal/errors.js of Node 20), so a
 * caller mistake reads the same from `sansdns/node` as from `node:dns`:
 * `The "name" argument must be of type string. Received type number (1)`.
 *
 * Browser-safe: the ` Received …` suffix is written here (Node's
 * `determineSpecificType` and `inspect` of primitives), not with `node:util`.
 */
import { argError } from './errors.js';

/** `'x'` the way `util.inspect` quotes a string: single quotes unless the text has some and no double ones. */
function quote(s: string): string {
  const q = !s.includes("'") ? "'" : !s.includes('"') ? '"' : !s.includes('`') && !s.includes('${') ? '`' : "'";
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === q || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += ch;
  }
  return `${q}${out}${q}`;
}

/** `util.inspect` of a primitive, as Node's error messages print it. */
export function inspectValue(value: unknown): string {
  switch (typeof value) {
    case 'string': return quote(value);
    case 'number': return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint': return `${value}n`;
    case 'symbol': return value.toString();
    case 'function': return value.name === '' ? '[Function (anonymous)]' : `[Function: ${value.name}]`;
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? `[ ${value.map(inspectValue).join(', ')} ]` : '{}';
    default: return String(value);
  }
}

/**
 * `util.inspect(value, { depth: -1 })` of an object whose `constructor` has
 * no `name`: the constructor name found up the prototype chain, with the
 * contents hidden (`[Object]`) when it has own keys.
 */
function shallowInspect(value: object): string {
  let name: string | undefined;
  for (let o: object | null = value; o !== null && name === undefined; o = Object.getPrototypeOf(o) as object | null) {
    const c = Object.getOwnPropertyDescriptor(o, 'constructor')?.value as unknown;
    if (typeof c === 'function' && c.name !== '') name = c.name;
  }
  const keyed = Object.keys(value).length > 0;
  if (name === undefined) return keyed ? '[Object: null prototype]' : '[Object: null prototype] {}';
  if (keyed) return `[${name}]`;
  if (Array.isArray(value)) return name === 'Array' ? '[]' : `${name}(0) []`;
  return name === 'Object' ? '{}' : `${name} {}`;
}

/**
 * Node's `determineSpecificType` (Node 20's errors.js): what ` Received …`
 * says of a value. A string is cut to 25 characters and `...` past 28 and
 * quoted as it is, in `'…'`, or as JSON when it holds a `'`. An object
 * whose `constructor` is a primitive throws the same `TypeError` as Node's
 * `'name' in value.constructor`.
 */
export function specificType(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  switch (typeof value) {
    case 'function': return `function ${value.name}`; // Node 20: "function " for an anonymous one
    case 'object': {
      const c = (value as { constructor?: unknown }).constructor;
      if (c && 'name' in (c as object)) return `an instance of ${(c as { name: string }).name}`;
      return shallowInspect(value);
    }
    case 'string': {
      const s = value.length > 28 ? `${value.slice(0, 25)}...` : value;
      return `type string (${s.includes("'") ? JSON.stringify(s) : `'${s}'`})`;
    }
    default: return `type ${typeof value} (${inspectValue(value)})`;
  }
}

/** `argument` or, for a dotted name (`options.family`), `property`. */
const kind = (name: string): string => (name.includes('.') ? 'property' : 'argument');

/** `ERR_INVALID_ARG_TYPE`: `The "name" argument must be <expected>. Received …`. */
export function invalidArgType(name: string, expected: string, value: unknown): Error & { code: string } {
  return argError('ERR_INVALID_ARG_TYPE', `The "${name}" ${kind(name)} must be ${expected}. Received ${specificType(value)}`);
}

/** `ERR_INVALID_ARG_VALUE`: `The argument 'name' <reason>. Received <inspected>`. */
export function invalidArgValue(name: string, value: unknown, reason = 'is invalid'): Error & { code: string } {
  let inspected = inspectValue(value);
  if (inspected.length > 128) inspected = `${inspected.slice(0, 128)}...`;
  return argError('ERR_INVALID_ARG_VALUE', `The ${kind(name)} '${name}' ${reason}. Received ${inspected}`);
}

export function validateString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') throw invalidArgType(name, 'of type string', value);
}

export function validateFunction(value: unknown, name: string): asserts value is (...args: never[]) => unknown {
  if (typeof value !== 'function') throw invalidArgType(name, 'of type function', value);
}

export function validateBoolean(value: unknown, name: string): asserts value is boolean {
  if (typeof value !== 'boolean') throw invalidArgType(name, 'of type boolean', value);
}

export function validateNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
}

export function validateArray(value: unknown, name: string): asserts value is unknown[] {
  if (!Array.isArray(value)) throw invalidArgType(name, 'an instance of Array', value);
}

/** `ERR_INVALID_ARG_VALUE` unless `value` is one of `allowed` (written as Node lists them). */
export function validateOneOf<T>(value: unknown, name: string, allowed: readonly T[]): asserts value is T {
  if (allowed.includes(value as T)) return;
  const list = allowed.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
  throw invalidArgValue(name, value, `must be one of: ${list}`);
}

/** A number as `ERR_OUT_OF_RANGE` prints it: `_` every three digits beyond 2³². */
function rangeText(n: number): string {
  if (!Number.isInteger(n) || Math.abs(n) <= 2 ** 32) return inspectValue(n); // -0 as Node prints it
  const digits = String(Math.abs(n));
  let out = '';
  for (let i = digits.length; i > 0; i -= 3) out = `_${digits.slice(Math.max(0, i - 3), i)}${out}`;
  return `${n < 0 ? '-' : ''}${out.slice(1)}`;
}

/** `ERR_OUT_OF_RANGE` (a RangeError): `The value of "name" is out of range. It must be <range>. Received <n>`. */
export function outOfRange(name: string, range: string, value: number): Error & { code: string } {
  return argError('ERR_OUT_OF_RANGE', `The value of "${name}" is out of range. It must be ${range}. Received ${rangeText(value)}`, 'range');
}

/** Node's `validateInt32`: a number, an integer, within `min`..`max`. */
export function validateInt32(value: unknown, name: string, min = -(2 ** 31), max = 2 ** 31 - 1): asserts value is number {
  validateNumber(value, name);
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value);
}

/** `ERR_SOCKET_BAD_PORT` (a RangeError), as `validatePort` throws it. */
export function badPort(value: unknown): Error & { code: string } {
  return argError('ERR_SOCKET_BAD_PORT', `Port should be >= 0 and < 65536. Received ${specificType(value)}.`, 'range');
}

/** Node's `validatePort` (zero allowed): a number or a numeric string of 0..65535; returns the number. */
export function validatePort(value: unknown): number {
  const ok = (typeof value === 'number' || (typeof value === 'string' && value.trim() !== ''))
    && Number(value) >= 0 && Number(value) <= 0xffff && Number(value) === Number(value) >>> 0;
  if (!ok) throw badPort(value);
  return Number(value);
}

/** `ERR_MISSING_ARGS`: `The "a", "b", and "c" arguments must be specified`. */
export function missingArgs(...names: string[]): Error & { code: string } {
  const quoted = names.map((n) => `"${n}"`);
  const list = quoted.length <= 2 ? quoted.join(' and ') : `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1] as string}`;
  return argError('ERR_MISSING_ARGS', `The ${list} argument${names.length > 1 ? 's' : ''} must be specified`);
}
