/**
 * `ADDRCONFIG` as glibc's getaddrinfo applies it: a family the host has no
 * non-loopback address of is not asked, except that an unspecified family on
 * a host with loopback alone (a container, a network namespace, CI) asks both
 * (Node's `net.connect` passes `ADDRCONFIG` by default, so this decides
 * whether `http.get` works there at all).
 */
import { describe, expect, it } from 'vitest';
import { PromiseResolver } from '../../../src/api/promise-resolver.js';
import { createLookup, type LookupContext } from '../../../src/api/lookup.js';
import { LINUX_HINTS } from '../../../src/api/lookup-args.js';
import { recordingCore } from '../../../src/trace/recorder.js';
import { serversFromNode } from '../../../src/api/servers.js';
import { FakeTransport } from './fake-transport.js';
import { decodeMessage } from '../../../src/core/codec/index.js';

const random = (b: Uint8Array): void => void b.fill(7);

/** A lookup on a host with the given families, and the types its queries asked. */
function lookupOn(families: { v4: boolean; v6: boolean }) {
  let t!: FakeTransport;
  const r = new PromiseResolver({ cache: false, coalesce: false }, () => (t = new FakeTransport()), random, ['192.0.2.1'], serversFromNode, recordingCore);
  const ctx: LookupContext = { resolver: r, hosts: () => new Map(), families: () => families };
  const lookup = createLookup(() => ctx);
  const call = (family: number) => new Promise<unknown[]>((resolve) => {
    lookup('web.test', { family, hints: LINUX_HINTS.ADDRCONFIG, all: true }, (...args: unknown[]) => resolve(args));
  });
  const asked = async (): Promise<string[]> => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    return t.sent.map((x) => {
      const d = decodeMessage(x.data);
      return d.ok && d.message.questions[0]?.type === 28 ? 'AAAA' : 'A';
    });
  };
  return { r, t: () => t, call, asked };
}

describe('lookup with ADDRCONFIG', () => {
  it('asks only the configured family, both when both are, and both on a loopback-only host', async () => {
    for (const [families, want] of [
      [{ v4: true, v6: false }, ['A']],
      [{ v4: false, v6: true }, ['AAAA']],
      [{ v4: true, v6: true }, ['A', 'AAAA']],
      [{ v4: false, v6: false }, ['A', 'AAAA']],
    ] as const) {
      const l = lookupOn(families);
      void l.call(0);
      expect((await l.asked()).sort(), JSON.stringify(families)).toEqual(want);
      l.r.close();
    }
  });

  it('answers a family asked for explicitly but not configured with ENOTFOUND, sending nothing (EAI_NONAME)', async () => {
    const l = lookupOn({ v4: false, v6: false });
    const [error] = await l.call(4);
    expect(error).toMatchObject({ code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'web.test' });
    expect(await l.asked()).toEqual([]);
    l.r.close();
  });
});
