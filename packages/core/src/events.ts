/** What happened to a lock. */
export type LockEventType = 'acquired' | 'released' | 'extended' | 'lost' | 'contended' | 'error';

/**
 * One event for logs, metrics and traces. `durationMs` is the time spent waiting (`acquired`),
 * the time held (`released`, `lost`) or the call's time (`extended`); `attempts` counts acquire
 * attempts; `error` is set for `lost` and `error`.
 */
export interface LockEvent {
  readonly type: LockEventType;
  readonly name: string;
  readonly durationMs?: number;
  readonly attempts?: number;
  readonly error?: unknown;
}

/** Receives every {@link LockEvent}. Whatever it throws or rejects is ignored. */
export type LockEventListener = (event: LockEvent) => void;

/** Wraps a listener so that it can never throw into the lock path. */
export function safeListener(listener: LockEventListener | undefined): LockEventListener {
  if (listener === undefined) return () => {};
  return (event) => {
    try {
      const result: unknown = listener(event);
      if (result instanceof Promise) result.catch(() => {});
    } catch {
      // A broken listener must not break locking.
    }
  };
}
