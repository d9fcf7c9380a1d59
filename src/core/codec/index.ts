/**
 * The DNS wire codec of sansdns: validated decoding and encoding of DNS
 * messages (RFC 1035 §4, RFC 6891), names, types and classes.
 */

export { parseName, namesEqual, type ParsedName } from './name.js';
export { typeFromInput, typeToName, classFromInput, classToName } from './rr-types.js';
export { encodeQuery, encodeMessage, type QuerySpec } from './encode.js';
export { decodeMessage, readId } from './decode.js';
export type * from './types.js';
