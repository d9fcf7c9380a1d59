/**
 * Coalescing: an identical question asked while one is in flight follows
 * that query (its leader) instead of sending. These are the two moves of
 * followers that the machine (`machine.ts`) makes when a leader ends: they
 * share its outcome (`takeFollowers`), or, when the leader itself ends
 * (cancelled, past its deadline), the first of them takes the resolution
 * over (`handOver`).
 */
import type { Query } from './query.js';
import type { TimerHeap } from './timer-heap.js';

/** No followers: one shared empty list, never written (a query without followers allocates none, issue 13). */
export const NONE: readonly Query[] = [];

/** The followers of `leader`, taken off it: they share its outcome, and are `done` with it. */
export function takeFollowers(leader: Query): readonly Query[] {
  const list = leader.followers ?? NONE;
  leader.followers = undefined;
  for (let i = 0; i < list.length; i++) (list[i] as Query).phase = 'done';
  return list;
}

/**
 * `leader` ends on its own (cancelled, or past its deadline): its first follower, if any, takes
 * the resolution over (plan, live attempts, failed servers, datagram count, phase) and leads the
 * others in `leaders`; it keeps its own question, wire, handle and deadline.
 */
export function handOver(leader: Query, leaders: Map<string, Query>, heap: TimerHeap): void {
  const list = leader.followers;
  const heir = list?.shift();
  if (heir === undefined) return;
  heir.phase = leader.phase;
  heir.followers = (list as Query[]).length > 0 ? list : undefined;
  leader.followers = undefined;
  heir.cursor = leader.cursor;
  heir.planned = leader.planned;
  heir.failed = leader.failed;
  heir.failedCount = leader.failedCount;
  heir.live = leader.live;
  heir.current = leader.current;
  heir.giveUpAt = leader.giveUpAt;
  heir.sent = leader.sent;
  heir.lastError = leader.lastError;
  for (let a = heir.live; a !== undefined; a = a.nextLive) a.query = heir;
  leader.live = undefined;
  leader.current = undefined;
  leaders.set(heir.key, heir);
  // The leader's window may have been cut to its own deadline: an heir with no step left only waits for its own.
  if (heir.planned >= heir.budget && heir.phase === 'sending') {
    heir.phase = 'exhausted';
    heir.current = undefined;
    heir.giveUpAt = undefined;
  }
  // The heir's timer is its deadline; move it only when a give-up comes first (equal deadlines keep their order).
  if (heir.giveUpAt !== undefined && heir.giveUpAt < heir.deadline) heap.set(heir.slot, heir.giveUpAt);
}
