import type { Acquisition } from '../history/acquisitions.js';

export interface LostUpdateResult {
  /** Critical sections whose counter write was acknowledged. */
  successes: number;
  /** Counter writes sent but never acknowledged (the worker died or failed meanwhile). */
  unacknowledged: number;
  /** The counter's value at the end. */
  finalValue: number;
  /** Updates lost: sections that wrote the same value, or a final counter below `successes`. */
  lost: number;
  /** Final counter above what the sent writes can explain (a write nobody recorded). */
  unexplained: number;
}

/**
 * The lost-update check. Each critical section read the counter (a plain key on a separate
 * Redis), and wrote read+1 if the lock was still safely held. Without two holders at once the
 * writes form one chain: every acknowledged write has a different value and the final counter
 * equals the number of acknowledged writes (plus at most the unacknowledged ones).
 */
export function checkLostUpdates(
  acquisitions: readonly Acquisition[],
  finalValue: number,
): LostUpdateResult {
  const acknowledged = acquisitions.flatMap((a) => a.counterWrites.filter((w) => w.acknowledged));
  const unacknowledged = acquisitions.reduce(
    (n, a) => n + a.counterWrites.filter((w) => !w.acknowledged).length,
    0,
  );
  const successes = acknowledged.length;
  const duplicates = successes - new Set(acknowledged.map((w) => w.value)).size;
  return {
    successes,
    unacknowledged,
    finalValue,
    lost: Math.max(duplicates, successes - finalValue, 0),
    unexplained: Math.max(0, finalValue - successes - unacknowledged),
  };
}
