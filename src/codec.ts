/**
 * `sansdns/codec`: the validated DNS wire format the core uses, for drivers,
 * servers and tests. Decoding walks the whole message before it builds
 * anything and never throws on network bytes; encoding writes only what it
 * validated (RFC 1035 §4, RFC 6891). Also the DoH wire (RFC 8484: the media
 * type, GET URLs) and the RFC 4648 text forms of bytes (hex, base64url).
 * @packageDocumentation
 */
export {
  decodeMessage, encodeQuery, encodeMessage, parseName, namesEqual, readId,
  typeFromInput, typeToName, classFromInput, classToName,
} from './core/codec/index.js';
export type { ParsedName, QuerySpec } from './core/codec/index.js';
export { MAX_NAME_TEXT } from './core/codec/name.js';
export type * from './core/codec/types.js';
export { rcodeName } from './core/codec/rcode.js';
export { DNS_MESSAGE, dohGetUrl, isDnsMessageType } from './core/codec/doh.js';
export { toHex, fromHex, base64urlEncode, base64urlDecode } from './core/codec/base-n.js';
