import { describe, expect, it } from 'vitest';
import { maximum, median, medianRatio, percentile, spread } from './statistics.js';

describe('statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('takes the median of per-round ratios', () => {
    expect(medianRatio([2, 3, 30], [1, 2, 3])).toBe(2);
    expect(median([1, Number.NaN, 3, 2])).toBe(2);
  });

  it('takes the largest sample, and p50 / p99 / max together', () => {
    expect(maximum([3, 9, 1])).toBe(9);
    expect(maximum([])).toBeNaN();
    // 99 short waits and one long one: p99 is still a short one, the max is the long one.
    const waits = [...Array.from({ length: 99 }, (_, i) => i + 1), 5_000];
    expect(spread(waits)).toEqual({ p50: 50, p99: 99, max: 5_000 });
    const none = spread([]);
    expect([none.p50, none.p99, none.max].every(Number.isNaN)).toBe(true);
  });
});
