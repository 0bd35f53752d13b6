import type { LockKeys } from './lock-keys.js';
import type { RedisLikeClient } from './redis-like-client.js';

/** Result of one acquire attempt. */
export type AcquireReply =
  | { readonly acquired: true; readonly fence: number }
  /** `pttl`: how long the holder still has in ms, or -1 when unknown (no expiry). */
  | { readonly acquired: false; readonly pttl: number };

/** Result of one extend call: ours and extended, gone, or held by another owner. */
export type ExtendReply = 'extended' | 'absent' | 'taken';

/** What `inspect` reads: the remaining ttl (-1: no expiry) and the last fence handed out. */
export interface InspectReply {
  readonly pttl: number;
  readonly fence: number;
}

/** How one queued acquire attempt takes part in the waiter queue. */
export interface QueueAttempt {
  /** This `Locks`' process id: one queue entry per process and name. */
  readonly processId: string;
  /** Lease of the entry in ms; it lapses unless renewed. */
  readonly lease: number;
  /** A free lock goes only to the head of the queue. */
  readonly fair: boolean;
  /** Join the queue when refused (false for a single attempt). */
  readonly join: boolean;
  /** Other callers of this process still wait: on success, move to the back, don't leave. */
  readonly othersWaiting: boolean;
  /** This process may have an entry in the queue: a success takes it out. */
  readonly queued: boolean;
}

/**
 * A waiter queue kept in Redis next to each lock, so a release wakes one waiting process
 * instead of all of them. Offered by the single-node backend; a quorum broadcasts instead.
 */
export interface WaiterQueue {
  acquire(keys: LockKeys, token: string, ttl: number, attempt: QueueAttempt): Promise<AcquireReply>;
  /** Deletes our lock and wakes the head of the queue. */
  release(keys: LockKeys, token: string): Promise<boolean>;
  /** Renews a process's entry; true when the lock is free and that process is the head. */
  renew(keys: LockKeys, processId: string, lease: number): Promise<boolean>;
  /** Removes a process's entry, passing a wasted wake-up to the next process. */
  leave(keys: LockKeys, processId: string): Promise<void>;
  /**
   * Cancels an acquire its caller gave up on: later executions of it are refused for `ttl`
   * ms, and a lock it already took is released.
   */
  cancel(keys: LockKeys, token: string, ttl: number): Promise<void>;
}

/**
 * Where locks live: one Redis (through a {@link RedisLikeClient}) or a quorum of independent
 * nodes (`@deadbolt/redlock`). The `Locks` API, waiting, validity, auto-extension and events
 * are written once on top of this.
 *
 * Every method rejects with the driver's error (or a `DeadboltError` such as `QuorumError`)
 * when the store cannot answer. Each method must be safe to call again with the same
 * arguments.
 */
export interface LockBackend {
  acquire(keys: LockKeys, token: string, ttl: number): Promise<AcquireReply>;
  /** Resolves true when our token was there and has been removed (and waiters were told). */
  release(keys: LockKeys, token: string): Promise<boolean>;
  extend(keys: LockKeys, token: string, ttl: number): Promise<ExtendReply>;
  inspect(keys: LockKeys): Promise<InspectReply | null>;
  /** Release messages, when the store can deliver them (see `RedisLikeClient.subscribe`). */
  readonly subscribe?: RedisLikeClient['subscribe'];
  /**
   * The one client behind a single-node backend. Semaphores and read-write locks run their
   * scripts on it; a backend without it (a quorum) does not offer them.
   */
  readonly client?: RedisLikeClient;
  /** The waiter queue, where the backend keeps one (see {@link WaiterQueue}). */
  readonly queue?: WaiterQueue;
}
