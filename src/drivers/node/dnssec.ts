/**
 * The Node driver's `dnssec` switch: validation with wall-clock time from
 * `Date.now()` against the transport's `performance.now()` timeline, and the
 * native `node:crypto` verifier.
 */
import { dnssecOf, validatingCore, type DnssecSwitch } from '../../api/dnssec.js';
import type { CoreFactory } from '../../api/options.js';
import { recordingCore } from '../../trace/recorder.js';
import { nodeVerifier } from './dnssec-verifier.js';

/** The core factory for `dnssec`, or `undefined` when it is off. Throws `EBADOPTION` on a bad switch. */
export function nodeDnssecCore(option: DnssecSwitch | undefined): CoreFactory | undefined {
  if (option === undefined || option === false) return undefined; // no verifier built for a resolver that does not validate
  const epoch = Date.now() - performance.now();
  const o = dnssecOf(option, (now) => (epoch + now) / 1000, { verifier: nodeVerifier() });
  return o === undefined ? undefined : validatingCore(o, recordingCore);
}
