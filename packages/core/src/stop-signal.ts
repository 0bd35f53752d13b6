import { type Registration, Registry } from './registry.js';

/**
 * The close of one `Locks`. Every call in flight watches it, so it keeps its listeners in a
 * {@link Registry} (O(1) add and remove): with an `AbortSignal` here, `removeEventListener`
 * was one of the largest client-side costs of an uncontended acquire + release.
 */
export class CloseSignal {
  readonly #listeners = new Registry<() => void>();
  #aborted = false;
  #reason: unknown;

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** Calls `listener` once when aborted (never, when already aborted). */
  watch(listener: () => void): Registration {
    return this.#listeners.add(listener);
  }

  /** Aborts with `reason` and calls every listener once (no-op when already aborted). */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    for (const listener of this.#listeners.values()) listener();
  }
}

/** What can stop a wait: the caller's `AbortSignal` or the close of its `Locks`. */
export type StopSignal = AbortSignal | CloseSignal;

/** Calls `listener` once when `signal` aborts, until the registration is removed. */
export function onStop(signal: StopSignal, listener: () => void): Registration {
  if (signal instanceof CloseSignal) return signal.watch(listener);
  signal.addEventListener('abort', listener, { once: true });
  return { remove: () => signal.removeEventListener('abort', listener) };
}
