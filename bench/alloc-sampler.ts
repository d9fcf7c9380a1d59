/**
 * Heap allocations of a stretch of code, counted by V8's sampling heap
 * profiler (the inspector's `HeapProfiler.startSampling`) with the objects
 * that minor and major GCs collected kept in the profile, so short-lived
 * garbage counts too. V8 samples an allocation of `size` bytes with
 * probability `1 - exp(-size / interval)`; each sample is weighted by the
 * inverse of that probability, which estimates the number of objects and
 * bytes allocated without bias. With a 16-byte interval almost every object
 * of a few words is sampled, so the estimate is close to an exact count.
 * The whole process is counted (the harness's own promises included).
 *
 * Each sample also names the stack that allocated it, so the count is split
 * by where the allocating function lives: `mine` counts the allocations of
 * functions whose script URL starts with a given prefix (the bench passes
 * this repository's `src/`). A builtin without a script (`Map.prototype.set`
 * growing its table, `Promise`, an iterator's `next`) counts for the nearest
 * caller that has one, so a Map our code grows counts as ours. V8 reports
 * the frame that physically ran: a function it inlined counts for its
 * caller, so a Node internal inlined into our code would count as ours
 * (never the other way round: `dgram`'s own send and receive are not ours).
 * `sites` splits the count by that frame (script URL and function name).
 */
import { Session } from 'node:inspector';

const INTERVAL = 16;

interface CallFrame { url: string; functionName: string }
interface ProfileNode { id: number; callFrame: CallFrame; children: ProfileNode[] }
interface SamplingProfile { head: ProfileNode; samples: { size: number; nodeId: number }[] }

/** Objects and bytes (estimated, see the file's comment). */
export interface Allocations { objects: number; bytes: number }

/** The frame each node's allocations count for: its own, else (a builtin) its nearest caller's with a script. */
function framesOf(head: ProfileNode): Map<number, CallFrame> {
  const out = new Map<number, CallFrame>();
  const walk = (node: ProfileNode, inherited: CallFrame): void => {
    const frame = node.callFrame.url !== '' ? node.callFrame : inherited;
    out.set(node.id, frame);
    for (const child of node.children) walk(child, frame);
  };
  walk(head, { url: '', functionName: '(native)' });
  return out;
}

/**
 * Objects and bytes allocated by `body`, estimated from V8's heap sampling,
 * in all and (`mine`) by functions whose script URL starts with `minePrefix`
 * (see the file's comment).
 */
export async function countAllocations(body: () => Promise<unknown>, minePrefix = '\0'): Promise<Allocations & { mine: Allocations; sites: Map<string, Allocations> }> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object): Promise<T> => new Promise((resolve, reject) => {
    session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result as T)));
  });
  try {
    await post('HeapProfiler.enable');
    await post('HeapProfiler.startSampling', {
      samplingInterval: INTERVAL, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true,
    });
    await body();
    const { profile } = await post<{ profile: SamplingProfile }>('HeapProfiler.stopSampling');
    const frames = framesOf(profile.head);
    const all = { objects: 0, bytes: 0 };
    const mine = { objects: 0, bytes: 0 };
    const sites = new Map<string, Allocations>();
    for (const s of profile.samples) {
      const p = 1 - Math.exp(-s.size / INTERVAL);
      all.objects += 1 / p;
      all.bytes += s.size / p;
      const frame = frames.get(s.nodeId);
      const key = `${frame?.url ?? ''} ${frame?.functionName || '(anonymous)'}`;
      const site = sites.get(key) ?? { objects: 0, bytes: 0 };
      site.objects += 1 / p;
      site.bytes += s.size / p;
      sites.set(key, site);
      if (!(frame?.url ?? '').startsWith(minePrefix)) continue;
      mine.objects += 1 / p;
      mine.bytes += s.size / p;
    }
    return { ...all, mine, sites };
  } finally {
    session.disconnect();
  }
}
