/**
 * How long a lock is guaranteed to be ours, from the moment its request was sent:
 * `ttl - elapsed - ttl * driftFactor - 2` ms. `elapsed` covers the round trip; the drift term
 * covers clocks running at different rates; the 2 ms cover Redis's own expiry precision.
 * All times come from `performance.now()`, so a jump of the wall clock changes nothing.
 */
export function validityLeft(ttl: number, elapsed: number, driftFactor: number): number {
  return ttl - elapsed - driftDeduction(ttl, driftFactor);
}

/** The part of the ttl that validity never counts on. */
export function driftDeduction(ttl: number, driftFactor: number): number {
  return Math.floor(ttl * driftFactor) + 2;
}
