/**
 * `npm run bench [-- name ...]`: runs every benchmark in bench/, or those named.
 * Each prints ratios against a baseline measured in the same run.
 */
const ALL = ['core', 'sim-loss', 'node-loss', 'node-udp', 'policy', 'attack', 'bulk', 'input-cost', 'scale-deadline', 'bridge', 'bridge-attack', 'dnssec', 'dnssec-unbound', 'tail-gc', 'gc-tables', 'node-seq', 'alloc-where', 'cpu-where'] as const;

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : [...ALL];
for (const name of names) {
  let mod: { run?: () => Promise<void> };
  try {
    mod = (await import(`./${name}.ts`)) as { run?: () => Promise<void> };
  } catch (e) {
    if (wanted.length > 0) throw e;
    console.log(`\n## ${name}: not present (${(e as Error).message.split('\n')[0]})`);
    continue;
  }
  console.log(`\n## ${name}`);
  await mod.run?.();
}
