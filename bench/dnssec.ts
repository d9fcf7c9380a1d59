/**
 * DNSSEC validation cost (issue 16).
 *
 *   npm run bench -- dnssec        or   node --import tsx bench/dnssec.ts
 *
 * 1. One signature verification per algorithm: the pure-JavaScript verifier
 *    (`nobleVerifier`: RSA with BigInt, @noble/curves) against the native one
 *    (`nodeVerifier`: node:crypto/OpenSSL), same keys and data.
 * 2. Resolution in the simulator (a signed root, `test`, `example.test` with
 *    ECDSA P-256 below an Ed25519 root), CPU per answer and datagrams sent
 *    per answer: the plain core with DO set (the baseline), then the
 *    validating resolver with a warm chain (the chain proved once, then
 *    2,000 other names under it) and with a cold chain (a fresh resolver
 *    for each name, 100 of them), each with both verifiers.
 * Everything is measured in this one run; only the ratios travel.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { nobleVerifier } from '../src/core/dnssec/noble-verifier.js';
import type { SignatureVerifier } from '../src/core/dnssec/verifier.js';
import { nodeVerifier } from '../src/drivers/node/dnssec-verifier.js';
import { Prng } from '../src/sim/prng.js';
import { Simulation } from '../src/sim/simulation.js';
import { makeKey, signBytes, type SimAlgorithm } from '../src/sim/dnssec/keys.js';
import { EPOCH, signedHierarchy, type Hierarchy } from '../src/sim/dnssec/hierarchy.js';
import { ValidatingSimulation } from '../src/sim/dnssec/validating-simulation.js';

const WARM = 2000;
const COLD = 100;

interface Case { name: string; algorithm: number; key: Uint8Array; data: Uint8Array; sig: Uint8Array }

function rsaCase(bits: number, algorithm: 8 | 10): Case {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 65537 });
  const jwk = publicKey.export({ format: 'jwk' });
  const e = Buffer.from(jwk.e as string, 'base64url');
  const n = Buffer.from(jwk.n as string, 'base64url');
  const key = Buffer.concat([Buffer.from([e.length]), e, n]);
  const data = new Uint8Array(300).fill(7);
  const sig = sign(algorithm === 8 ? 'sha256' : 'sha512', data, privateKey);
  return { name: `RSA${algorithm === 8 ? 'SHA256' : 'SHA512'} ${bits}`, algorithm, key: new Uint8Array(key), data, sig: new Uint8Array(sig) };
}

function curveCase(algorithm: SimAlgorithm, name: string): Case {
  const k = makeKey('bench', algorithm, 257, new Prng(algorithm));
  const data = new Uint8Array(300).fill(9);
  return { name, algorithm, key: k.publicKey, data, sig: signBytes(k, data) };
}

function perOp(n: number, f: () => boolean): number {
  for (let i = 0; i < Math.min(50, n); i++) f();
  const t0 = process.hrtime.bigint();
  let ok = 0;
  for (let i = 0; i < n; i++) if (f()) ok++;
  const us = Number(process.hrtime.bigint() - t0) / 1000 / n;
  if (ok !== n) throw new Error('a benchmark signature did not verify');
  return us;
}

function verifiers(): void {
  const cases = [rsaCase(2048, 8), rsaCase(4096, 8), rsaCase(2048, 10), curveCase(13, 'ECDSAP256SHA256'), curveCase(14, 'ECDSAP384SHA384'), curveCase(15, 'ED25519'), curveCase(16, 'ED448')];
  const noble = nobleVerifier();
  const node = nodeVerifier();
  console.log('verification of one signature (µs): noble | node:crypto | noble/node');
  for (const c of cases) {
    const n = c.algorithm === 16 || c.algorithm === 14 ? 100 : 300;
    const a = perOp(n, () => noble.verify(c.algorithm, c.key, c.data, c.sig));
    const b = perOp(n * 4, () => node.verify(c.algorithm, c.key, c.data, c.sig));
    console.log(`  ${c.name.padEnd(18)} ${a.toFixed(1).padStart(8)} | ${b.toFixed(1).padStart(8)} | ${(a / b).toFixed(1)}×`);
  }
  void ed25519;
}

function cpu(f: () => void): number {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

interface Row { label: string; msPer: number; sentPer: number }

function plain(h: Hierarchy, names: readonly string[], fresh: boolean): Row {
  let sent = 0;
  let sim: Simulation | undefined;
  const ms = cpu(() => {
    for (const name of names) {
      if (fresh || sim === undefined) sim = new Simulation({ seed: 1, servers: [h.server], resolver: { deadline: 10_000 } });
      sim.query(name, 'A', { dnssecOk: true, checkingDisabled: true });
      sim.run();
    }
  });
  sent = (sim as Simulation).resolver.stats.datagramsSent;
  return { label: `no validation${fresh ? ', fresh core each' : ''}`, msPer: ms / names.length, sentPer: fresh ? sent : sent / names.length };
}

function validated(h: Hierarchy, names: readonly string[], fresh: boolean, verifier: SignatureVerifier, label: string): Row {
  let sent = 0;
  let secure = 0;
  let sim: ValidatingSimulation | undefined;
  const warmUp = (): ValidatingSimulation => {
    const s = new ValidatingSimulation({ seed: 1, epoch: EPOCH, servers: [h.server], resolver: { trustAnchors: h.anchor, verifier, deadline: 10_000 } });
    if (!fresh) {
      s.query('www.example.test');
      s.run();
    }
    return s;
  };
  if (!fresh) sim = warmUp();
  const before = sim?.resolver.stats.datagramsSent ?? 0;
  const ms = cpu(() => {
    for (const name of names) {
      if (fresh) sim = warmUp();
      const s = sim as ValidatingSimulation;
      s.query(name);
      s.run();
      if (fresh) {
        sent += s.resolver.stats.datagramsSent;
        secure += s.resolver.validation.secure;
      }
    }
  });
  if (!fresh) {
    sent = (sim as ValidatingSimulation).resolver.stats.datagramsSent - before;
    secure = (sim as ValidatingSimulation).resolver.validation.secure - 1;
  }
  if (secure !== names.length) throw new Error(`${label}: ${secure} of ${names.length} answers secure`);
  return { label, msPer: ms / names.length, sentPer: sent / names.length };
}

export async function run(): Promise<void> {
  verifiers();
  const t0 = performance.now();
  const h = signedHierarchy(16, { hosts: WARM });
  console.log(`\nsigned hierarchy with ${WARM} hosts built in ${Math.round(performance.now() - t0)} ms (not measured below)`);
  const warmNames = Array.from({ length: WARM }, (_, i) => `host-${i}.example.test`);
  const coldNames = warmNames.slice(0, COLD);
  const base = plain(h, warmNames, false);
  const baseCold = plain(h, coldNames, true);
  const rows = [
    base,
    validated(h, warmNames, false, nobleVerifier(), 'validating, warm chain, noble'),
    validated(h, warmNames, false, nodeVerifier(), 'validating, warm chain, node:crypto'),
    baseCold,
    validated(h, coldNames, true, nobleVerifier(), 'validating, cold chain, noble'),
    validated(h, coldNames, true, nodeVerifier(), 'validating, cold chain, node:crypto'),
  ];
  console.log('\nresolution in the simulator, per answer: CPU ms | datagrams sent | CPU vs the same resolution without validation');
  for (const r of rows) {
    const ref = r.label.includes('cold') || r.label.includes('fresh') ? baseCold : base;
    console.log(`  ${r.label.padEnd(38)} ${r.msPer.toFixed(3).padStart(7)} | ${r.sentPer.toFixed(2).padStart(5)} | ${(r.msPer / ref.msPer).toFixed(2)}×`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
