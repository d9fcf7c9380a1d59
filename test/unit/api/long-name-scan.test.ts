/**
 * A name longer than any DNS name is refused after one length check (issue 18): the drop-in's check of what
 * c-ares would send (`aresSends`, IDNA) must not scan it first, or a 200,000-character name costs 42 times a
 * short bad one (`npm run bench -- input-cost`). The cost is not asserted in time: the scan is spied on.
 */
import { describe, expect, it, vi } from 'vitest';

const scanned: number[] = [];
vi.mock('../../../src/api/node-text.js', async (original) => {
  const real = await original<typeof import('../../../src/api/node-text.js')>();
  return { ...real, aresSends: (name: string) => (scanned.push(name.length), real.aresSends(name)) };
});

const { PromiseResolver } = await import('../../../src/api/promise-resolver.js');
const { serversFromNode } = await import('../../../src/api/servers.js');
const { recordingCore } = await import('../../../src/trace/recorder.js');
const { MAX_NAME_TEXT } = await import('../../../src/core/codec/name.js');
const { FakeTransport } = await import('./fake-transport.js');

describe('a name longer than any DNS name', () => {
  it('is refused EBADNAME without being scanned for what c-ares would send', async () => {
    const r = new PromiseResolver({}, () => new FakeTransport(), (b: Uint8Array) => void b.fill(3), ['192.0.2.1'], serversFromNode, recordingCore);
    const pending = r.resolve4('ok.test').catch(() => undefined); // nobody answers: close() ends it
    expect(scanned).toEqual([7]); // the spy is in place
    for (const name of ['a'.repeat(200_000), 'ü'.repeat(50_000), `${'a'.repeat(MAX_NAME_TEXT)}b`]) {
      await expect(r.resolve4(name)).rejects.toMatchObject({ code: 'EBADNAME' });
      await expect(r.query(name, 'TXT')).rejects.toMatchObject({ code: 'EBADNAME' });
    }
    expect(scanned.filter((n) => n > MAX_NAME_TEXT)).toEqual([]);
    r.close();
    await pending;
  });
});
