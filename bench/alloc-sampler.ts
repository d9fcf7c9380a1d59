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
 */
import { Session } from 'node:inspector';

const INTERVAL = 16;

interface SamplingProfile { samples: { size: number }[] }

/** Objects and bytes allocated by `body`, estimated from V8's heap sampling (see the file's comment). */
export async function countAllocations(body: () => Promise<unknown>): Promise<{ objects: number; bytes: number }> {
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
    let objects = 0;
    let bytes = 0;
    for (const s of profile.samples) {
      const p = 1 - Math.exp(-s.size / INTERVAL);
      objects += 1 / p;
      bytes += s.size / p;
    }
    return { objects, bytes };
  } finally {
    session.disconnect();
  }
}
