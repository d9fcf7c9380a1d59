/**
 * loop.ts: the waiting queries live in the platform's table when it gives one
 * (`Platform.handleTable`; the Node driver gives a `HandleTable`, issue 13),
 * else in a `Map`; the answers are the same, and a settled query leaves
 * nothing in the table.
 */
import { describe, expect, it } from 'vitest';
import type packet from 'dns-packet';
import { PromiseResolver } from '../../../src/api/promise-resolver.js';
import type { HandleMap } from '../../../src/api/loop.js';
import { serversFromNode } from '../../../src/api/servers.js';
import { recordingCore } from '../../../src/trace/recorder.js';
import { HandleTable } from '../../../src/core/handle-table.js';
import { FakeTransport, qname } from './fake-transport.js';

class TableTransport extends FakeTransport {
  readonly tables: HandleTable<unknown>[] = [];
  handleTable<T>(): HandleMap<T> {
    const table = new HandleTable<T>();
    this.tables.push(table as HandleTable<unknown>);
    return table;
  }
}

let seed = 5;
const random = (b: Uint8Array): void => {
  for (let i = 0; i < b.length; i++) b[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
};

/** 300 queries answered in reverse order of sending, in three rounds; the answers, and the transport. */
async function run(withTable: boolean): Promise<{ answers: string[][]; t: FakeTransport }> {
  let t!: FakeTransport;
  const r = new PromiseResolver({ cache: false, coalesce: false }, () => (t = withTable ? new TableTransport() : new FakeTransport()), random, ['192.0.2.1'], serversFromNode, recordingCore);
  const answers: string[][] = [];
  for (let round = 0; round < 3; round++) {
    const calls = Array.from({ length: 100 }, (_, i) => r.resolve4(`h${round * 100 + i}.example`));
    for (const sent of [...t.sent].reverse()) {
      const n = Number(/^h(\d+)\./.exec(qname(sent))?.[1]);
      t.answer(sent, (q) => ({ answers: [{ name: q.questions?.[0]?.name ?? '', type: 'A', ttl: 60, class: 'IN', data: `192.0.2.${n % 250}` } as packet.Answer] }));
    }
    t.sent = [];
    answers.push(...(await Promise.all(calls)));
  }
  r.close();
  return { answers, t };
}

describe('CoreLoop waiting table', () => {
  it('settles every query through the platform table, as through a Map, and the table ends empty', async () => {
    const viaTable = await run(true);
    const viaMap = await run(false);
    expect(viaTable.answers).toEqual(viaMap.answers);
    expect(viaTable.answers[123]).toEqual(['192.0.2.123']);
    const tables = (viaTable.t as TableTransport).tables;
    expect(tables).toHaveLength(1);
    expect(tables[0]?.size).toBe(0);
    expect(tables[0]?.list()).toEqual([]);
  });
});
