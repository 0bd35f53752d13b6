import { LockLostError } from './errors/lock-lost-error.js';
import type { Lock, LockHandle } from './lock.js';

/**
 * Runs `fn` while `lock` is held, then releases it. `fn`'s error is what the caller sees (a
 * release error never masks it). If the lock was lost while `fn` ran, this rejects with
 * `LockLostError` even if `fn` resolved. A release that fails after `fn` succeeded is
 * reported as an `error` event only: the work is done and the key expires by itself.
 */
export async function runHolding<T>(
  lock: LockHandle,
  fn: (lock: Lock) => T | Promise<T>,
): Promise<T> {
  let result: T;
  try {
    result = await fn(lock);
  } catch (error) {
    await lock.release().catch(() => {});
    throw error;
  }
  const lost: unknown = lock.signal.aborted ? lock.signal.reason : undefined;
  await lock.release().catch(() => {});
  if (lost !== undefined) {
    throw LockLostError.isInstance(lost) ? lost : new LockLostError(lock.name, 'expired', lost);
  }
  return result;
}
