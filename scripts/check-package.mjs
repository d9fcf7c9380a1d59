#!/usr/bin/env node
/**
 * `npm run check:package`: is the package as published usable?
 *
 * 1. build (`tsup`);
 * 2. `publint` on the package: no errors, warnings or suggestions;
 * 3. `npm pack` into a temp dir, and `attw` (Are the Types Wrong?) on the
 *    tarball with the `esm-only` profile (the package ships ESM only, so
 *    node10 and CommonJS type resolution are not asked for);
 * 4. install the tarball into a fresh project (no network: no runtime
 *    dependencies) and there:
 *    - `import` every entry point in plain Node ESM and check its exports;
 *    - `require` every entry point from CommonJS: `engines` allows only
 *      Node versions with require(esm) unflagged (^20.19.0 || >=22.12.0),
 *      so this must work on every one (the package ships no CJS build: one
 *      copy of the module state, as node:dns has one);
 *    - run the `sansdns` bin from node_modules/.bin.
 *
 * Prints one line per check; exits 1 if any failed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const failures = [];

function check(label, fn) {
  try {
    const note = fn();
    console.log(`ok    ${label}${note ? ` (${note})` : ''}`);
  } catch (error) {
    failures.push(label);
    console.log(`FAIL  ${label}\n${String(error.message ?? error).replace(/^/gm, '      ')}`);
  }
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}${r.stderr}`.trim());
  return r.stdout;
}

/** Entry points and a few exports each must have. */
const ENTRIES = {
  sansdns: ['Resolver', 'DnsError', 'isDnsError', 'snapshot', 'parseServer'],
  'sansdns/codec': ['decodeMessage', 'encodeQuery', 'encodeMessage', 'parseName', 'toHex', 'dohGetUrl', 'DNS_MESSAGE'],
  'sansdns/trace': ['TracedResolver', 'recordingCore', 'replayTrace', 'replayOutputs', 'fromJsonLines'],
  'sansdns/node': ['NodeResolver', 'Resolver', 'promises', 'lookup', 'lookupService', 'resolve4', 'setServers', 'install', 'uninstall', 'NODATA', 'ADDRCONFIG', 'default', 'createDohServer', 'reverseName'],
  'sansdns/node/promises': ['Resolver', 'lookup', 'resolve4', 'setServers', 'NODATA', 'default'],
  'sansdns/sim': ['SimResolver', 'Simulation', 'ZoneServer', 'parseZoneFile', 'Prng'],
  'sansdns/doh': ['DohResolver', 'FetchTransport'],
  'sansdns/dnssec': ['ValidatingResolver', 'validatingCore', 'nobleVerifier', 'ROOT_ANCHORS', 'extendedErrors'],
};

/** Whether this Node has require(esm) without a flag: every version `engines` allows (^20.19.0 || >=22.12.0) has. */
function requireEsmSupported() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 23;
}

const work = mkdtempSync(join(tmpdir(), 'sansdns-check-package-'));
try {
  check('build (tsup)', () => void run(bin('tsup'), [], { cwd: root }));
  check('publint', () => {
    const out = run(bin('publint'), ['--strict'], { cwd: root });
    if (!/All good!/.test(out)) throw new Error(out);
  });

  let tarball = '';
  check('npm pack', () => {
    run('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root });
    const file = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (file === undefined) throw new Error('no tarball');
    tarball = join(work, file);
    return file;
  });

  check('attw --profile esm-only', () => void run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii']));

  const project = join(work, 'project');
  check('install the tarball into a fresh project', () => {
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    run('npm', ['install', '--silent', '--no-audit', '--no-fund', '--offline', '--ignore-scripts', tarball], { cwd: project });
  });

  for (const [entry, names] of Object.entries(ENTRIES)) {
    check(`import '${entry}' (ESM)`, () => {
      const code = `const m = await import(${JSON.stringify(entry)}); const missing = ${JSON.stringify(names)}.filter((n) => !(n in m));`
        + ' if (missing.length) { console.error("missing exports: " + missing.join(", ")); process.exit(1); }';
      run(process.execPath, ['--input-type=module', '-e', code], { cwd: project });
    });
    if (requireEsmSupported()) {
      check(`require('${entry}') (CommonJS, require(esm) on Node ${process.versions.node})`, () => {
        const code = `const m = require(${JSON.stringify(entry)}); const missing = ${JSON.stringify(names)}.filter((n) => !(n in m));`
          + ' if (missing.length) { console.error("missing exports: " + missing.join(", ")); process.exit(1); }';
        run(process.execPath, ['--input-type=commonjs', '-e', code], { cwd: project });
      });
    } else {
      failures.push(`require('${entry}')`);
      console.log(`FAIL  require('${entry}'): Node ${process.versions.node} is outside engines (no require(esm))`);
    }
  }

  check('bin: sansdns --simulate answers from node_modules/.bin', () => {
    const out = run(join(project, 'node_modules', '.bin', 'sansdns'), ['--simulate', 'seed=1', '--json', 'www.sansdns.test'], { cwd: project });
    const o = JSON.parse(out);
    if (o.rcode !== 'NOERROR' || o.answers[0]?.data !== '192.0.2.10') throw new Error(out);
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.log(`\n${failures.length} check(s) failed: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('\nthe package is clean');
