/**
 * The wire of DNS over HTTPS (RFC 8484) that a client and a server share:
 * the media type, its check, and the URL of a GET. Used by the `fetch`
 * driver (`src/drivers/doh`) and the Node DoH bridge
 * (`src/drivers/node/doh-server.ts`), so neither driver imports the other.
 */
import { base64urlEncode } from './base-n.js';

/** The media type of DNS messages over HTTP (RFC 8484 §6). */
export const DNS_MESSAGE = 'application/dns-message';

/** True when a `Content-Type` value names `application/dns-message` (parameters allowed). */
export function isDnsMessageType(value: string | null): boolean {
  if (value === null) return false;
  return value.split(';', 1)[0]!.trim().toLowerCase() === DNS_MESSAGE;
}

/** The URL of a GET: `dns=` appended, or the RFC 6570 `{?dns}` template of RFC 8484 §4.1 filled. */
export function dohGetUrl(url: string, message: Uint8Array): string {
  const dns = `dns=${base64urlEncode(message)}`;
  if (url.includes('{?dns}')) return url.replace('{?dns}', `?${dns}`);
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  return `${base}${base.includes('?') ? '&' : '?'}${dns}`;
}
