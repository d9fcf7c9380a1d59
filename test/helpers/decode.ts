/**
 * Decode a message a test expects to be well formed, or fail the test with
 * the decoder's reason: one helper instead of a copy in each test file.
 */
import { decodeMessage, type Message } from '../../src/codec.js';

/** The decoded message of `wire`; throws, naming the decoder's reason, when it is malformed. */
export function decode(wire: Uint8Array): Message {
  const r = decodeMessage(wire);
  if (!r.ok) throw new Error(`test helper: cannot decode (${r.reason})`);
  return r.message;
}
