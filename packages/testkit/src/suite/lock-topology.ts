import type { Locks, LocksOptions, RedisLikeClient } from '@deadbolt/core';

/** A client connection made for the suite, and how to close it. */
export interface SuiteConnection {
  readonly client: RedisLikeClient;
  close(): Promise<void>;
}

/**
 * A running topology (one server, a cluster, or N redlock nodes) as the behaviour suite sees
 * it: a way to make `Locks` on fresh connections, and admin access that bypasses deadbolt.
 */
export interface LockTopology {
  /**
   * New `Locks` on fresh client connections, closed by {@link LockTopology.closeLocks}.
   * `wrap` lets a test put a fault in front of each client.
   */
  createLocks(
    options?: LocksOptions,
    wrap?: (client: RedisLikeClient) => RedisLikeClient,
  ): Promise<Locks>;
  /** Runs a raw command on the node owning its first key (every node, for a quorum). */
  call(command: string, key: string, ...args: string[]): Promise<unknown>;
  /** Keys matching a glob pattern, on any node. */
  keys(pattern: string): Promise<string[]>;
  /** Closes every `Locks` made so far and its connections. */
  closeLocks(): Promise<void>;
  /** The value under `key` (on a quorum: the value most nodes hold). */
  get(key: string): Promise<string | null>;
  /** The key's PTTL (on a quorum: the largest). */
  pttl(key: string): Promise<number>;
  /** Sets `key` on every node, as another owner would. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  del(key: string): Promise<void>;
  /** How many sharded channels matching a glob pattern have subscribers, summed over nodes. */
  shardSubscribers(pattern: string): Promise<number>;
  /** SIGSTOP / SIGCONT every node. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** `SCRIPT FLUSH` on every node. */
  flushScripts(): Promise<void>;
  /** `CLIENT KILL TYPE pubsub` on every node. */
  killPubSubConnections(): Promise<void>;
  /** EVAL + EVALSHA calls served so far, summed over nodes (from INFO commandstats). */
  scriptCalls(): Promise<number>;
  /** Keys summed over nodes. */
  dbsize(): Promise<number>;
  /** Lock keys (not fence counters) that still exist, on any node. */
  heldKeys(): Promise<string[]>;
  teardown(): Promise<void>;
}

/** One row of the suite's matrix: an adapter on a topology. */
export interface LockTarget {
  /** Shown in the test output, e.g. `'ioredis 6 · single node'`. */
  readonly label: string;
  /** Whether the client offers `subscribe` (wake-ups) — polling targets skip wake-up tests. */
  readonly wakeUps: boolean;
  /** Whether semaphores and read-write locks are offered (not over a quorum yet). */
  readonly sharedHolds: boolean;
  /** A quorum of nodes (redlock): outages surface as `QuorumError`, no waiter queue. */
  readonly quorum: boolean;
  /** Independent nodes that each hold a copy of a lock, and publish its release: 1 but on a quorum. */
  readonly nodes: number;
  /** Options every `Locks` of this target gets (e.g. `{ fair: true }`). */
  readonly defaults?: LocksOptions;
  setup(): Promise<LockTopology>;
}
