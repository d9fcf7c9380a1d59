/**
 * Coalescing of identical questions in flight: a query whose question (name
 * case-insensitively, type, class, DO and CD bits) is already being resolved
 * attaches to that query, its leader, and sends nothing. When the leader's
 * resolution ends with an answer or a failure, every follower gets its own
 * final event with that outcome. When the leader itself ends first (the
 * caller cancelled it, or its own deadline passed), its resolution (plan of
 * sends, live attempts, failed servers) moves to the first follower, which
 * leads from then on: cancelling or timing out one query never takes the
 * others' answer away. A follower keeps its own deadline and handle.
 */
import type { Query } from './attempts.js';

/** Attach `follower` to `leader`. */
export function join(leader: Query, follower: Query): void {
  follower.follower = true;
  (leader.followers ??= []).push(follower);
}

/** Take `follower` off its leader's list (it ended on its own). */
export function detach(leader: Query, follower: Query): void {
  const list = leader.followers as Query[];
  list.splice(list.indexOf(follower), 1);
  follower.follower = false;
}

/** The followers of `leader`, taken off it: they share its outcome. */
export function takeFollowers(leader: Query): Query[] {
  const list = leader.followers ?? [];
  leader.followers = undefined;
  for (const f of list) f.follower = false;
  return list;
}

/**
 * Move the resolution of `leader` (which is ending on its own) to its first
 * follower, and return that heir, or `undefined` when nobody follows. The
 * heir keeps its own question, wire and deadline; it takes over the plan,
 * the live attempts (re-pointed at it) and the datagram count.
 */
export function handOver(leader: Query): Query | undefined {
  const list = leader.followers;
  const heir = list?.shift();
  if (heir === undefined) return undefined;
  heir.follower = false;
  heir.followers = (list as Query[]).length > 0 ? list : undefined;
  leader.followers = undefined;
  heir.cursor = leader.cursor;
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
  return heir;
}
