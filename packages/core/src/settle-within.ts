import { deadlines } from './deadline-clock.js';
import { onStop, type StopSignal } from './stop-signal.js';

/** How a raced promise ended. */
export type Settled<T> =
  | { readonly status: 'fulfilled'; readonly value: T }
  | { readonly status: 'rejected'; readonly reason: unknown }
  | { readonly status: 'timeout' }
  | { readonly status: 'aborted'; readonly reason: unknown };

/** The first aborted signal's reason, if any. */
export function abortReason(signals: readonly StopSignal[]): { reason: unknown } | undefined {
  const aborted = signals.find((s) => s.aborted);
  return aborted === undefined ? undefined : { reason: aborted.reason };
}

/**
 * Waits for `promise`, but no longer than `timeoutMs` and no longer than any signal stays
 * unaborted. Never rejects. The promise keeps running after a timeout or an abort (a Redis
 * command cannot be recalled); the caller decides what to do with a late reply, and a late
 * rejection is never left unhandled.
 */
export function settleWithin<T>(
  promise: Promise<T>,
  timeoutMs: number,
  signals: readonly StopSignal[] = [],
): Promise<Settled<T>> {
  return settleBy(promise, performance.now() + Math.max(0, timeoutMs), signals);
}

/** {@link settleWithin} with the time limit as a `performance.now()` time. */
export function settleBy<T>(
  promise: Promise<T>,
  at: number,
  signals: readonly StopSignal[] = [],
): Promise<Settled<T>> {
  const early = abortReason(signals);
  promise.catch(() => {});
  if (early !== undefined) return Promise.resolve({ status: 'aborted', reason: early.reason });
  return new Promise((resolve) => {
    let done = false;
    const finish = (result: Settled<T>) => {
      if (done) return;
      done = true;
      deadline.cancel();
      for (const watch of watches) watch.remove();
      resolve(result);
    };
    const onAbort = () => {
      const aborted = abortReason(signals);
      finish({ status: 'aborted', reason: aborted?.reason });
    };
    const deadline = deadlines.watch(at, () => finish({ status: 'timeout' }));
    const watches = signals.map((signal) => onStop(signal, onAbort));
    promise.then(
      (value) => finish({ status: 'fulfilled', value }),
      (reason: unknown) => finish({ status: 'rejected', reason }),
    );
  });
}

/** Sleeps `ms`, or less if a signal aborts. Resolves `'aborted'` or `'elapsed'`. */
export function sleep(
  ms: number,
  signals: readonly StopSignal[] = [],
): Promise<'elapsed' | 'aborted'> {
  if (abortReason(signals) !== undefined) return Promise.resolve('aborted');
  return new Promise((resolve) => {
    const finish = (outcome: 'elapsed' | 'aborted') => {
      clearTimeout(timer);
      for (const watch of watches) watch.remove();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish('elapsed'), Math.max(0, ms));
    const watches = signals.map((signal) => onStop(signal, () => finish('aborted')));
  });
}
