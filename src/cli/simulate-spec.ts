/**
 * The `--simulate` argument: `loss=0.3,latency=20,seed=7` (any subset, any
 * order). A pure parser; the simulated world is built in `simulate.ts`.
 */
import { UsageError } from './usage-error.js';

/** The simulated network: one-way latency and jitter in ms, shares in [0, 1], and the seed of everything. */
export interface SimulateSpec {
  readonly seed: number;
  readonly loss: number;
  readonly latency: number;
  readonly jitter: number;
  readonly duplicate: number;
  readonly reorder: number;
}

/** What `--simulate ''` means. */
export const SIMULATE_DEFAULTS: SimulateSpec = Object.freeze({ seed: 1, loss: 0, latency: 10, jitter: 0, duplicate: 0, reorder: 0 });

type Key = keyof SimulateSpec;
const LIMITS: Readonly<Record<Key, { min: number; max: number; integer: boolean }>> = {
  seed: { min: 0, max: 2 ** 32 - 1, integer: true },
  loss: { min: 0, max: 1, integer: false },
  latency: { min: 0, max: 60_000, integer: false },
  jitter: { min: 0, max: 60_000, integer: false },
  duplicate: { min: 0, max: 1, integer: false },
  reorder: { min: 0, max: 1, integer: false },
};

function isKey(k: string): k is Key {
  return Object.hasOwn(LIMITS, k);
}

/** Parse `key=value,...`. Throws a {@link UsageError} (`bad-value`) naming the bad part. */
export function parseSimulateSpec(text: string): SimulateSpec {
  const spec: Record<Key, number> = { ...SIMULATE_DEFAULTS };
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq).trim();
    if (!isKey(key)) {
      throw new UsageError('bad-value', `--simulate: unknown setting "${key}" (known: ${Object.keys(LIMITS).join(', ')})`);
    }
    const raw = eq < 0 ? '' : item.slice(eq + 1).trim();
    const n = Number(raw);
    const { min, max, integer } = LIMITS[key];
    if (raw === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      const kind = integer ? 'an integer' : 'a number';
      throw new UsageError('bad-value', `--simulate: ${key} must be ${kind} in ${min}..${max}, got "${raw}"`);
    }
    spec[key] = n;
  }
  return spec;
}
