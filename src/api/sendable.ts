/**
 * The drop-in's check of what c-ares would send (issue 12), done once per
 * name (issue 13): a resolver asked the same names again and again tests
 * each for non-ASCII text, converts it with IDNA and scans its characters
 * once, not on every `resolve*` call.
 */
import { MAX_NAME_TEXT } from '../core/codec/name.js';
import { toAscii } from '../core/idna.js';
import { aresSends } from './node-text.js';

/** Names whose verdict is kept before the memory starts over, so it stays bounded. */
const MEMO_LIMIT = 1024;
const verdicts = new Map<string, boolean>();

/** Whether c-ares would send `name` at all (host name characters, after IDNA); it rejects `EBADNAME` otherwise. */
export function sendable(name: string): boolean {
  // Longer than any DNS name: the core refuses it with EBADNAME after one length check (issue 18); scanning it
  // here first made a 200,000-character name cost 42 times a short bad one. Nor is it kept.
  if (name.length > MAX_NAME_TEXT) return true;
  const known = verdicts.get(name);
  if (known !== undefined) return known;
  const verdict = check(name);
  if (verdicts.size >= MEMO_LIMIT) verdicts.clear();
  verdicts.set(name, verdict);
  return verdict;
}

function check(name: string): boolean {
  let ascii = name;
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(name)) {
    try {
      ascii = toAscii(name);
    } catch {
      return true; // the core rejects it with its own EBADNAME
    }
  }
  return aresSends(ascii);
}
