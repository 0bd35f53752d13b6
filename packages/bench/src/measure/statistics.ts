/** The `p`th percentile (0-100) of samples, nearest-rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function median(values: readonly number[]): number {
  return percentile(
    values.filter((v) => Number.isFinite(v)),
    50,
  );
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/**
 * The ratio of a figure to the floor's, taken round by round (both measured side by side in
 * the same round) and summarised as the median over the rounds, so a noisy round moves it
 * little.
 */
export function medianRatio(values: readonly number[], floors: readonly number[]): number {
  return median(values.map((v, round) => v / floors[round]!));
}
