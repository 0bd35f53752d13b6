import type { AcquireReply, ExtendReply } from './lock-backend.js';

/**
 * The Redis side of one kind of hold (a mutex, a semaphore permit, a read or a write hold) on
 * one name. The waiting, validity, extension and release logic is shared; only these calls
 * differ.
 */
export interface HoldOps {
  /** The name the caller gave. */
  readonly name: string;
  /** The key reported as `lock.key`. */
  readonly key: string;
  /** The sharded channel that releases of this kind are announced on. */
  readonly channel: string;
  acquire(token: string, ttl: number): Promise<AcquireReply>;
  release(token: string): Promise<boolean>;
  extend(token: string, ttl: number): Promise<ExtendReply>;
  /** Called when a waiter gives up without the hold, to withdraw what it registered. */
  leave?(token: string): Promise<void>;
  /** Holds of this kind can be shared: a waiter that got in wakes the next local waiter. */
  readonly shared?: boolean;
  /** Longest sleep between two attempts, in ms (a waiting writer renews its lease). */
  readonly maxSleep?: number;
}
