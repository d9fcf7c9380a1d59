#!/usr/bin/env node
// Fails when src/core (and src/sim, which is sans-IO too) reaches for I/O,
// a clock, randomness, timers, promises or the console, or imports
// dns-packet (our own validated codec in src/core/codec is the only wire
// codec; dns-packet is a dev dependency, the baseline of benches and tests).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

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

function files(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(files(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

function stripComments(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const problems = [];
for (const root of ['src/core', 'src/sim']) {
  let list;
  try { list = files(root); } catch { continue; }
  for (const file of list) {
    const rel = relative('.', file);
    const lines = stripComments(readFileSync(file, 'utf8')).split('\n');
    lines.forEach((line, i) => {
      for (const [re, why] of RULES) if (re.test(line)) problems.push(`${rel}:${i + 1}: ${why}: ${line.trim()}`);
      if (/['"](dns-packet|buffer)['"]/.test(line)) problems.push(`${rel}:${i + 1}: imports dns-packet or buffer (the codec is src/core/codec)`);
    });
  }
}
if (problems.length > 0) {
  console.error(`sans-IO lint: ${problems.length} problem(s)\n${problems.join('\n')}`);
  process.exit(1);
}
console.log('sans-IO lint: src/core and src/sim are clean');
