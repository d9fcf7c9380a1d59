/** The browser entry bundles for the browser with no polyfill configuration, within 24 KB gzipped. */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without declarations.
import { measure, BUDGET } from '../../../../scripts/bundle-size.mjs';

type Measure = (entry?: string, names?: string[]) => Promise<{ minified: number; gzipped: number }>;

describe('sansdns/doh bundle', () => {
  it('builds with esbuild --platform=browser (no node:* import, no Buffer) and stays under 24 KB min+gzip', async () => {
    const r = await (measure as Measure)('src/doh.ts');
    expect(r.gzipped).toBeGreaterThan(1000);
    expect(r.gzipped).toBeLessThanOrEqual(BUDGET as number);
  });
});
