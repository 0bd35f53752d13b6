import { DeadboltError, hasCode } from './deadbolt-error.js';

/**
 * `acquire` gave up: the lock stayed held by someone else for the whole `wait`, or the server
 * did not answer in time (then `cause` says so). Outages that Redis reports as errors are not
 * timeouts: they reject with a `DeadboltError` of code `'REDIS_ERROR'`.
 */
export class LockTimeoutError extends DeadboltError {
  /** The lock's name as passed to `acquire`. */
  readonly lockName: string;
  /** How long `acquire` waited, in milliseconds. */
  readonly waitedMs: number;
  /** How many acquire attempts reached Redis (or were sent to it). */
  readonly attempts: number;

  constructor(lockName: string, waitedMs: number, attempts: number, cause?: unknown) {
    const rounded = Math.round(waitedMs);
    const why =
      cause === undefined ? 'it stayed held by another owner' : 'the server did not answer in time';
    super(
      `Could not acquire lock "${lockName}" within ${rounded} ms (${attempts} attempt${
        attempts === 1 ? '' : 's'
      }): ${why}`,
      { code: 'LOCK_TIMEOUT', cause },
    );
    this.name = 'LockTimeoutError';
    this.lockName = lockName;
    this.waitedMs = rounded;
    this.attempts = attempts;
  }

  static override isInstance(error: unknown): error is LockTimeoutError {
    return hasCode(error, 'LOCK_TIMEOUT');
  }
}
