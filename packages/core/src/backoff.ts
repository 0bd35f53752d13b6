/** Bounds of the exponential backoff that waiting uses when it cannot subscribe. */
export interface RetryOptions {
  /** Delay before the first retry, in ms. Default 10. */
  minDelay?: number;
  /** Largest delay between two attempts, in ms. Default 500. */
  maxDelay?: number;
}

export const defaultRetry: Required<RetryOptions> = { minDelay: 10, maxDelay: 500 };

/**
 * Exponential backoff with full jitter: a uniform random delay in [0, min(maxDelay,
 * minDelay * 2^retry)]. Jitter spreads waiters apart so they do not retry in lockstep.
 *
 * @param retry 0 for the first retry.
 * @param random a source of numbers in [0, 1), for tests.
 */
export function backoffDelay(
  retry: number,
  { minDelay, maxDelay }: Required<RetryOptions>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxDelay, minDelay * 2 ** Math.min(retry, 30));
  return Math.max(1, Math.floor(random() * ceiling));
}
