/**
 * ARCHITECTURE.md is the reference for the tree (issue 11): its map of `src/`
 * names every source file, so a file added without its row fails here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

describe('ARCHITECTURE.md', () => {
  it('names every file of src/ in its map', () => {
    const map = readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8');
    const files = sources(join(root, 'src'));
    expect(files.length).toBeGreaterThan(100);
    const missing = files.filter((f) => !map.includes(f.slice(f.lastIndexOf('/') + 1))).map((f) => relative(root, f));
    expect(missing).toEqual([]);
  });
});
