import { DeadboltError } from '../errors/deadbolt-error.js';
import type { HoldOps } from '../hold-ops.js';
import type { Lock, LockHandle } from '../lock.js';
import { lockKeys } from '../lock-keys.js';
import type { LocksInternals } from '../locks-internals.js';
import type { AcquireOptions, TryAcquireOptions } from '../options.js';
import type { RedisLikeClient } from '../redis-like-client.js';
import { runHolding } from '../run-holding.js';
import { runScript } from '../script.js';
import { acquireReply } from '../script-replies.js';
import { checkFunction, checkName, checkOptions, describe } from '../validate.js';
import { permitAcquireScript } from './permit-acquire-script.js';
import { permitExtendScript } from './permit-extend-script.js';
import { permitReleaseScript } from './permit-release-script.js';

/** Options of `locks.semaphore(name, options)`. */
export interface SemaphoreOptions {
  /** How many holders at most (integer from 1 to 1,000,000). Required. */
  limit: number;
}

/**
 * Up to `limit` holders of one name at once. Each permit is a {@link Lock} handle with its
 * own ttl, extension, fence and signal, and expires on its own on the server's clock.
 *
 * The limit is checked by each acquire against the permits out at that moment: callers that
 * pass different limits for the same name each get their own limit's view (one with limit 2
 * gets in while one permit is out, one with limit 1 does not). Use one limit per name.
 */
export interface Semaphore {
  readonly name: string;
  readonly limit: number;
  /** Takes a permit, waiting up to `options.wait` while `limit` permits are out. */
  acquire(options?: AcquireOptions): Promise<Lock>;
  /** One attempt: a permit, or `null` when `limit` permits are out. */
  tryAcquire(options?: TryAcquireOptions): Promise<Lock | null>;
  /** Runs `fn` holding a permit (auto-extended by default), then returns it. */
  withPermit<T>(fn: (permit: Lock) => T | Promise<T>, options?: AcquireOptions): Promise<T>;
}

export const MAX_SEMAPHORE_LIMIT = 1_000_000;

function checkLimit(options: unknown): number {
  if (options === undefined) {
    throw new TypeError('options.limit is required: semaphore(name, { limit })');
  }
  const { limit } = checkOptions(options, 'options', ['limit']);
  if (typeof limit !== 'number') {
    throw new TypeError(`options.limit must be a number, got ${describe(limit)}`);
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEMAPHORE_LIMIT) {
    throw new RangeError(
      `options.limit must be an integer from 1 to ${MAX_SEMAPHORE_LIMIT}, got ${describe(limit)}`,
    );
  }
  return limit;
}

/** Fails clearly where semaphores and read-write locks are not offered (over a quorum). */
export function requireClient(internals: LocksInternals, what: string): RedisLikeClient {
  if (internals.client === undefined) {
    throw new DeadboltError(
      `${what} is not supported by this Locks (it is not available over redlock's quorum yet)`,
      { code: 'UNSUPPORTED' },
    );
  }
  return internals.client;
}

export function createSemaphore(
  internals: LocksInternals,
  name: unknown,
  options: unknown,
): Semaphore {
  const checkedName = checkName(name);
  const limit = checkLimit(options);
  const client = requireClient(internals, 'semaphore()');
  const base = lockKeys(internals.options.prefix, checkedName).key;
  const holders = `${base}:permits`;
  const fences = `${holders}:fences`;
  const counter = `${holders}:fence`;
  const ops: HoldOps = {
    name: checkedName,
    key: holders,
    channel: `${holders}:released`,
    acquire: async (token, ttl) =>
      acquireReply(
        'permit-acquire',
        await runScript(
          client,
          permitAcquireScript,
          [holders, fences, counter],
          [token, String(ttl), String(limit)],
        ),
      ),
    release: async (token) =>
      Number(
        await runScript(client, permitReleaseScript, [holders, fences, holders], [token, '1']),
      ) === 1,
    extend: async (token, ttl) =>
      Number(
        await runScript(client, permitExtendScript, [holders, fences], [token, String(ttl)]),
      ) === 1
        ? 'extended'
        : 'absent',
  };
  return {
    name: checkedName,
    limit,
    async acquire(acquireOptions) {
      return (await internals.take(ops, acquireOptions, {
        oneAttempt: false,
        autoExtend: false,
      })) as Lock;
    },
    async tryAcquire(tryOptions) {
      return internals.take(ops, tryOptions, { oneAttempt: true, autoExtend: false });
    },
    async withPermit(fn, acquireOptions) {
      checkFunction(fn, 'fn');
      const permit = (await internals.take(ops, acquireOptions, {
        oneAttempt: false,
        autoExtend: true,
      })) as LockHandle;
      return runHolding(permit, fn);
    },
  };
}
