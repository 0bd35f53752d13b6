import type { AcquireContext } from './acquire-lock.js';
import type { HoldOps } from './hold-ops.js';
import type { LockHandle } from './lock.js';
import type { ResolvedLocksOptions } from './options.js';
import type { RedisLikeClient } from './redis-like-client.js';

/** What a `Locks` shares with the semaphores and read-write locks it hands out. */
export interface LocksInternals {
  readonly options: ResolvedLocksOptions;
  readonly ctx: AcquireContext;
  /** The single client, or undefined over a quorum. */
  readonly client: RedisLikeClient | undefined;
  /** Validates one call's options and acquires; `null` only for a refused single attempt. */
  take(
    ops: HoldOps,
    rawOptions: unknown,
    call: { oneAttempt: boolean; autoExtend: boolean },
  ): Promise<LockHandle | null>;
}
