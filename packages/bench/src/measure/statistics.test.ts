import { describe, expect, it } from 'vitest';
import { median, medianRatio, percentile } from './statistics.js';

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
});
