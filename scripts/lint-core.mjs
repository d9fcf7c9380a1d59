#!/usr/bin/env node
// `npm run lint` (after tsc). Three checks; any problem fails the lint.
//
// 1. Sans-IO: src/core, src/sim and src/trace never reach for I/O, a clock,
//    randomness, timers, promises or the console, and never import
//    dns-packet (our own validated codec in src/core/codec is the only wire
//    codec; dns-packet is a dev dependency, the baseline of benches and tests).
// 2. Arrows: every relative import in src/ goes from a layer to a layer its
//    row of ARROWS allows (the table of ARCHITECTURE.md, "Layers and arrows").
//    Runtime AND type-only imports both count: `import type` draws no arrow at
//    run time, but a type from a layer above still ties the lower layer to it.
// 3. Cycles: no import cycle between files of src/ (type-only imports count
//    here too), except KNOWN_CYCLES below.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve('src');

const RULES = [
  [/from\s+['"]node:/, 'imports a node:* module'],
  [/from\s+['"](dgram|net|dns|fs|http|https|http2|crypto|os|child_process|timers)['"]/, 'imports a Node built-in'],
  [/\brequire\s*\(/, 'calls require()'],
  [/\bimport\s*\(/, 'uses a dynamic import'],
  [/Date\.now|new Date\(|performance\.now|process\.hrtime/, 'reads a clock'],
  [/Math\.random|crypto\.getRandomValues|globalThis\.crypto/, 'draws randomness'],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask|requestAnimationFrame)\b/, 'schedules a timer'],
  [/\bnew Promise\b|\bPromise\.|\basync\b|\bawait\b|\.then\(/, 'uses promises or async flow'],
  [/\bconsole\./, 'writes to the console'],
  [/\bprocess\./, 'touches process'],
  [/\bfetch\s*\(/, 'fetches'],
];
const SANS_IO = ['src/core', 'src/sim', 'src/trace'];

// Layers: an entry file (`index.ts`, `node.ts`, ...) is its own layer; a
// folder is one (`drivers/<name>` each; `drivers` for the files shared by the
// drivers); core is split in three so that its own arrows point one way too.
const CORE = ['core', 'core/codec', 'core/errors.ts'];
const ARROWS = {
  'core/errors.ts': [],
  'core/codec': ['core/errors.ts'],
  core: ['core/codec', 'core/errors.ts'],
  trace: CORE,
  sim: CORE,
  api: ['trace', ...CORE],
  drivers: CORE,
  'drivers/node': ['drivers', 'api', 'trace', ...CORE],
  'drivers/doh': ['drivers', 'api', 'trace', ...CORE],
  'drivers/sim': ['drivers', 'api', 'trace', 'sim', ...CORE],
  'index.ts': CORE,
  'codec.ts': ['core/codec'],
  'trace.ts': ['trace'],
  'node.ts': ['drivers/node', 'api', ...CORE],
  'node-promises.ts': ['drivers/node'],
  'doh.ts': ['drivers/doh', 'api', ...CORE],
  'sim.ts': ['sim', 'drivers/sim'],
  'dnssec.ts': ['api', ...CORE],
  cli: ['index.ts', 'codec.ts', 'trace.ts', 'node.ts', 'doh.ts', 'sim.ts', 'dnssec.ts'],
};

// Arrows no edit of ARROWS may allow (ARCHITECTURE.md, "never").
const NEVER = [
  [(a) => a.startsWith('core'), (b) => !b.startsWith('core'), 'core -> outside core'],
  [(a) => a === 'sim', (b) => /^(api|drivers|trace)/.test(b), 'sim -> api, drivers or trace'],
  [(a) => a === 'trace', (b) => !b.startsWith('core'), 'trace -> anything but core'],
  [(a) => a === 'api', (b) => /^(drivers|sim)/.test(b), 'api -> drivers or sim'],
  [() => true, (b) => b === 'cli', 'anything -> cli'],
  [(a) => a === 'drivers/node', (b) => b === 'drivers/doh', 'drivers/node -> drivers/doh'],
  [(a) => a === 'drivers/doh', (b) => b === 'drivers/node', 'drivers/doh -> drivers/node'],
  [(a) => a === 'core/codec', (b) => b === 'core', 'core/codec -> core (only core/errors.ts)'],
];

// File cycles tolerated: none (core/settings.ts ended the last one, options.ts <-> policy.ts).
const KNOWN_CYCLES = [];

function files(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(files(p));
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function stripComments(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** The layer of a file, by its path under src/. */
function layerOf(rel) {
  const parts = rel.split('/');
  if (parts.length === 1) return rel;
  if (parts[0] === 'core') return rel === 'core/errors.ts' ? rel : parts[1] === 'codec' ? 'core/codec' : 'core';
  if (parts[0] === 'drivers') return parts.length === 2 ? 'drivers' : `drivers/${parts[1]}`;
  return parts[0];
}

/** Relative specifiers of every import, export-from, side-effect import and `import('...')` type in `text`, with line numbers. */
function importsOf(text) {
  const out = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.[^'"]*)\1/g;
  for (const m of text.matchAll(re)) out.push({ spec: m[2], line: text.slice(0, m.index).split('\n').length });
  return out;
}

function resolveSpec(from, spec) {
  let target = resolve(dirname(from), spec).replace(/\.js$/, '.ts');
  if (!existsSync(target) && existsSync(join(target.replace(/\.ts$/, ''), 'index.ts'))) target = join(target.replace(/\.ts$/, ''), 'index.ts');
  return target;
}

/** Strongly connected components of more than one node (Tarjan), each sorted. */
function cycles(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const out = [];
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1) out.push(scc.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

const problems = [];

// The table itself may not allow a forbidden arrow.
for (const [from, targets] of Object.entries(ARROWS)) {
  for (const to of targets) {
    for (const [a, b, why] of NEVER) if (a(from) && b(to)) problems.push(`scripts/lint-core.mjs: ARROWS allows ${from} -> ${to}, which is never allowed (${why})`);
  }
}

const all = files(SRC);
const graph = new Map();
for (const file of all) {
  const rel = relative(SRC, file);
  const text = stripComments(readFileSync(file, 'utf8'));
  if (SANS_IO.some((root) => file.startsWith(resolve(root) + '/'))) {
    text.split('\n').forEach((line, i) => {
      for (const [re, why] of RULES) if (re.test(line)) problems.push(`src/${rel}:${i + 1}: ${why}: ${line.trim()}`);
      if (/['"](dns-packet|buffer)['"]/.test(line)) problems.push(`src/${rel}:${i + 1}: imports dns-packet or buffer (the codec is src/core/codec)`);
    });
  }
  const from = layerOf(rel);
  const allowed = ARROWS[from];
  if (allowed === undefined) problems.push(`src/${rel}: layer ${from} has no row in the arrow table (scripts/lint-core.mjs, ARCHITECTURE.md)`);
  const edges = new Set();
  for (const { spec, line } of importsOf(text)) {
    const target = resolveSpec(file, spec);
    if (!existsSync(target)) continue; // tsc reports it
    const toRel = relative(SRC, target);
    if (toRel.startsWith('..')) {
      problems.push(`src/${rel}:${line}: imports ${spec}, outside src/`);
      continue;
    }
    edges.add(toRel);
    const to = layerOf(toRel);
    if (to !== from && allowed !== undefined && !allowed.includes(to)) {
      problems.push(`src/${rel}:${line}: ${from} -> ${to} is not an allowed arrow (imports ${spec}; allowed from ${from}: ${allowed.join(', ') || 'nothing'})`);
    }
  }
  graph.set(rel, edges);
}

const known = new Set(KNOWN_CYCLES.map((c) => [...c].sort().join(' ')));
for (const scc of cycles(graph)) {
  if (known.has(scc.join(' '))) continue;
  problems.push(`import cycle between files: ${scc.map((f) => `src/${f}`).join(' <-> ')}`);
}

if (problems.length > 0) {
  console.error(`lint: ${problems.length} problem(s)\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`lint: ${SANS_IO.join(', ')} are sans-IO; ${all.length} files of src/ import along the arrows, with no cycle between files`);
