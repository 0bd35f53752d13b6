export { acquireScript } from './acquire-script.js';
export type { RetryOptions } from './backoff.js';
export { backoffDelay } from './backoff.js';
export { cancelScript } from './cancel-script.js';
export { createLocks, createLocksOn, type LockInfo, type Locks } from './create-locks.js';
export { DeadboltError, type DeadboltErrorCode } from './errors/deadbolt-error.js';
export { LockLostError, type LockLostReason } from './errors/lock-lost-error.js';
export { LockTimeoutError } from './errors/lock-timeout-error.js';
export {
  type NodeOutcome,
  type NodeReport,
  QuorumError,
} from './errors/quorum-error.js';
export type { LockEvent, LockEventListener, LockEventType } from './events.js';
export { extendScript } from './extend-script.js';
export { inspectScript } from './inspect-script.js';
export { type Lock, REPLY_GRACE_MS } from './lock.js';
export type {
  AcquireReply,
  ExtendReply,
  InspectReply,
  LockBackend,
  QueueAttempt,
  WaiterQueue,
} from './lock-backend.js';
export { type LockKeys, lockKeys, wakeChannel } from './lock-keys.js';
export {
  multiplexSubscriptions,
  type SubscriberConnection,
  type SubscriberEvents,
} from './multiplex-subscriptions.js';
export { normaliseReply } from './normalise-reply.js';
export {
  type AcquireOptions,
  type LocksOptions,
  type ResolvedLocksOptions,
  resolveLocksOptions,
  type TryAcquireOptions,
} from './options.js';
export type { ReadWriteLock } from './read-write/read-write-lock.js';
export { WRITER_LEASE_MS } from './read-write/read-write-lock.js';
export type { RedisLikeClient, RedisReply } from './redis-like-client.js';
export { releaseScript } from './release-script.js';
export { defineScript, isNoScript, runScript, type Script } from './script.js';
export { acquireReply, integerPair, unexpectedReply } from './script-replies.js';
export type { Semaphore, SemaphoreOptions } from './semaphore/semaphore.js';
export { SingleNodeBackend } from './single-node-backend.js';
export { validityLeft } from './validity.js';
export { queueLeaveScript } from './waiter-queue/queue-leave-script.js';
export { queueRenewScript } from './waiter-queue/queue-renew-script.js';
export { queuedAcquireScript } from './waiter-queue/queued-acquire-script.js';
export { queuedReleaseScript } from './waiter-queue/queued-release-script.js';
