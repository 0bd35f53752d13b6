import { type AcquireContext, acquireLock } from './acquire-lock.js';
import { BackgroundWork } from './background-work.js';
import { DeadboltError } from './errors/deadbolt-error.js';
import { safeListener } from './events.js';
import { type Lock, type LockHandle, REPLY_GRACE_MS } from './lock.js';
import type { LockBackend } from './lock-backend.js';
import { lockKeys } from './lock-keys.js';
import type { LocksInternals } from './locks-internals.js';
import { mutexOps } from './mutex-ops.js';
import {
  type AcquireOptions,
  type LocksOptions,
  type ResolvedLocksOptions,
  resolveAcquireOptions,
  resolveLocksOptions,
  type TryAcquireOptions,
} from './options.js';
import { createReadWriteLock, type ReadWriteLock } from './read-write/read-write-lock.js';
import type { RedisLikeClient } from './redis-like-client.js';
import { Registry } from './registry.js';
import { runHolding } from './run-holding.js';
import { createSemaphore, type Semaphore, type SemaphoreOptions } from './semaphore/semaphore.js';
import { SingleNodeBackend } from './single-node-backend.js';
import { CloseSignal } from './stop-signal.js';
import { newToken } from './token.js';
import { checkFunction, checkName, describe } from './validate.js';
import { WakeUpHub } from './wake-ups.js';

/** A read-only view of a lock, from `Locks.inspect`. */
export interface LockInfo {
  readonly name: string;
  readonly key: string;
  /** Milliseconds until the key expires (-1 if it has no expiry). */
  readonly ttl: number;
  /** The last fencing token handed out for this name. */
  readonly fence: number;
}

/** Distributed locks on one Redis (from `createLocks`) or a quorum (from `createRedlock`). */
export interface Locks {
  /**
   * Acquires `name`, waiting up to `options.wait` (default 10_000 ms) while someone else
   * holds it. Rejects with `LockTimeoutError` when the wait runs out, `signal.reason` when
   * aborted, and a `DeadboltError` with code `'REDIS_ERROR'` when Redis fails.
   */
  acquire(name: string, options?: AcquireOptions): Promise<Lock>;
  /** One attempt: resolves the lock, or `null` when someone else holds it. */
  tryAcquire(name: string, options?: TryAcquireOptions): Promise<Lock | null>;
  /**
   * Runs `fn` while holding `name`, auto-extending the lock (default) and releasing it
   * afterwards. `fn`'s own error is what the caller sees. If the lock is lost while `fn`
   * runs, `lock.signal` aborts and `withLock` rejects with `LockLostError`, even if `fn`
   * resolved.
   */
  withLock<T>(
    name: string,
    fn: (lock: Lock) => T | Promise<T>,
    options?: AcquireOptions,
  ): Promise<T>;
  /**
   * A counting semaphore: up to `options.limit` holders of `name` at once, each permit a
   * `Lock` that expires on its own (on the server's clock). Not available over redlock.
   */
  semaphore(name: string, options: SemaphoreOptions): Semaphore;
  /**
   * A read-write lock on `name`: many readers or one writer; a waiting writer holds new
   * readers back. Not available over redlock.
   */
  readWrite(name: string): ReadWriteLock;
  /** Whether anyone holds `name` right now (the mutex of that name). */
  isLocked(name: string): Promise<boolean>;
  /** The lock's key, remaining ttl and last fence, or `null` when it is free. */
  inspect(name: string): Promise<LockInfo | null>;
  /**
   * Drops subscriptions and timers: waiting acquires reject with a `DeadboltError` of code
   * `'CLOSED'`, held locks stop auto-extending (they stay held until released or expired).
   * Resolves once cleanup in flight has reached Redis (e.g. giving back a grant that landed
   * after its caller gave up), waiting at most 1 s (`REPLY_GRACE_MS`) for it. Never closes
   * your Redis client: close it after this resolves.
   */
  close(): Promise<void>;
}

