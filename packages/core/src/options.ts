import { defaultRetry, type RetryOptions } from './backoff.js';
import type { LockEventListener } from './events.js';
import {
  checkBoolean,
  checkFunction,
  checkMs,
  checkOptions,
  checkSignal,
  describe,
} from './validate.js';

/** Options of `createLocks` (and `createRedlock`). All are optional. */
export interface LocksOptions {
  /** Prepended to every Redis key and channel deadbolt uses. Default `'deadbolt:'`. */
  prefix?: string;
  /** Default time-to-live of a lock in ms (integer, at least 10). Default `30_000`. */
  ttl?: number;
  /**
   * Default time `acquire` waits for a held lock, in ms. `0` means a single attempt.
   * Default `10_000`.
   */
  wait?: number;
  /**
   * Backoff bounds for waiting when the client cannot subscribe to release messages
   * (exponential with full jitter, each sleep capped by the holder's remaining ttl).
   * Default `{ minDelay: 10, maxDelay: 500 }`.
   */
  retry?: RetryOptions;
  /**
   * Share of the ttl that validity never counts on, to cover clock rate differences between
   * this process and Redis: validity = ttl - elapsed - ttl * driftFactor - 2 ms. From 0 to
   * below 0.5. Default `0.01`.
   */
  driftFactor?: number;
  /** Receives lock events for logs and metrics. Anything it throws is ignored. */
  onEvent?: LockEventListener;
  /**
   * Fair mode: a free lock goes to the process at the head of the waiter queue, in arrival
   * order; other callers join the queue. Without it a caller may take a free lock at once
   * (barging), which keeps an uncontended acquire at one script call. Needs the waiter queue
   * (single node and Cluster; not redlock). Default `false`.
   */
  fair?: boolean;
  /**
   * Lease of this process's entry in a lock's waiter queue, in ms (integer, 100 or more). It
   * is renewed every lease/3 while any caller here waits, so a waiting process that crashed
   * holds the queue up for at most this long. Default `2_000`.
   */
  queueLease?: number;
}

/** Options of one `acquire` (and `withLock`) call. Unset ones come from `createLocks`. */
export interface AcquireOptions {
  /** Time-to-live in ms (integer, at least 10). Default: the `Locks`' `ttl` (30_000). */
  ttl?: number;
  /** How long to wait for a held lock, in ms; `0` tries once. Default: the `Locks`' `wait`. */
  wait?: number;
  /** Cancels a pending acquire; it then rejects with `signal.reason`. */
  signal?: AbortSignal;
  /**
   * Keep extending the lock every ttl/3 until it is released. Default `false` for `acquire`
   * and `tryAcquire`, `true` for `withLock`.
   */
  autoExtend?: boolean;
  /** Fair mode for this call (see {@link LocksOptions.fair}). Default: the `Locks`' `fair`. */
  fair?: boolean;
}

/** Options of `tryAcquire`: one attempt, so no `wait`. */
export type TryAcquireOptions = Omit<AcquireOptions, 'wait'>;

export interface ResolvedLocksOptions {
  readonly prefix: string;
  readonly ttl: number;
  readonly wait: number;
  readonly retry: Required<RetryOptions>;
  readonly driftFactor: number;
  readonly onEvent: LockEventListener | undefined;
  readonly fair: boolean;
  readonly queueLease: number;
}

export interface ResolvedAcquireOptions {
  readonly ttl: number;
  readonly wait: number;
  readonly signal: AbortSignal | undefined;
  readonly autoExtend: boolean;
  readonly fair: boolean;
}

/** Smallest ttl: below it the drift margin would eat the whole validity. */
export const MIN_TTL = 10;

export const locksOptionNames = [
  'prefix',
  'ttl',
  'wait',
  'retry',
  'driftFactor',
  'onEvent',
  'fair',
  'queueLease',
];

/** `undefined` takes the default; anything else (`null` included) is validated as given. */
function orDefault(value: unknown, fallback: unknown): unknown {
  return value === undefined ? fallback : value;
}

/** Validates and completes `createLocks` options; throws TypeError/RangeError naming the option. */
export function resolveLocksOptions(
  value: unknown,
  extraNames: readonly string[] = [],
): ResolvedLocksOptions {
  const options = checkOptions(value, 'options', [...locksOptionNames, ...extraNames]);
  const prefix = orDefault(options.prefix, 'deadbolt:');
  if (typeof prefix !== 'string') {
    throw new TypeError(`options.prefix must be a string, got ${describe(prefix)}`);
  }
  const retry = checkOptions(options.retry, 'options.retry', ['minDelay', 'maxDelay']);
  const minDelay = checkMs(
    orDefault(retry.minDelay, defaultRetry.minDelay),
    'options.retry.minDelay',
    1,
  );
  const maxDelay = checkMs(
    orDefault(retry.maxDelay, Math.max(defaultRetry.maxDelay, minDelay)),
    'options.retry.maxDelay',
    1,
  );
  if (maxDelay < minDelay) {
    throw new RangeError(
      `options.retry.maxDelay (${maxDelay}) must not be smaller than options.retry.minDelay (${minDelay})`,
    );
  }
  const driftFactor = orDefault(options.driftFactor, 0.01);
  if (typeof driftFactor !== 'number') {
    throw new TypeError(`options.driftFactor must be a number, got ${describe(driftFactor)}`);
  }
  if (!(driftFactor >= 0 && driftFactor < 0.5)) {
    throw new RangeError(
      `options.driftFactor must be at least 0 and below 0.5, got ${describe(driftFactor)}`,
    );
  }
  return {
    prefix,
    ttl: checkMs(orDefault(options.ttl, 30_000), 'options.ttl', MIN_TTL),
    wait: checkMs(orDefault(options.wait, 10_000), 'options.wait', 0),
    retry: { minDelay, maxDelay },
    driftFactor,
    onEvent:
      options.onEvent === undefined
        ? undefined
        : checkFunction<LockEventListener>(options.onEvent, 'options.onEvent'),
    fair: options.fair === undefined ? false : checkBoolean(options.fair, 'options.fair'),
    queueLease: checkMs(orDefault(options.queueLease, 2_000), 'options.queueLease', 100),
  };
}

const acquireOptionNames = ['ttl', 'wait', 'signal', 'autoExtend', 'fair'];

/** Validates one call's options against the `Locks`' defaults. */
export function resolveAcquireOptions(
  value: unknown,
  defaults: ResolvedLocksOptions,
  call: { oneAttempt: boolean; autoExtend: boolean },
): ResolvedAcquireOptions {
  const names = call.oneAttempt
    ? acquireOptionNames.filter((n) => n !== 'wait')
    : acquireOptionNames;
  const options = checkOptions(value, 'options', names);
  return {
    ttl: options.ttl === undefined ? defaults.ttl : checkMs(options.ttl, 'options.ttl', MIN_TTL),
    wait: call.oneAttempt
      ? 0
      : options.wait === undefined
        ? defaults.wait
        : checkMs(options.wait, 'options.wait', 0),
    signal:
      options.signal === undefined ? undefined : checkSignal(options.signal, 'options.signal'),
    autoExtend:
      options.autoExtend === undefined
        ? call.autoExtend
        : checkBoolean(options.autoExtend, 'options.autoExtend'),
    fair: options.fair === undefined ? defaults.fair : checkBoolean(options.fair, 'options.fair'),
  };
}
