/** The package's version, read from its package.json (next to `src/` in a clone, next to `dist/` when installed). */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** `0.1.0`, or `unknown` when no package.json of sansdns is found. */
export function version(): string {
  if (cached !== undefined) return cached;
  cached = 'unknown';
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'sansdns' && typeof pkg.version === 'string') {
        cached = pkg.version;
        break;
      }
    } catch {
      // try the next place
    }
  }
  return cached;
}
