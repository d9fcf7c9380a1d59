/**
 * `npm run bench -- doh-size`: what a browser downloads for `sansdns/doh`,
 * minified and gzipped (esbuild `--platform=browser --minify`, gzip -9).
 * Standalone: `node --import tsx bench/doh-size.ts`.
 */
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain .mjs script without declarations.
import { measure, BUDGET } from '../scripts/bundle-size.mjs';

type Measure = (entry?: string, names?: string[]) => Promise<{ minified: number; gzipped: number; esbuild: string }>;

export async function run(): Promise<void> {
  const m = measure as Measure;
  const all = await m('src/doh.ts');
  const one = await m('src/doh.ts', ['DohResolver']);
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
  console.log(`sansdns/doh, every export: ${all.minified} B min, ${all.gzipped} B min+gzip (${kb(all.gzipped)})`);
  console.log(`sansdns/doh, DohResolver only: ${one.minified} B min, ${one.gzipped} B min+gzip (${kb(one.gzipped)})`);
  console.log(`budget ${kb(BUDGET as number)} gzipped; esbuild ${all.esbuild}, --platform=browser --format=esm --minify, gzip -9`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
