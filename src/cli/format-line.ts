/**
 * Bulk mode's line per question: `name TYPE STATUS data, data (ms, sent)`,
 * tab-separated, the status one word (`outcome.ts`: an rcode, `NODATA`,
 * `TIMEOUT`, or the core's code; with `--validate`, `NOERROR/secure`,
 * `NOERROR/insecure`, or `EBOGUS`). Pure.
 */
import { ms } from './format-dig.js';
import { failedValidation, outcomeStatus, type Outcome } from './outcome.js';
import { rdataText } from './rdata.js';
import { recordTypeMnemonic } from './type-names.js';

/** One line for one outcome (no newline). */
export function formatLine(o: Outcome): string {
  const time = `${ms(Math.round(o.elapsed * 10) / 10)} ms`;
  const cost = o.sent === undefined ? `(${time})` : `(${time}, ${o.sent} sent)`;
  const security = o.kind === 'answer' && o.validation !== undefined && !failedValidation(o) ? `/${o.validation.security}` : '';
  const head = `${o.name}\t${recordTypeMnemonic(o.type)}\t${outcomeStatus(o)}${security}\t`;
  // A line of the input that could not be read says why.
  if (o.kind === 'error' && o.type === '-') return `${head}${o.message}`;
  if (o.kind === 'error') return `${head}${cost}`;
  const data = o.message.answers.map((r) => (r.type === o.type ? rdataText(r) : `${recordTypeMnemonic(r.type)} ${rdataText(r)}`));
  return `${head}${data.join(', ')}${data.length > 0 ? ' ' : ''}${cost}`;
}
