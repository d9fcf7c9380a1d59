/**
 * `@server` arguments: `192.0.2.1`, `192.0.2.1:5353`, `2001:db8::1`,
 * `[2001:db8::1]:5353`, `host` or `host:port` (a name, looked up when the
 * command runs), or a DoH URL `https://dns.example/dns-query`
 * (`http://` too, for a local bridge). Without a port, `-p` (else 53) applies.
 */
import { normalizeIP } from '../index.js';
import { UsageError } from './usage-error.js';

/** A server as given on the command line. */
export type ServerArg =
  | { readonly kind: 'ip'; readonly address: string; readonly port: number | undefined }
  | { readonly kind: 'host'; readonly host: string; readonly port: number | undefined }
  | { readonly kind: 'doh'; readonly url: string };

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

function bad(text: string, why: string): UsageError {
  return new UsageError('bad-server', `bad server @${text}: ${why}`);
}

function port(text: string, whole: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 65535) throw bad(whole, `port ${text} is not in 1..65535`);
  return n;
}

function doh(text: string): ServerArg {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad(text, 'not a URL');
  }
  if (url.hostname === '') throw bad(text, 'the URL has no host');
  return { kind: 'doh', url: url.href };
}

/** Parse the text after `@`. Throws a {@link UsageError} (`bad-server`) with the reason. */
export function parseServerArg(text: string): ServerArg {
  if (text === '') throw bad(text, 'empty');
  if (/^https?:\/\//i.test(text)) return doh(text);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) throw bad(text, 'only https:// (or http://) URLs name DoH servers');
  const plain = normalizeIP(text);
  if (plain !== undefined) return { kind: 'ip', address: plain, port: undefined };
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
  if (bracketed !== null) {
    const address = normalizeIP(bracketed[1] as string);
    if (address === undefined || !address.includes(':')) throw bad(text, `${bracketed[1] ?? ''} is not an IPv6 address`);
    return { kind: 'ip', address, port: bracketed[2] === undefined ? undefined : port(bracketed[2], text) };
  }
  const colon = text.lastIndexOf(':');
  if (colon > 0 && text.indexOf(':') !== colon) throw bad(text, 'write an IPv6 address with a port as [address]:port');
  const host = colon > 0 ? text.slice(0, colon) : text;
  const p = colon > 0 ? port(text.slice(colon + 1), text) : undefined;
  const address = normalizeIP(host);
  if (address !== undefined) return { kind: 'ip', address, port: p };
  if (/^[\d.]+$/.test(host)) throw bad(text, `${host} is not an IPv4 address`);
  if (!HOSTNAME.test(host)) throw bad(text, `${host} is neither an address nor a host name`);
  return { kind: 'host', host: host.replace(/\.$/, ''), port: p };
}
