/** The `p`th percentile (0-100) of samples, nearest-rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** The largest sample; NaN for no samples. */
export function maximum(samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : samples.reduce((a, b) => Math.max(a, b));
}

/** p50, p99 (nearest-rank) and the largest of samples; NaN each for no samples. */
export function spread(samples: readonly number[]): { p50: number; p99: number; max: number } {
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), max: maximum(samples) };
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
