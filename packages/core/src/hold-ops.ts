import type { AcquireReply, ExtendReply } from './lock-backend.js';

/** What an acquire attempt needs to know about its caller. */
export interface AttemptContext {
  /** The caller will wait if refused (false for a single attempt). */
  readonly waiting: boolean;
  /** Other callers in this process wait for the same hold. */
  readonly othersWaiting: boolean;
  /** This process may be in the hold's waiter queue (a caller here waits, or polls). */
  readonly queued: boolean;
  /** Fair mode: a free lock goes to the head of the waiter queue. */
  readonly fair: boolean;
}

/** This process's entry in a lock's waiter queue, kept while any of its callers wait. */
export interface QueueMembership {
  /** How often to renew, in ms. */
  readonly renewEvery: number;
  /** Renews the entry; true when the lock is free and this process is at the head. */
  renew(): Promise<boolean>;
  /** Withdraws the entry (the last local waiter gave up). */
  leave(): Promise<void>;
}

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
  acquire(token: string, ttl: number, attempt: AttemptContext): Promise<AcquireReply>;
  release(token: string): Promise<boolean>;
  /**
   * Gives up an acquire whose outcome the caller will not wait for: refuses any later
   * execution of it and releases what it took. Without it, `release` is used.
   */
  cancel?(token: string, ttl: number): Promise<void>;
  extend(token: string, ttl: number): Promise<ExtendReply>;
  /** Present when waiting goes through a waiter queue in Redis (the single-node mutex). */
  readonly queue?: QueueMembership;
  /** Called when a waiter gives up without the hold, to withdraw what it registered. */
  leave?(token: string): Promise<void>;
  /** Holds of this kind can be shared: a waiter that got in wakes the next local waiter. */
  readonly shared?: boolean;
  /** Longest sleep between two attempts, in ms (a waiting writer renews its lease). */
  readonly maxSleep?: number;
}
