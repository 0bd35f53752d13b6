import {
  createLocksOn,
  type Locks,
  type RedisLikeClient,
  resolveLocksOptions,
} from '@deadbolt/core';
import { checkClients } from './check-clients.js';
import { QuorumBackend } from './quorum-backend.js';
import { type RedlockOptions, resolveQuorumOptions } from './redlock-options.js';

/**
 * Largest random delay, in ms, between hearing a release and trying again (see
 * `quorumSubscribe`): enough to spread out attempts that would otherwise reach the nodes in
 * the same instant, small next to a handoff over the network. `retry.minDelay` lowers it.
 */
const MAX_WAKE_UP_JITTER = 10;

/**
 * Creates the lock API over several independent Redis nodes (the Redlock algorithm): a lock
 * is held when a quorum of nodes (by default a majority) granted it.
 *
 * The result is the same `Locks` as `createLocks` returns on one server: `acquire`,
 * `tryAcquire`, `withLock`, `isLocked`, `inspect`, `close`. What differs:
 * - every call goes to all nodes at once and is decided as soon as the quorum is won or lost,
 *   each node bounded by `nodeTimeout` (default 100 ms), so a stopped minority never slows a
 *   call down;
 * - when the quorum is lost to errors or timeouts (not to other owners), `acquire` rejects
 *   with a `QuorumError` listing each node's outcome, within about `nodeTimeout` instead of
 *   waiting for the whole `wait`; `lock.extend` and `lock.release` reject with core's
 *   `DeadboltError` of code `'REDIS_ERROR'` whose `cause` is that `QuorumError`;
 * - `lock.fence` is the largest fence among the nodes that granted the lock (see the README
 *   for what that does and does not guarantee).
 *
 * Semaphores and read/write locks are not available over a quorum yet.
 *
 * @param clients one {@link RedisLikeClient} per independent Redis server (not replicas of one
 *   another, not one Cluster); adapters may be mixed, e.g.
 *   `[fromIoredis(a), fromNodeRedis(b), fromSolidis(c)]`. Use an odd number: 3 or 5.
 * @param options the options of `createLocks` plus `quorum` and `nodeTimeout`
 *   (see {@link RedlockOptions}). Validated here: bad input throws a `TypeError` or
 *   `RangeError` naming the argument, before anything is sent to Redis.
 *
 * @example
 * const locks = createRedlock([fromIoredis(a), fromIoredis(b), fromNodeRedis(c)]);
 * await locks.withLock('payment:42', async (lock) => charge({ fence: lock.fence }));
 */
export function createRedlock(
  clients: readonly RedisLikeClient[],
  options?: RedlockOptions,
): Locks {
  const nodes = checkClients(clients);
  const resolved = resolveLocksOptions(options, ['quorum', 'nodeTimeout']);
  const { quorum, nodeTimeout } = resolveQuorumOptions(options, nodes.length);
  const backend = new QuorumBackend(nodes, {
    quorum,
    nodeTimeout,
    wakeUpJitter: Math.min(resolved.retry.minDelay, MAX_WAKE_UP_JITTER),
  });
  return createLocksOn(backend, resolved);
}