function checkClient(client: unknown): RedisLikeClient {
  const ok =
    typeof client === 'object' &&
    client !== null &&
    typeof (client as RedisLikeClient).eval === 'function' &&
    typeof (client as RedisLikeClient).evalsha === 'function';
  if (!ok) {
    throw new TypeError(
      `client must implement RedisLikeClient (eval and evalsha functions), got ${describe(client)}; ` +
        'pass a client adapted by @deadbolt/ioredis, @deadbolt/node-redis or @deadbolt/solidis',
    );
  }
  const subscribe = (client as RedisLikeClient).subscribe;
  if (subscribe !== undefined && typeof subscribe !== 'function') {
    throw new TypeError(
      `client.subscribe must be a function when present, got ${describe(subscribe)}`,
    );
  }
  return client as RedisLikeClient;
}

/**
 * Creates the lock API on one Redis server or Cluster.
 *
 * @param client a {@link RedisLikeClient}; adapters' own `createLocks` accept the raw client.
 * @param options defaults for every lock (see {@link LocksOptions}).
 */
export function createLocks(client: RedisLikeClient, options?: LocksOptions): Locks {
  const checked = checkClient(client);
  const resolved = resolveLocksOptions(options);
  return createLocksOn(new SingleNodeBackend(checked), resolved);
}

/**
 * Creates the lock API on any {@link LockBackend}; `@deadbolt/redlock` uses this for its
 * quorum backend. Options must already be validated with `resolveLocksOptions`.
 */
export function createLocksOn(backend: LockBackend, options: ResolvedLocksOptions): Locks {
  const emit = safeListener(options.onEvent);
  // Every call in flight listens for close().
  const closed = new CloseSignal();
  const held = new Registry<LockHandle>();
  const background = new BackgroundWork();
  const hub =
    backend.subscribe === undefined
      ? undefined
      : new WakeUpHub(
          backend.subscribe,
          (error) => emit({ type: 'error', name: '', error }),
          background,
        );
  const ctx: AcquireContext = {
    options,
    hub,
    emit,
    closed,
    driftFactor: options.driftFactor,
    held,
    background: (work) => background.add(work),
  };

  function ensureOpen(): void {
    if (closed.aborted) throw closed.reason;
  }

  const internals: LocksInternals = {
    options,
    ctx,
    client: backend.client,
    async take(ops, raw, call) {
      const resolved = resolveAcquireOptions(raw, options, call);
      ensureOpen();
      return await acquireLock(ctx, ops, resolved, call.oneAttempt);
    },
  };

  const identity = { processId: newToken().slice(0, 16), lease: options.queueLease };
  const mutex = (name: unknown) =>
    mutexOps(backend, lockKeys(options.prefix, checkName(name)), identity);

  const locks: Locks = {
    async acquire(name, acquireOptions) {
      const call = { oneAttempt: false, autoExtend: false };
      return (await internals.take(mutex(name), acquireOptions, call)) as Lock;
    },

    async tryAcquire(name, tryOptions) {
      return internals.take(mutex(name), tryOptions, { oneAttempt: true, autoExtend: false });
    },

    async withLock(name, fn, acquireOptions) {
      const ops = mutex(name);
      checkFunction(fn, 'fn');
      const call = { oneAttempt: false, autoExtend: true };
      return runHolding((await internals.take(ops, acquireOptions, call)) as LockHandle, fn);
    },

    semaphore(name, semaphoreOptions) {
      return createSemaphore(internals, name, semaphoreOptions);
    },

    readWrite(name) {
      return createReadWriteLock(internals, name);
    },

    async isLocked(name) {
      return (await locks.inspect(name)) !== null;
    },

    async inspect(name) {
      const keys = lockKeys(options.prefix, checkName(name));
      ensureOpen();
      const info = await backend.inspect(keys);
      return info === null
        ? null
        : { name: keys.name, key: keys.key, ttl: info.pttl, fence: info.fence };
    },

    async close() {
      if (closed.aborted) return;
      closed.abort(new DeadboltError('This Locks instance was closed', { code: 'CLOSED' }));
      for (const lock of held.values()) lock.detach();
      await hub?.close();
      // Let cleanup in flight (a late grant being given back, a queue exit) reach Redis
      // before the user closes the client, but not for longer than the grace a reply gets.
      await background.settle(REPLY_GRACE_MS);
    },
  };
  return locks;
}
