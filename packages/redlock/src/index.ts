export {
  DeadboltError,
  type DeadboltErrorCode,
  type Lock,
  type LockEvent,
  type LockEventListener,
  type LockInfo,
  LockLostError,
  type LockLostReason,
  type Locks,
  LockTimeoutError,
  type NodeOutcome,
  type NodeReport,
  QuorumError,
  type RedisLikeClient,
  type RedisReply,
} from '@deadbolt/core';
export { createRedlock } from './create-redlock.js';
export { QuorumBackend, type QuorumBackendOptions } from './quorum-backend.js';
export { DEFAULT_NODE_TIMEOUT, type RedlockOptions } from './redlock-options.js';
