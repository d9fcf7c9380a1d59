/**
 * The browser entry bundles for the browser with no polyfill configuration, within 24 KB gzipped; the app of
 * issue 11 (a page importing `DohResolver` and calling `resolve4`) stays within its ratchet budget, and leaves out
 * what only UDP/TCP or Node need (their code is injected, as policies and checks).
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without declarations.
import { measure, BUDGET, APP_BUDGET, APP_TARGET } from '../../../../scripts/bundle-size.mjs';

type Measure = (entry?: string, names?: string[], app?: boolean) => Promise<{ minified: number; gzipped: number; inputs: Record<string, number> }>;

/** Source files only UDP/TCP or Node need: none may leave a byte in the DoH app. */
const LEFT_OUT = [
  'src/api/node-args.ts', 'src/api/node-checks.ts', 'src/api/sendable.ts', // Node's argument checks, word for word
  'src/core/attempt-index.ts', 'src/core/free-ids.ts', // the UDP/TCP ID space
  'src/core/resend.ts', 'src/core/cookies.ts', 'src/core/case0x20.ts', 'src/core/policies.ts', // UDP/TCP resends and policies
  'src/core/screen.ts', // the 0x20 case and cookie of a matched response
  'src/core/search.ts', // the search list, its option's check included
  'src/core/resolv-conf.ts', 'src/core/hosts.ts', 'src/core/snapshot.ts', 'src/core/trace-events.ts',
  'src/trace/recorder.ts', 'src/trace/format.ts',
];

describe('sansdns/doh bundle', () => {
  it('builds with esbuild --platform=browser (no node:* import, no Buffer) and stays under 24 KB min+gzip', async () => {
    const r = await (measure as Measure)('src/doh.ts');
    expect(r.gzipped).toBeGreaterThan(1000);
    expect(r.gzipped).toBeLessThanOrEqual(BUDGET as number);
  });

  it(`the DohResolver + resolve4 app stays within its budget (${APP_BUDGET as number} B gzipped; target ${APP_TARGET as number})`, async () => {
    const app = await (measure as Measure)('src/doh.ts', [], true);
    expect(app.gzipped).toBeGreaterThan(1000);
    expect(app.gzipped).toBeLessThanOrEqual(APP_BUDGET as number);
    expect(APP_BUDGET as number).toBeGreaterThanOrEqual(APP_TARGET as number);
  });

  it('the app carries no code that only UDP/TCP or Node need', async () => {
    const app = await (measure as Measure)('src/doh.ts', [], true);
    expect((app.inputs['src/core/machine.ts'] ?? 0) > 0).toBe(true); // the metafile names files as listed here
    const carried = LEFT_OUT.filter((file) => (app.inputs[file] ?? 0) > 0);
    expect(carried).toEqual([]);
  });
});
