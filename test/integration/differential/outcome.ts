/**
 * What a call did, in a form two implementations can be compared by: the
 * value (record sets in any order, since servers rotate them) or the error
 * (class, own keys, code, errno, syscall, hostname and message). TTLs of a
 * caching server drop between two calls, so they are compared with a slack
 * of a few seconds; everything else must be equal.
 */

/** The settled result of one call, or what it threw or rejected with. */
export type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: Record<string, unknown> };

/** Runs `call`, catching a synchronous throw as well as a rejection. */
export async function settle(call: () => unknown): Promise<Outcome> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error: error as Record<string, unknown> };
  }
}

/** An error as compared: everything Node's errors carry, minus `cause` and the stack. */
export interface ErrorShape {
  readonly class: string;
  readonly keys: string[];
  readonly code: unknown;
  readonly errno: unknown;
  readonly syscall: unknown;
  readonly hostname: unknown;
  readonly message: unknown;
}

export function errorShape(error: Record<string, unknown>): ErrorShape {
  const proto = Object.getPrototypeOf(error) as { constructor?: { name?: string } } | null;
  return {
    class: proto?.constructor?.name ?? typeof error,
    keys: Object.keys(error).filter((k) => k !== 'cause').sort(),
    code: error['code'], errno: error['errno'], syscall: error['syscall'], hostname: error['hostname'], message: error['message'],
  };
}

/** `value` with its `ttl` fields taken out (in walk order), and object keys sorted. */
function strip(value: unknown, ttls: number[]): unknown {
  if (Array.isArray(value)) return value.map((v) => strip(v, ttls));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (key === 'ttl' && typeof v === 'number') ttls.push(v);
    else out[key] = strip(v, ttls);
  }
  return out;
}

/** The order-free form of a value: arrays of records sorted, TTLs set aside (sorted by their record). */
export function canonical(value: unknown): { shape: unknown; ttls: number[] } {
  if (!Array.isArray(value)) {
    const ttls: number[] = [];
    return { shape: strip(value, ttls), ttls };
  }
  const items = value.map((v) => {
    const ttls: number[] = [];
    const shape = strip(v, ttls);
    return { key: JSON.stringify(shape), shape, ttls };
  });
  items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { shape: items.map((i) => i.shape), ttls: items.flatMap((i) => i.ttls) };
}

/** The comparable form of an outcome. */
export function comparable(o: Outcome): unknown {
  return o.ok ? { value: canonical(o.value).shape } : { error: errorShape(o.error) };
}

/**
 * Why two outcomes differ, or `undefined` when they agree. TTLs may differ by
 * at most `ttlSlack` seconds (0 for an authoritative server).
 */
export function difference(ours: Outcome, theirs: Outcome, ttlSlack: number): string | undefined {
  const a = JSON.stringify(comparable(ours));
  const b = JSON.stringify(comparable(theirs));
  if (a !== b) return `ours   ${a}\nnode's ${b}`;
  if (!ours.ok || !theirs.ok) return undefined;
  const ta = canonical(ours.value).ttls;
  const tb = canonical(theirs.value).ttls;
  if (ta.length !== tb.length || ta.some((t, i) => Math.abs(t - (tb[i] as number)) > ttlSlack)) {
    return `TTLs differ by more than ${ttlSlack} s: ours ${JSON.stringify(ta)}, node's ${JSON.stringify(tb)}`;
  }
  return undefined;
}
