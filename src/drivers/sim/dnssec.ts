/** The simulated resolver's `dnssec` switch: validation on virtual time (UNIX seconds = epoch + virtual ms / 1000). */
import { dnssecOf, validatingCore, type DnssecSwitch } from '../../api/dnssec.js';
import type { CoreFactory } from '../../api/options.js';

/** The core factory for `dnssec`, or `undefined` when it is off. */
export function simDnssecCore(option: DnssecSwitch | undefined, epoch = 1_700_000_000): CoreFactory | undefined {
  const o = dnssecOf(option, (now) => epoch + now / 1000);
  return o === undefined ? undefined : validatingCore(o);
}
