/**
 * 0x20 case randomisation (draft-vixie-dnsext-dns0x20-00; RFC 5452 §9.2 "more
 * bits of entropy"): each attempt writes every ASCII letter of the question
 * name in a random case, and the answer's question must come back with the
 * very same case. A forger who guesses ID and port must also guess one bit
 * per letter.
 *
 * A server that does not preserve case (it answers the right name in the
 * wrong case, to the right ID, from the right peer, twice, with a valid
 * cookie when cookies are in use) is remembered and asked without 0x20 from
 * then on. The 0x20 fields of `ServerState` (`case0x20`, `caseMisses`,
 * `noCase`) are changed here only.
 */
import type { RandomPool } from './random.js';
import type { ServerState } from './servers.js';

/**
 * Write a random case into the letters of the question name in `wire`
 * (bytes 12 to `nameEnd`), and return `name` (its presentation form) with
 * the same case. Letters appear in the same order in both (the presentation
 * form never escapes a letter), so one bit serves each letter in both.
 */
export function randomizeCase(wire: Uint8Array, nameEnd: number, name: string, random: RandomPool): string {
  const bits: number[] = [];
  let word = 0;
  let left = 0;
  for (let i = 12; i < nameEnd; i++) {
    const c = (wire[i] as number) | 0x20;
    if (c < 0x61 || c > 0x7a) continue;
    if (left === 0) {
      word = random.u16();
      left = 16;
    }
    const upper = word & 1;
    word >>>= 1;
    left--;
    wire[i] = upper === 1 ? c & 0xdf : c;
    bits.push(upper);
  }
  let k = 0;
  return name.replace(/[A-Za-z]/g, (ch) => (bits[k++] === 1 ? ch.toUpperCase() : ch.toLowerCase()));
}

/** Mark the servers asked with 0x20 (option `case0x20`: `true` for all, or a list of server indexes). */
export function applyCase(servers: readonly ServerState[], option: boolean | readonly number[]): void {
  for (const s of servers) s.case0x20 = option === true || (option !== false && option.includes(s.index));
}

/** A wrong-case answer from `server` (its cookie, if any, was valid): true when this one marks it as not preserving case. */
export function caseMissed(server: ServerState): boolean {
  if (++server.caseMisses !== 2) return false;
  server.noCase = true;
  return true;
}
