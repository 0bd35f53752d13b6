const marker = Symbol.for('deadbolt.error');

/** Machine-readable reason carried by every {@link DeadboltError}. */
export type DeadboltErrorCode =
  | 'LOCK_TIMEOUT'
  | 'LOCK_LOST'
  | 'LOCK_RELEASED'
  | 'QUORUM'
  | 'REDIS_ERROR'
  | 'REPLY_TIMEOUT'
  | 'CLOSED'
  | 'LOCK_UPGRADE'
  | 'UNSUPPORTED';

/**
 * Base class of every error deadbolt throws on purpose (argument errors are plain `TypeError`
 * and `RangeError`). Check with {@link DeadboltError.isInstance} rather than `instanceof`: the
 * check uses a `Symbol.for` brand, so it still works when two copies of deadbolt are installed.
 */
export class DeadboltError extends Error {
  /** What went wrong, e.g. `'LOCK_TIMEOUT'` or `'REDIS_ERROR'`. */
  readonly code: DeadboltErrorCode;

  constructor(message: string, options: { code: DeadboltErrorCode; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeadboltError';
    this.code = options.code;
    Object.defineProperty(this, marker, { value: true });
  }

  /** True for any deadbolt error, from this copy of the package or another. */
  static isInstance(error: unknown): error is DeadboltError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

/** True when `error` is a deadbolt error with the given code (works across installed copies). */
export function hasCode(error: unknown, code: DeadboltErrorCode): boolean {
  return DeadboltError.isInstance(error) && error.code === code;
}
