import { DeadboltError, hasCode } from './deadbolt-error.js';

/**
 * Why a held lock was lost:
 * - `'expired'`: its validity ran out before it was extended;
 * - `'taken'`: Redis holds another owner's token under the key;
 * - `'released-elsewhere'`: the key vanished before its validity ran out (deleted, or the
 *   server lost its data);
 * - `'connection'`: extensions failed with errors until the validity ran out (`cause` is the
 *   last error).
 */
export type LockLostReason = 'expired' | 'taken' | 'released-elsewhere' | 'connection';

/** The lock is no longer ours. `lock.signal` is aborted with this error. */
export class LockLostError extends DeadboltError {
  readonly lockName: string;
  readonly reason: LockLostReason;

  constructor(lockName: string, reason: LockLostReason, cause?: unknown) {
    super(`Lock "${lockName}" was lost (${reason})`, { code: 'LOCK_LOST', cause });
    this.name = 'LockLostError';
    this.lockName = lockName;
    this.reason = reason;
  }

  static override isInstance(error: unknown): error is LockLostError {
    return hasCode(error, 'LOCK_LOST');
  }
}
