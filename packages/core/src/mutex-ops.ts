import { DeadboltError } from './errors/deadbolt-error.js';
import type { HoldOps } from './hold-ops.js';
import type { LockBackend } from './lock-backend.js';
import { type LockKeys, wakeChannel } from './lock-keys.js';

/** Where this `Locks` stands in waiter queues. */
export interface QueueIdentity {
  /** Random id of this `Locks`: one queue entry per process and name. */
  readonly processId: string;
  /** Lease of a queue entry in ms. */
  readonly lease: number;
}

/**
 * A mutex on one name. On a backend with a waiter queue, a release wakes one waiting process
 * on its own channel; otherwise (redlock) releases are broadcast on the lock's channel.
 */
export function mutexOps(backend: LockBackend, keys: LockKeys, identity: QueueIdentity): HoldOps {
  const queue = backend.queue;
  if (queue === undefined) {
    return {
      name: keys.name,
      key: keys.key,
      channel: keys.channel,
      acquire: (token, ttl, attempt) => {
        if (attempt.fair) {
          return Promise.reject(
            new DeadboltError('fair mode needs a waiter queue, which this Locks does not keep', {
              code: 'UNSUPPORTED',
            }),
          );
        }
        return backend.acquire(keys, token, ttl);
      },
      release: (token) => backend.release(keys, token),
      extend: (token, ttl) => backend.extend(keys, token, ttl),
    };
  }
  const { processId, lease } = identity;
  return {
    name: keys.name,
    key: keys.key,
    channel: wakeChannel(keys, processId),
    acquire: (token, ttl, attempt) =>
      // An attempt that leaves the queue alone whatever its outcome runs the plain script:
      // the same steps, without the queue's key and arguments.
      attempt.fair || attempt.waiting || attempt.othersWaiting || attempt.queued
        ? queue.acquire(keys, token, ttl, {
            processId,
            lease,
            fair: attempt.fair,
            join: attempt.waiting,
            othersWaiting: attempt.othersWaiting,
            queued: attempt.queued,
          })
        : backend.acquire(keys, token, ttl),
    release: (token) => queue.release(keys, token),
    cancel: (token, ttl) => queue.cancel(keys, token, ttl),
    extend: (token, ttl) => backend.extend(keys, token, ttl),
    queue: {
      renewEvery: Math.max(10, Math.floor(lease / 3)),
      renew: () => queue.renew(keys, processId, lease),
      leave: () => queue.leave(keys, processId),
    },
  };
}
