/**
 * The type test: a consumer project, compiled by tsc, that uses the package
 * as published in place of node:dns (test/types/fixture). The package is
 * laid out as npm would install it: this package.json (its `exports`,
 * `types` and `typesVersions`) and declarations emitted from src/ into
 * dist/ (tsconfig.emit.json), under node_modules/sansdns of a temp project
 * inside node_modules/.cache, so that the fixture's other imports (undici,
 * got, ws, @types/node) resolve to this repository's devDependencies.
 * Each tsconfig.<resolution>.json compiles the same fixture; any error fails.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const here = join(root, 'test', 'types');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const RESOLUTIONS = readdirSync(here)
  .map((f) => /^tsconfig\.(.+)\.json$/.exec(f)?.[1])
  .filter((m): m is string => m !== undefined && m !== 'emit');

function run(args: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [tsc, ...args], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

describe('types: sansdns/node where node:dns is expected', () => {
  let project = '';

  beforeAll(() => {
    const cache = join(root, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    project = mkdtempSync(join(cache, 'sansdns-types-'));
    const pkg = join(project, 'node_modules', 'sansdns');
    const emitted = run(['-p', join(here, 'tsconfig.emit.json'), '--outDir', join(pkg, 'dist')]);
    if (emitted.status !== 0) throw new Error(`declaration emit failed:\n${emitted.output}`);
    cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
    cpSync(join(here, 'fixture'), join(project, 'fixture'), { recursive: true });
    for (const m of RESOLUTIONS) cpSync(join(here, `tsconfig.${m}.json`), join(project, `tsconfig.${m}.json`));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  }, 180_000);

  afterAll(() => {
    if (project !== '') rmSync(project, { recursive: true, force: true });
  });

  it('has a tsconfig for node16, nodenext, bundler and node10', () => {
    expect([...RESOLUTIONS].sort()).toEqual(['bundler', 'node10', 'node16', 'nodenext']);
  });

  for (const m of RESOLUTIONS) {
    it(`compiles under moduleResolution ${m}`, () => {
      const { status, output } = run(['-p', join(project, `tsconfig.${m}.json`)]);
      expect(output).toBe('');
      expect(status).toBe(0);
    }, 120_000);
  }
});
