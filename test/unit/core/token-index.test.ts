/** token-index.ts: the DoH core's whole index (by -token) and its bounded memory of finished keys. */
import { describe, expect, it } from 'vitest';
import { TokenIndex } from '../../../src/core/token-index.js';
import { Resolver, ResolverCore } from '../../../src/core/resolver.js';
import type { Attempt } from '../../../src/core/query.js';

function attempt(key: number): Attempt {
  return { key, next: undefined } as unknown as Attempt;
}

describe('TokenIndex', () => {
  it('chains attempts under a token key and unlinks any of them', () => {
    const index = new TokenIndex(4);
    const [a, b] = [attempt(-7), attempt(-7)];
    index.add(a);
    index.add(b);
    expect(index.get(-7)).toBe(b);
    expect(b.next).toBe(a);
    index.retire(b);
    expect(index.get(-7)).toBe(a);
    expect(a.prev).toBeUndefined();
    index.retire(a);
    expect(index.has(-7)).toBe(false);
    expect(index.size).toBe(0);
    expect(index.isRecent(-7)).toBe(true);
  });

  it('remembers at most recentLimit finished keys, oldest out first', () => {
    const index = new TokenIndex(2);
    for (const key of [-1, -2, -3]) {
      const a = attempt(key);
      index.add(a);
      index.retire(a);
    }
    expect(index.recentSize).toBe(2);
    expect([-1, -2, -3].map((k) => index.isRecent(k))).toEqual([false, true, true]);
    const none = new TokenIndex(0);
    const a = attempt(-1);
    none.add(a);
    none.retire(a);
    expect(none.isRecent(-1)).toBe(false);
  });

  it('is the index of a core without the udp policy; Resolver gets the AttemptIndex', () => {
    const random = (b: Uint8Array) => b.fill(1);
    const doh = new ResolverCore({ servers: [{ url: 'https://d.example/dns-query', transport: 'doh' }], random });
    const udp = new Resolver({ servers: ['192.0.2.1'], random });
    const indexOf = (core: ResolverCore) => (core as unknown as { index: TokenIndex }).index;
    expect(indexOf(doh).constructor.name).toBe('TokenIndex');
    expect(indexOf(udp).constructor.name).toBe('AttemptIndex');
  });
});
