/** Where a lock client connects: a testkit `RedisServer` fits, and so does a plain port. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** One acquired lock, as the benchmark sees it. */
export interface HeldLock {
  release(): Promise<void>;
}

/** Running totals an implementation can report about itself (only where it can count them). */
export interface ClientCounters {
  /** Acquire attempts sent to Redis (one per script call or `SET NX` round). */
  readonly attempts?: number;
  /** Successful extensions (auto-extension in the memory scenario). */
  readonly extensions?: number;
  /** Locks the library reported lost. */
  readonly lost?: number;
}

/**
 * One independent user of a lock library: its own connections and its own library state, as
 * one process would have. Contended scenarios open one per worker.
 */
export interface LockClient {
  /**
   * Acquires `key`, waiting the way the library waits by default (or with the tuning of the
   * implementation entry). Rejects when the library gives up.
   */
  acquire(key: string, ttl: number): Promise<HeldLock>;
  /** Acquires with the library's auto-extension on, for the memory scenario. */
  hold?(key: string, ttl: number): Promise<HeldLock>;
  counters?(): ClientCounters;
  /** Closes everything it opened. */
  close(): Promise<void>;
}

/** Which Redis client library an implementation talks through. */
export type ClientLibrary = 'ioredis' | 'node-redis' | 'solidis stand-in';

/** The library's own settings, or the same library with a 10 ms retry delay. */
export type Tuning = 'defaults' | 'retry 10 ms';

/** What the benchmark knows about one implementation: an entry of the registry. */
export interface Implementation {
  /** Stable id, used on the command line (`--only`) and in raw results. */
  readonly id: string;
  /** Name in the report. */
  readonly label: string;
  readonly kind: 'floor' | 'reference' | 'deadbolt' | 'library';
  /** Package and pinned version, e.g. `redlock@5.0.0-beta.2`; the references name their client. */
  readonly package: string;
  readonly client: ClientLibrary;
  readonly tuning: Tuning;
  /** How it waits for a held lock, in a few words for the report. */
  readonly waiting: string;
  /** Runs on one server. */
  readonly single: boolean;
  /** Runs on N independent servers (Redlock-style quorum). */
  readonly quorum: boolean;
  /** Its clients implement `hold` (auto-extension). */
  readonly autoExtend: boolean;
  /** Why it cannot run with the installed packages, e.g. an option this build rejects. */
  unavailable?(): string | undefined;
  /** Opens one client: on one endpoint for a single server, on all of them for a quorum. */
  open(endpoints: readonly Endpoint[]): Promise<LockClient>;
}
